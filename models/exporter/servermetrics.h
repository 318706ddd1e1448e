#pragma once

#include "exposition.h"

#include "monitor/pollsnapshot.h"
#include "monitor/throughputtracker.h"

#include <QHash>
#include <QList>
#include <QString>

namespace qs::exporter {

// What the exporter knows of one watched server when it renders it: the latest poll and the
// latest workers scan. A plain value: the HTTP side renders without touching a session.
struct ServerState
{
    QString server;                        // the `server` label: the profile's name, or its URL
    monitor::PollSnapshot snapshot;        // the latest poll; timestampMs 0 before the first one
    QHash<QString, int> liveWorkers;       // QueueRef::id() -> live workers of the latest scan
    monitor::ThroughputTracker throughput; // the session's, as of the latest poll (a copy)
};

// One server's samples, family by family (familyAt(i) -> body(i)), rendered once per poll so that
// a scrape only concatenates: the exposition format wants each family's samples together, across
// servers, under one HELP and TYPE. A server that did not answer its latest poll has
// `redis_up 0` and `queuescope_up 0` and nothing else: stale counts would read as current.
class ServerMetrics
{
public:
    ServerMetrics() = default;
    static ServerMetrics render(const ServerState &state);

    const QByteArray &body(int familyIndex) const; // empty before render()
    qsizetype size() const;                        // bytes of all bodies

private:
    QList<QByteArray> m_bodies;
};

// A scrape of several servers: every family that has a sample, HELP and TYPE once, then each
// server's samples in the order given.
QByteArray renderExposition(const QList<const ServerMetrics *> &servers, ExpositionFormat format);
// The same into `out`, replacing what it held and reusing its room: a fleet's scrape is megabytes,
// and a buffer allocated afresh for each scrape is faulted into memory afresh.
void renderExposition(const QList<const ServerMetrics *> &servers, ExpositionFormat format,
                      QByteArray &out);

} // namespace qs::exporter
