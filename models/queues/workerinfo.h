#pragma once

#include "queueref.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace qs::queues {

// What a worker is doing, as QueueScope shows it for every framework.
enum class WorkerState {
    Busy,      // running at least one job
    Idle,      // alive, waiting for work
    Quiet,     // alive, takes no new work (Sidekiq TSTP / quiet)
    Suspended, // alive, its framework told it to stop taking work (RQ `rq suspend`)
    Offline,   // its heartbeat expired (or its connection went away) since it was last seen
    Unknown,   // alive, but the framework does not say what it does (a Bull connection)
};
QString workerStateName(WorkerState state); // "busy", "idle", "quiet", "suspended", ...

// A job a worker runs now: enough to open its detail (the queue's name as the framework
// stores it and the job's id there).
struct WorkerJob
{
    QByteArray queue;
    QString id;
    bool operator==(const WorkerJob &) const = default;
};

// One worker (a process, or for BullMQ/Bull one named client connection) as its framework
// records it. Optional fields are unset where the framework does not record them; the CLI
// writes them as null.
struct WorkerInfo
{
    Framework framework = Framework::BullMQ;
    QByteArray prefix; // the prefix/namespace of the queues it consumes
    QString id;        // stable across scans: Sidekiq identity, RQ worker name, Celery hostname,
                       // BullMQ/Bull client address + name
    QString name;      // as shown: worker name, or the id when it has none
    QString host;
    QString node; // Redis Cluster: the node ("host:port") its connection was listed on; empty
                  // on a standalone server (and behind Sentinel)
    std::optional<qint64> pid;
    QList<QByteArray> queues; // queue names as stored (binary-safe)
    WorkerState state = WorkerState::Unknown;
    std::optional<int> busy;        // jobs running now
    std::optional<int> concurrency; // jobs it may run at once
    QList<WorkerJob> currentJobs;
    std::optional<qint64> startedAtMs; // epoch ms
    std::optional<qint64>
        lastSeenAtMs;             // epoch ms of its last heartbeat (or of the scan that saw it)
    std::optional<qint64> idleMs; // BullMQ/Bull: CLIENT LIST idle
    QString version;              // the framework's version it reports, "" when unknown
    QString detail;               // framework-specific one-liner (rss, job counts, ...)
    bool operator==(const WorkerInfo &) const = default;
};

// A job that no live worker will finish by itself, with what will happen to it.
struct StuckJob
{
    Framework framework = Framework::BullMQ;
    QByteArray prefix;
    QByteArray queue;
    QString id;
    QString reason;  // "stalled: lock expired", "abandoned: worker gone", "lost: process offline"
    QString outcome; // what the framework does next, in one sentence
    std::optional<qint64> sinceMs; // epoch ms since when it is stuck, when known
    bool operator==(const StuckJob &) const = default;
};

// What an event source knows of one installation's workers (Celery's heartbeats): how many
// are alive now. Only reported while its event stream is followed and heartbeats have been heard
// on it; without that, whether any worker is alive is unknown (workers may run without
// heartbeats), and readers must not guess.
struct EventLiveness
{
    Framework framework = Framework::Celery;
    QByteArray prefix;
    int alive = 0;
    bool operator==(const EventLiveness &) const = default;
};

// One read of every framework's workers on a server.
struct WorkerScan
{
    QList<WorkerInfo> workers;
    QList<StuckJob> stuck;
    // Frameworks whose workers could not be read, with why ("workers unknown: CLIENT LIST not
    // permitted"): never reported as zero workers.
    QList<QPair<Framework, QString>> unknown;
    QStringList notes; // what the reader wants the operator to know (e.g. Celery without events)
    QList<EventLiveness> liveness; // from the event sources (WorkerScanner::addEventSource)
    qint64 scannedAtMs = 0;
    int roundTrips = 0;
    int commands = 0;
};

} // namespace qs::queues

Q_DECLARE_METATYPE(qs::queues::WorkerScan)
