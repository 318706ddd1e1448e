#pragma once

#include "sessionoptions.h"

#include "core/connectionprofile.h"
#include "monitor/celeryping.h"
#include "monitor/healthreport.h"
#include "monitor/historysamples.h"
#include "monitor/metrichistory.h"
#include "monitor/pollsnapshot.h"
#include "monitor/throughputtracker.h"
#include "monitor/topologychanges.h"
#include "redis/connectionstatus.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace qs::redis {
class RedisConnection;
}
namespace qs::monitor {
class Poller;
class QueueMonitor;
class WorkerEventSources;
class ThroughputBackfill;
class WorkerScanner;
} // namespace qs::monitor

namespace qs::history {
class HistoryRecorder;
}
namespace qs::alerts {
class AlertMonitor;
}

namespace qs::session {

// One watched server: its connection (and, by option, a second one for the poller), the queue
// monitor, the poller, and what polling found: the latest poll, the health, the history. The
// window, the overview's tiles and the command line each build one from their SessionOptions.
// Lives on its owner's thread; all I/O is asynchronous.
class ServerSession final : public QObject
{
    Q_OBJECT
public:
    ServerSession(core::ConnectionProfile profile, SessionOptions options,
                  QObject *parent = nullptr);
    ~ServerSession() override;

    const core::ConnectionProfile &profile() const { return m_profile; }
    const SessionOptions &options() const { return m_options; }
    redis::RedisConnection *connection() const { return m_connection; }
    redis::RedisConnection *pollConnection() const { return m_pollConnection; }
    monitor::Poller *poller() const { return m_poller; }
    monitor::QueueMonitor *queues() const { return m_queues; }
    // The workers of every framework: scanning by itself while polling with the option
    // `workers`, otherwise when asked (refresh()).
    monitor::WorkerScanner *workers() const { return m_workers; }
    // Celery's workers from its event stream: a subscription per Celery installation whose
    // queues are known, started by the first workers scan that finds them (a source of
    // workers()); a command starts them itself to listen before it scans.
    monitor::WorkerEventSources *workerEvents() const { return m_workerEvents; }
    const monitor::MetricHistory &history() const { return m_history; } // keepHistory only
    // The history on disk (option historyPath), nullptr without; its message says when the
    // database cannot be used (then only the memory history goes on).
    history::HistoryRecorder *recorder() const { return m_recorder.get(); }
    // The alert rules evaluated on every poll (option alerts), nullptr without.
    alerts::AlertMonitor *alerts() const { return m_alerts.get(); }
    const monitor::PollSnapshot &latest() const { return m_latest; }
    // Every queue's completed and failed per minute, as of the latest poll (also recorded).
    const monitor::ThroughputTracker &throughput() const { return m_throughput; }
    const monitor::HealthReport &health() const { return m_health; }
    // Failovers and cluster nodes failing or coming back, seen between polls of this session
    // (the newest maxTopologyChanges), for the charts' markers and the log.
    const QList<monitor::TopologyChange> &topologyChanges() const { return m_topologyChanges; }
    static constexpr int maxTopologyChanges = 100;
    bool hasHealth() const { return m_hasHealth; } // a poll succeeded
    const redis::ConnectionStatus &status() const; // of the browsing connection
    // Why this server shows no fresh data, as one phrase for the status bar and the dashboard
    // ("unreachable: Connection refused by 127.0.0.1:1", "poll failed: ..."); empty while all is
    // well or while the first connection attempt is still under way.
    QString problem() const;

    void open();
    void close();

    // "Ping workers" (issue 14). A WRITE: offer it only on a writable profile, after the user
    // confirmed. One broadcast ping per Celery installation whose queues are known (as `celery
    // inspect ping`: monitor/celeryping.h), each on a connection of its own; never blocks:
    // celeryWorkersPinged() brings every installation's result (an empty list when no Celery
    // queue is known), each also written to the audit log with `origin` ("gui", "cli"). On a
    // read-only profile nothing is sent: each result is refused (errorKind ReadOnlyRefused).
    void pingCeleryWorkers(int timeoutMs = monitor::CeleryPing::kDefaultTimeoutMs,
                           const QString &origin = QStringLiteral("gui"));
    // Applies one poll: history, latest, health, then polled(). Connected to the poller; public
    // so that a recorded or synthetic poll can be replayed (benchmarks, demos).
    void applyPoll(const monitor::PollSnapshot &snapshot);

Q_SIGNALS:
    void polled(); // latest, health and history updated
    void statusChanged(const qs::redis::ConnectionStatus &status);   // of the browsing connection
    void healthChanged(qs::monitor::HealthReport::Status status);    // on transitions only
    void topologyChanged(const qs::monitor::TopologyChange &change); // also in topologyChanges()
    void celeryWorkersPinged(const QList<qs::monitor::CeleryPingResult> &results);

private:
    void onPollConnectionUp();
    void noteTopologyChanges(const monitor::PollSnapshot &snapshot);

    core::ConnectionProfile m_profile;
    SessionOptions m_options;
    redis::RedisConnection *m_connection = nullptr;
    redis::RedisConnection *m_pollConnection = nullptr; // m_connection unless separate
    monitor::Poller *m_poller = nullptr;
    monitor::QueueMonitor *m_queues = nullptr;
    monitor::WorkerScanner *m_workers = nullptr;
    monitor::WorkerEventSources *m_workerEvents = nullptr;
    QTimer m_rediscover; // discovery again after a pause that grows with its cost
    monitor::MetricHistory m_history;
    std::unique_ptr<history::HistoryRecorder> m_recorder;
    monitor::ThroughputBackfill *m_backfill = nullptr; // with m_recorder
    monitor::HistorySamples m_samples;                 // what each poll adds to m_recorder
    std::unique_ptr<alerts::AlertMonitor> m_alerts;
    monitor::ThroughputTracker m_throughput;
    monitor::PollSnapshot m_latest;
    monitor::HealthReport m_health;
    bool m_hasHealth = false;
    redis::Topology m_lastTopology; // of the last successful poll
    QList<monitor::TopologyChange> m_topologyChanges;
};

} // namespace qs::session
