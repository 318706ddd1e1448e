#pragma once

#include "queues/queuecounts.h"
#include "redis/infosnapshot.h"
#include "redis/rediserror.h"
#include "redis/topology.h"

#include <QMetaType>

namespace qs::monitor {

// What one poll cost: shown in the status bar and printed by `watch`, so the tool's own load on
// Redis is never a mystery.
struct PollCost
{
    int commands = 0;
    int roundTrips = 0;
    qint64 bytesSent = 0;
    qint64 bytesReceived = 0;
    double milliseconds = 0;
};

// One tick of a Poller: a plain value, copied to the GUI thread.
struct PollSnapshot
{
    qint64 timestampMs = 0;  // wall clock (ms since epoch) when the poll completed
    redis::RedisError error; // set when the poll failed: the history records a gap
    redis::InfoSnapshot info;
    QList<queues::QueueCounts> queues;        // every known queue, counted in the same trip
    QList<queues::ServerCounts> queueServers; // framework-wide sets (Sidekiq retry/dead, ...)
    // The nodes behind this poll: the server and its replicas (standalone), every node of a
    // cluster, the master, replicas and sentinels of a Sentinel group. Empty when the poll failed.
    redis::Topology topology;
    PollCost cost;

    bool ok() const { return error.isNone(); }
};

} // namespace qs::monitor

Q_DECLARE_METATYPE(qs::monitor::PollSnapshot)
