#pragma once

#include "core/connectionprofile.h"

#include <QProcess>
#include <QString>

#include <memory>

namespace qs::test {

// The hostile Redis double (tests/support/hostileredis.py, run by /usr/bin/python3) on a free
// loopback port: it passes QueueScope's handshake, then misbehaves in one way on every later
// command (or only on INFO). Behaviours: trickle, trickle-all, huge-bulk, endless-array,
// huge-info, big-info-field, lie-long, lie-short, close-mid, garbage, normal (see the script).
// Stopped in the destructor.
class HostileServer
{
public:
    explicit HostileServer(QString behaviour, double trickleIntervalSeconds = 0.5);
    ~HostileServer();
    HostileServer(const HostileServer &) = delete;
    HostileServer &operator=(const HostileServer &) = delete;

    bool start(QString *error = nullptr); // waits until it listens (at most 10 s)
    quint16 port() const { return m_port; }
    QString url() const; // redis://127.0.0.1:<port>
    core::ConnectionProfile profile() const;

private:
    QString m_behaviour;
    double m_interval = 0.5;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};

// One run of the real `queuescope` binary under GNU time: its exit code, output and the peak
// resident memory of the process (ru_maxrss, i.e. VmHWM at exit), and how long it ran.
struct MeasuredRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 peakRssKb = -1;
    qint64 elapsedMs = -1;
};
MeasuredRun runQueuescopeMeasured(const QStringList &args, int timeoutMs = 60'000);

} // namespace qs::test
