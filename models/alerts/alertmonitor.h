#pragma once

#include "alerts/alertengine.h"
#include "alerts/alertlog.h"
#include "alerts/alertnotifier.h"
#include "history/seriesbuckets.h"
#include "monitor/healthreport.h"
#include "monitor/pollsnapshot.h"

#include <QElapsedTimer>
#include <QLockFile>
#include <QObject>

#include <memory>

namespace qs::monitor {
class QueueMonitor;
}

namespace qs::alerts {

// The alerts of one watched server, as the window and `queuescope record` run them: the
// profile's rules (AlertRules::forProfile) evaluated on every successful poll, each event stored
// in the server's AlertLog and handed to the notifier unless its rule is snoozed there.
//
// One voice per server: of the processes that watch it (a window and a recorder), the one that
// holds `<log>.alerts.lock` stores and notifies; the others evaluate the same rules for their
// own display and pick the stored events up from the log, so nobody is notified twice. A dead
// voice's lock is taken over within kVoiceRetryMs.
class AlertMonitor final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kVoiceRetryMs = 15'000;

    // server: what events name (the profile's name, or its URL without the password); logPath:
    // the server's history database (empty: events in memory only).
    AlertMonitor(QString profileName, QString server, QString logPath, QObject *parent = nullptr);
    ~AlertMonitor() override;

    // Reads the rules files again; on error keeps the rules it had and says so in message().
    void reloadRules();
    void evaluate(const monitor::PollSnapshot &snapshot, const QList<history::Sample> &samples,
                  const monitor::HealthReport &health, const monitor::QueueMonitor *queues);

    const AlertEngine &engine() const { return m_engine; }
    AlertLog &log() { return *m_log; }
    AlertNotifier &notifier() { return m_notifier; }
    bool isVoice() const { return m_voice; }
    // Rules files that could not be used, a log kept in memory: empty when all is well.
    QString message() const;

    bool acknowledge(qint64 id);
    void snooze(const QString &rule, const QString &queue, qint64 untilMs);

Q_SIGNALS:
    // Events new in the log (this process's or the voice's), newest last: the Alerts page and
    // the tray follow this.
    void eventsAdded(const QList<qs::alerts::StoredAlert> &events);
    void notified(qint64 id, const QString &outcome); // the notifier finished for event `id`
    void changed();                                   // an acknowledgement or a snooze

private:
    void takeVoice(qint64 nowMs);
    void publish(const QList<AlertEvent> &events, qint64 nowMs);
    void pickUpStored();

    QString m_profileName;
    QString m_server;
    QString m_rulesMessage;
    AlertEngine m_engine;
    std::unique_ptr<AlertLog> m_log;
    AlertNotifier m_notifier;
    std::unique_ptr<QLockFile> m_voiceLock;
    bool m_voice = false;
    qint64 m_voiceTriedMs = 0;
    qint64 m_lastSeenId = 0;
};

} // namespace qs::alerts
