#pragma once

#include "core/connectionprofile.h"
#include "monitor/pollsnapshot.h"
#include "redis/rediserror.h"

#include <memory>

namespace qs::redis {
class RedisConnection;
}
namespace qs::monitor {
class Poller;
class QueueMonitor;
} // namespace qs::monitor

namespace qs::cli {

// The command line's view of one server, on the same engine as the window: a connection that
// does not retry, queue discovery, and polls with exactly the window's single round trip.
// Blocking is fine here (no GUI); each call runs a local event loop until its answer.
class HeadlessServer
{
public:
    // reconnect: retry a dropped connection with backoff (actions resume where they were);
    // otherwise the first failure is final (checks and listings).
    explicit HeadlessServer(const core::ConnectionProfile &profile, bool reconnect = false);
    ~HeadlessServer();

    redis::RedisError connect();
    QString discoverQueues(); // empty = complete, else why it stopped (queues found are kept)
    monitor::PollSnapshot poll();
    double pingMs(); // one PING round trip, measured on the I/O thread; negative on failure
    monitor::Poller &poller() { return *m_poller; }
    redis::RedisConnection &connection() { return *m_connection; }
    monitor::QueueMonitor &queues() { return *m_queues; }

private:
    std::unique_ptr<redis::RedisConnection> m_connection;
    std::unique_ptr<monitor::QueueMonitor> m_queues;
    std::unique_ptr<monitor::Poller> m_poller;
};

} // namespace qs::cli
