#pragma once

#include "alerts/alertevent.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace qs::alerts {

// One stored event with what became of it.
struct StoredAlert
{
    qint64 id = 0;
    AlertEvent event;
    std::optional<qint64> acknowledgedMs;
    // What the notifier did: "sent", "snoozed", "no notifier", "failed: exit 7", "timed out
    // after 10 s", "pending"; empty when this process did not notify (another one did).
    QString notified;

    bool operator==(const StoredAlert &) const = default;
};

// A rule muted for a queue (empty: the server's series; "*": every queue) until a time: its
// events are still stored, but nobody is notified.
struct AlertSnooze
{
    QString rule;
    QString queue;
    qint64 untilMs = 0;
};

// The fired, resolved and flapping events of one server, with acknowledgements and snoozes:
// tables alert_events and alert_snoozes in the server's history database (one file holds all
// that happened to a server; `queuescope alerts` finds it from the profile as `history` does).
// Its own connection on the owner's thread: writes are one row each and rare. A database that
// cannot be used is said in message() and events are kept in memory instead (the newest 1,000).
// Events older than 90 days are dropped when the log opens.
class AlertLog
{
public:
    static constexpr qint64 kRetentionMs = 90LL * 86'400'000;
    static constexpr int kMemoryEvents = 1'000;

    // `path` empty: memory only. `create` false: a missing database is an empty log.
    explicit AlertLog(QString path, bool create = true);
    ~AlertLog();
    AlertLog(const AlertLog &) = delete;
    AlertLog &operator=(const AlertLog &) = delete;

    bool onDisk() const { return m_onDisk; }
    QString message() const { return m_message; } // empty when all is well

    qint64 append(const AlertEvent &event, const QString &notified); // the new event's id
    void setNotified(qint64 id, const QString &notified);
    bool acknowledge(qint64 id, qint64 nowMs); // false: no such event
    // untilMs <= now clears the snooze.
    void snooze(const QString &rule, const QString &queue, qint64 untilMs);
    bool isSnoozed(const QString &rule, const QString &queue, qint64 nowMs) const;
    QList<AlertSnooze> snoozes(qint64 nowMs) const;
    // The newest `limit` events with an id above `afterId`, newest first.
    QList<StoredAlert> events(int limit = 200, qint64 afterId = 0) const;

private:
    bool open(bool create);
    bool exec(const QString &statement) const;
    void fail(const QString &what);

    QString m_path;
    QString m_connectionName;
    bool m_onDisk = false;
    QString m_message;
    QList<StoredAlert> m_memory; // without a database: newest last
    QHash<QString, AlertSnooze> m_memorySnoozes;
    qint64 m_nextMemoryId = 1;
};

} // namespace qs::alerts

Q_DECLARE_METATYPE(qs::alerts::StoredAlert)
