#pragma once

#include "core/connectionprofile.h"
#include "monitor/pollsnapshot.h"
#include "redis/rediserror.h"
#include "session/sessionoptions.h"

#include <QDeadlineTimer>

#include <memory>

namespace qs::redis {
class RedisConnection;
}
namespace qs::monitor {
struct CeleryPingResult;
class Poller;
class QueueMonitor;
class WorkerScanner;
} // namespace qs::monitor
namespace qs::session {
class ServerSession;
}

namespace qs::cli {

// The command line's view of one server: a ServerSession (the window's engine, with the command
// line's options: nothing happens by itself, polls with exactly the window's single round
// trip), driven step by step. Blocking is fine here (no GUI); each call waits for its answer
// through a Completion, never longer than a deadline derived from --timeout (the profile's
// command timeout).
class HeadlessServer
{
public:
    static constexpr int graceMs = 1'000;

    // SessionOptions::commandLine(true) retries a dropped connection with backoff (actions
    // resume where they were); otherwise the first failure is final (checks and listings).
    explicit HeadlessServer(
        const core::ConnectionProfile &profile,
        session::SessionOptions options = session::SessionOptions::commandLine());
    ~HeadlessServer();

    redis::RedisError connect();
    QString discoverQueues(); // empty = complete, else why it stopped (queues found are kept)
    monitor::PollSnapshot poll();
    // One scan of every framework's workers (at most WorkerScanner::kMaxRoundTrips round
    // trips), judged against the last poll's backlog; empty = done, else why it failed.
    // Celery's workers come from their heartbeats: with Celery queues on the server, it first
    // subscribes to their events and listens for one heartbeat round (~2.5 s).
    // `listen` false: no listening first (queues, check: Celery's workers then read unknown).
    QString scanWorkers(bool listen = true);
    monitor::WorkerScanner &workers();
    // ServerSession::pingCeleryWorkers (a write: the caller checked the profile and --yes),
    // waited for: one result per Celery installation whose queues are known (audit-logged).
    QList<monitor::CeleryPingResult> pingCeleryWorkers(int timeoutMs);
    double pingMs(); // one PING round trip, measured on the I/O thread; negative on failure
    monitor::Poller &poller();
    redis::RedisConnection &connection();
    monitor::QueueMonitor &queues();
    session::ServerSession &session();

    // The deadline of a wait for `rounds` round trips: --timeout each, plus a grace so that the
    // transport's own timeout, with its specific message, normally comes first.
    QDeadlineTimer deadlineFor(int rounds = 1) const;
    // What a command reports when that deadline passed without an answer.
    redis::RedisError noAnswer(const QString &what) const;
    // A full discovery pass may take many round trips; it stops after this long.
    int discoveryBudgetMs() const;

private:
    void listenForWorkerEvents();

    std::unique_ptr<session::ServerSession> m_session;
    int m_commandTimeoutMs = 0;
    int m_connectTimeoutMs = 0;
};

} // namespace qs::cli
