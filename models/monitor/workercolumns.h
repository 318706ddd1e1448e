#pragma once

#include "core/rowtablemodel.h"
#include "queues/workerinfo.h"

#include <QCoreApplication>

namespace qs::monitor {

// The columns in which the Workers page shows a worker, and the texts its rows share with the
// CLI-free parts of the GUI. Ages ("up 3 h", "seen 4 s ago") are measured against the scan's own
// clock, not the view's.
struct WorkerColumns
{
    Q_DECLARE_TR_FUNCTIONS(WorkerColumns)
public:
    enum class Column {
        Framework, // on a group row: the group ("RQ · web-1")
        Worker,
        Host,
        Pid,
        Queues,
        State,
        Jobs,
        Up,
        LastSeen,
        Version,
        CurrentJobs // last: it stretches with the view
    };
    static constexpr int Count = int(Column::CurrentJobs) + 1;

    // The cells of a worker row; the age cells read the scan's clock through `scannedAtMs`.
    static QList<core::ColumnSpec<queues::WorkerInfo>> specs(const qint64 *scannedAtMs);
};

// Whole seconds from `atMs` to the scan (the Up, Last seen and Stuck for columns); -1 when either
// is unknown.
qint64 secondsBefore(const std::optional<qint64> &atMs, qint64 scannedAtMs);

// "emails #42, reports #7": the jobs a worker runs, as their queues and ids.
QString describeCurrentJobs(const QList<queues::WorkerJob> &jobs);

// "3 busy, 1 idle, 1 offline": how many workers are in each state, busiest first; "" for none.
QString describeStates(const QList<queues::WorkerInfo> &workers);

// "RQ · web-1": the group a worker is shown in on the Workers page.
QString workerGroupLabel(const queues::WorkerInfo &worker);

} // namespace qs::monitor
