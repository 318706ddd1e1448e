#pragma once

#include "exposition.h"
#include "queuemetrics.h"

#include "monitor/pollsnapshot.h"
#include "monitor/throughputtracker.h"

#include <QHash>
#include <QList>
#include <QString>

namespace qs::exporter {

// The labels of one server's queues as a scrape built them, kept for the next scrape.
struct QueueLabelCache
{
    QByteArray server; // the `server="..."` label they were built with
    QList<QueueLabels> queues;
};

// What the exporter knows of one watched server when a scrape renders it: the latest poll, the
// latest workers scan and the throughput as of that poll. A plain value (its members are shared,
// not copied): a scrape renders from it without touching a session, and a poll that lands while
// a scrape is being sent does not change what that scrape says.
struct ServerState
{
    QString server;                        // the `server` label: the profile's name, or its URL
    monitor::PollSnapshot snapshot;        // the latest poll; timestampMs 0 before the first one
    QHash<QString, int> liveWorkers;       // QueueRef::id() -> live workers of the latest scan
    monitor::ThroughputTracker throughput; // the session's, as of the latest poll
    QueueLabelCache labels;                // the last scrape's labels of its queues, or nothing
};

// One server, ready to be rendered family by family. A server that did not answer its latest
// poll has `redis_up 0` and `queuescope_up 0` and nothing else: stale counts would read as
// current.
class ServerMetrics
{
public:
    explicit ServerMetrics(ServerState state);

    // The samples of family `familyIndex` (metricfamilies.h), appended to `out`.
    void render(int familyIndex, QByteArray &out) const;
    // Its queues' labels, for the next scrape's ServerState::labels.
    const QueueLabelCache &labels() const { return m_state.labels; }

private:
    ServerState m_state;
    bool m_answered = false;
    bool m_readInFull = false;
};

} // namespace qs::exporter
