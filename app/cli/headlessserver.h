#pragma once

#include "core/connectionprofile.h"
#include "monitor/pollsnapshot.h"
#include "redis/rediserror.h"

#include <QDeadlineTimer>

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
// Blocking is fine here (no GUI); each call waits for its answer through a Completion, never
// longer than a deadline derived from --timeout (the profile's command timeout).
class HeadlessServer
{
public:
    static constexpr int graceMs = 1'000;

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

    // The deadline of a wait for `rounds` round trips: --timeout each, plus a grace so that the
    // transport's own timeout, with its specific message, normally comes first.
    QDeadlineTimer deadlineFor(int rounds = 1) const;
    // What a command reports when that deadline passed without an answer.
    redis::RedisError noAnswer(const QString &what) const;
    // A full discovery pass may take many round trips; it stops after this long.
    int discoveryBudgetMs() const;

private:
    std::unique_ptr<redis::RedisConnection> m_connection;
    std::unique_ptr<monitor::QueueMonitor> m_queues;
    std::unique_ptr<monitor::Poller> m_poller;
    int m_commandTimeoutMs = 0;
    int m_connectTimeoutMs = 0;
};

} // namespace qs::cli
