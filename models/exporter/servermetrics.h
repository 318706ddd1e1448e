#pragma once

#include "exposition.h"
#include "queuemetrics.h"

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
    // `previous`: this server's last render, whose queue labels are reused where the queues are
    // the same (the result is the same as without it) and whose sizes are reserved.
    static ServerMetrics render(const ServerState &state, const ServerMetrics &previous = {});

    const QByteArray &body(int familyIndex) const; // empty before render()
    qsizetype size() const;                        // bytes of all bodies

private:
    QList<QByteArray> m_bodies;
    QByteArray m_server; // the rendered server label the queue labels were built with
    QList<QueueLabels> m_queueLabels;
};

// A scrape of several servers: every family that has a sample, HELP and TYPE once, then each
// server's samples in the order given.
QByteArray renderExposition(const QList<const ServerMetrics *> &servers, ExpositionFormat format);
// The same scrape as the pieces it is made of, in order: each family's header, then the servers'
// bodies of that family shared (not copied), then the end. A fleet's scrape is megabytes (14.6 MB
// for 50 servers x 200 queues); written to the socket piece by piece it never exists in one
// buffer, nor in a copy of it in the socket's.
QList<QByteArray> expositionPieces(const QList<const ServerMetrics *> &servers,
                                   ExpositionFormat format);

} // namespace qs::exporter
