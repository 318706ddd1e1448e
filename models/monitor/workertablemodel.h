#pragma once

#include "core/rowtablemodel.h"
#include "queues/workerinfo.h"

namespace qs::monitor {

// The workers of one scan as a table, every framework in one list. Rows merge by framework and
// worker id on every scan (never reset), so selection and scroll survive the 5 s cadence. Ages
// ("up 3 h", "seen 4 s ago") are measured against the scan's own clock, not the view's.
class WorkerTableModel final : public core::RowTableModel<queues::WorkerInfo>
{
    Q_OBJECT
public:
    enum class Column {
        Framework,
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
    static constexpr int ColumnCount = int(Column::CurrentJobs) + 1;
    // queues::WorkerState as an int, on every column: the view colours rows by it.
    static constexpr int StateRole = Qt::UserRole + 2;

    explicit WorkerTableModel(QObject *parent = nullptr);

    void setWorkers(const QList<queues::WorkerInfo> &workers, qint64 scannedAtMs);
    const queues::WorkerInfo &worker(int row) const { return rows().at(row); }
    qint64 scannedAtMs() const { return m_scannedAtMs; }

private:
    QVariant rowData(const queues::WorkerInfo &worker, int role) const override;
    // The age cells read the scan's clock through `scannedAtMs` (this model's own member).
    static QList<core::ColumnSpec<queues::WorkerInfo>> columns(const qint64 *scannedAtMs);

    qint64 m_scannedAtMs = 0;
};

// Whole seconds from `atMs` to the scan (the Up, Last seen and Stuck for columns); -1 when either
// is unknown.
qint64 secondsBefore(const std::optional<qint64> &atMs, qint64 scannedAtMs);

// "emails #42, reports #7": the jobs a worker runs, as their queues and ids.
QString describeCurrentJobs(const QList<queues::WorkerJob> &jobs);

} // namespace qs::monitor
