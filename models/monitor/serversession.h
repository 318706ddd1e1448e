#pragma once

#include "healthreport.h"
#include "metrichistory.h"
#include "pollsnapshot.h"

#include "core/connectionprofile.h"
#include "redis/connectionstatus.h"

#include <QObject>
#include <QTimer>

namespace qs::redis {
class RedisConnection;
}

namespace qs::monitor {

class Poller;
class QueueMonitor;

// Everything the window knows about one open server: the browsing connection, a cloned
// connection for the poller (so a poll never waits behind a page's request and vice versa),
// the metric history and the latest health. Lives on the GUI thread; all I/O is asynchronous.
class ServerSession final : public QObject
{
    Q_OBJECT
public:
    explicit ServerSession(core::ConnectionProfile profile, QObject *parent = nullptr);
    ~ServerSession() override;

    const core::ConnectionProfile &profile() const { return m_profile; }
    redis::RedisConnection *connection() const { return m_connection; }
    Poller *poller() const { return m_poller; }
    QueueMonitor *queues() const { return m_queues; }
    const MetricHistory &history() const { return m_history; }
    const PollSnapshot &latest() const { return m_latest; }
    const HealthReport &health() const { return m_health; }
    const redis::ConnectionStatus &status() const;
    // Why this server shows no fresh data, as one phrase for the status bar and the dashboard
    // ("unreachable: Connection refused by 127.0.0.1:1", "poll failed: ..."); empty while all is
    // well or while the first connection attempt is still under way.
    QString problem() const;

    void open();
    void close();
    // Applies one poll: history, latest, health, then polled(). Connected to the poller; public
    // so that a recorded or synthetic poll can be replayed (benchmarks, demos).
    void applyPoll(const PollSnapshot &snapshot);

Q_SIGNALS:
    void polled(); // history, latest and health updated
    void statusChanged(const qs::redis::ConnectionStatus &status); // of the browsing connection
    void healthChanged(qs::monitor::HealthReport::Status status);  // on transitions only

private:
    core::ConnectionProfile m_profile;
    redis::RedisConnection *m_connection = nullptr;
    redis::RedisConnection *m_pollConnection = nullptr;
    Poller *m_poller = nullptr;
    QueueMonitor *m_queues = nullptr;
    QTimer m_rediscover; // discovery again after a pause that grows with its cost
    MetricHistory m_history;
    PollSnapshot m_latest;
    HealthReport m_health;
    bool m_hasHealth = false;
};

} // namespace qs::monitor
