#pragma once

#include "core/connectionprofile.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace qs::session {

// How a ServerSession connects, polls and looks for queues. The presets below are the ways
// QueueScope watches a server today; a new consumer starts from the closest one.
struct SessionOptions
{
    // When the session looks for queues by itself (it always can be asked: queues()->discover()).
    enum class Discovery {
        Manual,         // never: the owner discovers (the command line, step by step)
        FirstConnect,   // when the first connect starts the polling (the window)
        WhileNoQueues,  // on every connect while no queue is known yet (the overview)
        EveryReconnect, // on every reconnect while polling: the server may be another one now
    };

    QString clientName = QStringLiteral("queuescope"); // CLIENT SETNAME of the connection
    // Non-empty: polls run on a second connection of that name, so that a poll never waits
    // behind a page's request and vice versa. Empty: one connection does both.
    QString pollClientName;
    bool reconnect = true; // retry a dropped connection with backoff
    // Each connection reads on a thread of its own; off: on the session's thread
    // (TransportOptions::ownThread).
    bool ownIoThreads = true;
    QList<QByteArray> infoSections; // empty: the poller's charted sections
    std::optional<int> intervalMs;  // unset: the poller's default
    bool details = true;            // queue details (throughput, oldest waiting) on their cadence
    std::optional<int> detailIntervalMs; // unset: QueueMonitor::DefaultDetailIntervalMs (10 s)
    // The first connect starts the poller; otherwise the owner starts it. Either way, a
    // reconnect while polling polls at once (no wait for the next tick after an outage).
    bool startPollingOnConnect = false;
    Discovery discovery = Discovery::Manual;
    bool pollAfterDiscovery = false; // counts of the queues just found without waiting a tick
    // Discover again after each pass while polling, after a pause that grows with its cost.
    bool rediscover = false;
    // Set: that pause is at least this long (a new queue shows after it at the latest).
    std::optional<int> rediscoverMinMs;
    bool keepHistory = false; // the charted MetricHistory of every poll
    // Read the workers of every framework (monitor::WorkerScanner) on their own cadence while
    // polling. Off: the scanner scans only when asked (the command line).
    bool workers = false;
    std::optional<int> workersIntervalMs; // unset: WorkerScanner::defaultIntervalMs (5 s)
    // Follow, from every poll's waiting counts, which queues have jobs waiting and no worker
    // (WorkerScanner::consumers(): the window's queue table, `workers`, queueLostConsumers).
    bool consumers = true;
    // Non-empty: every poll is also recorded in this history database (history::HistoryRecorder).
    QString historyPath;
    std::optional<int> historyFlushMs; // unset: HistoryRecorder::defaultFlushMs (10 s)
    // Evaluate the profile's alert rules on every poll, store the events next to the history
    // (historyPath; in memory without) and run the notifier (alerts::AlertMonitor).
    bool alerts = false;

    // The window: browsing and polling on two connections, the profile's interval, the full
    // history, new queues found while it runs.
    static SessionOptions window(const core::ConnectionProfile &profile);
    // A tile of the overview: one connection, a poll every 10 s of a few INFO sections and the
    // queues' counts only (one round trip), queues looked for until some are found, workers read
    // every 30 s.
    static SessionOptions overview();
    static constexpr int overviewIntervalMs = 10'000;
    static constexpr int overviewWorkersIntervalMs = 30'000;
    // A command: nothing happens by itself; `resume` retries a dropped connection (actions).
    static SessionOptions commandLine(bool resume = false);
    // `watch`: a command that keeps polling across reconnects, looking for queues again after
    // each one and now and then.
    static SessionOptions watch(int intervalMs);
    // `record`: a headless recorder of the profile's history, polling at its interval across
    // reconnects, looking for new queues now and then.
    static SessionOptions record(const core::ConnectionProfile &profile);

    // `exporter`: polls every `intervalMs` across reconnects for a Prometheus scrape (the
    // scrape itself never touches Redis), looking for new queues every 2 minutes at most,
    // reading workers every 30 s and the queues' details (throughput counters, oldest waiting)
    // every 15 s; no queue's lost consumers followed (no metric says it); its connections read
    // on its one thread, which does nothing else that takes long. An exporter watches
    // fleets (50 servers x 200 queues is 10,000 queues on one core): each discovery pass and
    // workers scan costs about what a poll does, a tick that reads details about twice a
    // plain one, and a queue that appears within 2 minutes, workers counted within 30 s,
    // counters read within 15 s are what a dashboard scraped every 15-60 s shows anyway
    // (docs/performance.md, issue 17).
    static SessionOptions exporter(int intervalMs);
    static constexpr int exporterRediscoverMinMs = 120'000;
    static constexpr int exporterWorkersIntervalMs = 30'000;
    static constexpr int exporterDetailIntervalMs = 15'000;

    // Where a profile's history lives (one database per server): named after the profile, or
    // after its URL (without the password) when it has no name.
    static QString historyPathFor(const core::ConnectionProfile &profile);
};

} // namespace qs::session
