#pragma once

#include "queueref.h"
#include "redis/redisreply.h"
#include "workerinfo.h"

#include <QList>

#include <functional>

namespace qs::queues {

// How one framework's workers are read. Sans-I/O like QueueAdapter: a reader BUILDS commands
// and PARSES their replies; a scanner sends every framework's step in one pipeline, so that a
// scan costs at most three round trips however many workers there are. Read-only: nothing here
// may write (a monitor never SREMs a dead Sidekiq process, never pings a Celery worker).
//
// One reader serves one scan: it may keep what step 1 found to build step 2.
class WorkerReader
{
public:
    virtual ~WorkerReader() = default;

    struct Context
    {
        QByteArray prefix;      // the framework's prefix/namespace on this server
        QList<QueueRef> queues; // the queues known on this server for this framework/prefix
        qint64 nowMs = 0;       // wall clock, epoch ms
        const WorkerScan *previous = nullptr; // the scanner's last scan, or nullptr (first scan)
        // For a framework whose workers announce themselves (Celery): how many of this
        // installation's workers the event sources know alive at the scan's start; nullopt when
        // that is not known (stream not followed, or no heartbeat heard on it).
        std::optional<int> liveFromEvents;
        // On a Redis Cluster: the master ("host:port") serving `key`'s slot now, "" when none
        // does. Unset on a standalone server (and behind Sentinel).
        std::function<QString(const QByteArray &key)> clusterMasterOf;
    };

    // The commands of the next step; empty when the reader is done. `replies` holds exactly one
    // reply per command of the previous step, in order (empty for step 1). Identical commands of
    // several readers in one step (CLIENT LIST for BullMQ and Bull) are sent once by the scanner.
    virtual QList<redis::RedisCommand> nextStep(const QList<redis::RedisReply> &replies) = 0;

    // After nextStep() returned nothing: adds what was read to `scan` (workers, stuck jobs,
    // unknown, notes).
    virtual void finish(WorkerScan &scan) = 0;
};

} // namespace qs::queues
