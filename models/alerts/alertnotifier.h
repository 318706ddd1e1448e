#pragma once

#include "alerts/alertevent.h"
#include "alerts/alertrules.h"

#include <QByteArray>
#include <QList>
#include <QObject>

class QProcess;

namespace qs::alerts {

// Runs the notifier command for each event: `/bin/sh -c COMMAND` with the event's JSON
// (AlertEvent::toJson, one line) on stdin. Never blocks its thread (QProcess, asynchronous); at
// most kMaxRunning commands at once, the rest queued (at most kMaxQueued, the oldest dropped);
// each killed with its process group after the command's timeout; at most kMaxOutputBytes of
// its output kept (stdout and stderr together), the rest read and dropped.
class AlertNotifier final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRunning = 4;
    static constexpr int kMaxQueued = 100;
    static constexpr int kMaxOutputBytes = 4096;

    explicit AlertNotifier(QObject *parent = nullptr);
    ~AlertNotifier() override; // kills what still runs

    void setCommand(const NotifierCommand &command) { m_command = command; }
    const NotifierCommand &command() const { return m_command; }
    // finished(token, ...) follows, always (also when there is no command: "no notifier").
    void notify(const AlertEvent &event, qint64 token);
    int running() const { return int(m_running.size()); }

Q_SIGNALS:
    // outcome: "sent", "failed: exit 7", "failed: cannot start ...", "timed out after 10 s",
    // "dropped: ...", "no notifier"; output: the command's first kMaxOutputBytes.
    void finished(qint64 token, const QString &outcome, const QByteArray &output);

private:
    struct Pending
    {
        QByteArray json;
        qint64 token = 0;
        NotifierCommand command;
    };
    void startNext();
    void start(const Pending &pending);

    NotifierCommand m_command;
    QList<Pending> m_queue;
    QList<QProcess *> m_running;
};

} // namespace qs::alerts
