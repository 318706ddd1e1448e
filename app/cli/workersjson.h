#pragma once

#include "monitor/workerscanmerge.h"
#include "queues/workerinfo.h"

#include <QJsonObject>

namespace qs::cli {

// What `workers` shows of one scan, limited to one queue when asked: its workers, stuck jobs
// and notes (frameworks whose workers are unknown, no-consumer queues, the readers' notes).
struct WorkersView
{
    QList<queues::WorkerInfo> workers;
    QList<queues::StuckJob> stuck;
    QStringList notes;
};

// `queue` with an empty name: every queue.
WorkersView workersView(const queues::WorkerScan &scan,
                        const QList<monitor::QueueConsumers> &consumers,
                        const queues::QueueRef &queue, qint64 nowMs);

// {"workers":[{"framework","id","name","host","pid","queues":[],"state","busy","concurrency",
// "currentJobs":[{"queue","id"}],"startedAt","lastSeenAt"}],"stuck":[{"framework","queue","id",
// "reason","sinceMs"}],"notes":[]}; null where the framework does not record a field. Times are
// epoch milliseconds.
QJsonObject workersToJson(const WorkersView &view);
// One line per worker (and its current jobs), then the stuck jobs and the notes.
QString workersToText(const WorkersView &view, qint64 nowMs);
// "no consumer: rq/default has 12 waiting jobs and no live worker (for 3 min)"
QString noConsumerNote(const monitor::QueueConsumers &consumers, qint64 nowMs);

} // namespace qs::cli
