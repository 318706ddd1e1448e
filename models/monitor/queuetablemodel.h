#pragma once

#include "monitor/counterrate.h"
#include "monitor/queuehistory.h"
#include "monitor/workerscanmerge.h"

#include "queues/queuecounts.h"

#include "core/rowtablemodel.h"

#include <QHash>

#include <optional>

namespace qs::monitor {

struct PollSnapshot;
class QueueMonitor;

// A per-minute rate and where it comes from (the cell's tooltip).
struct QueueRate
{
    std::optional<double> perMinute;
    bool atLeast = false; // a lower bound: shown as "≥"
    QString source;       // how it was measured, or why it is unknown

    bool operator==(const QueueRate &) const = default;
};

// One queue as the table shows it.
struct QueueRow
{
    queues::QueueRef queue;
    QList<QPair<QString, qint64>> native;
    UnifiedCounts unified;
    std::optional<qint64> waitingChildren; // BullMQ parents waiting for their children
    QueueRate completedRate;
    QueueRate failedRate;
    std::optional<qint64> oldestWaitingAgeMs;
    QString oldestWaitingWhy;
    bool paused = false;
    std::optional<qint64> workers; // live consumers (the worker scan), else what the poll counted
    std::optional<qint64> unconsumedSinceMs; // no consumer for longer than the threshold: since
    QString version;
    QString note;

    bool operator==(const QueueRow &) const = default;
};

// The queues of one server as a table, one row per queue. Rows are merged by QueueRef::id() on
// every poll (never reset), so the selection and scroll position of a view survive polling.
// Native state names map onto the unified columns through the framework adapter's states(); the
// tooltip keeps every native count. Completed/min and Failed/min come from the queue's details
// (QueueDetails): a counter the framework keeps (rate over about a minute of readings), else the
// jobs of the finished sets that finished in the last minute ("≥" when the set may have been
// trimmed within it), else "—" with the reason in the cell's tooltip. Never from the deltas of
// the set sizes: removeOnComplete keeps a busy set at its cap, so they read 0 while jobs flow.
class QueueTableModel final : public core::RowTableModel<QueueRow>
{
    Q_OBJECT
public:
    enum class Column {
        Framework,
        Name,
        Waiting,
        Prioritized,
        WaitingChildren,
        Active,
        Delayed,
        Failed,
        Completed,
        CompletedPerMinute,
        FailedPerMinute,
        OldestWaiting,
        Paused,
        Workers,
        Note
    };
    static constexpr int ColumnCount = int(Column::Note) + 1;
    static constexpr int QueueIdRole = Qt::UserRole + 2; // QueueRef::id(), on every column
    static constexpr int FilterRole = Qt::UserRole + 3;  // "framework name prefix", every column

    using Rate = QueueRate;
    using Row = QueueRow;

    explicit QueueTableModel(QObject *parent = nullptr);

    // A failed poll changes nothing: the rows keep their last known values and the next rate
    // spans the gap (it is normalised by time, so it stays right).
    void update(const PollSnapshot &snapshot, const QueueMonitor &monitor);
    // The live consumers of each queue from the latest worker scan: the Workers column, and
    // "no consumer" in the Note column of a queue that waits with nobody to work it.
    void setConsumers(const QList<QueueConsumers> &consumers);
    const Row &row(int row) const { return rows().at(row); }
    int rowOf(const QString &queueId) const; // -1 when absent

protected:
    QVariant rowData(const Row &row, int role) const override;

private:
    static QList<core::ColumnSpec<QueueRow>> columns();
    void applyConsumers(Row &row) const;
    QHash<QString, QueueConsumers> m_consumers;      // per queue id
    QHash<QString, CounterRate> m_completedCounters; // per queue id
    QHash<QString, CounterRate> m_failedCounters;
};

// "45 s", "12 min", "3.5 h", "2.0 d": an age.
QString formatAge(qint64 milliseconds);
// "120", "4.5", "≥300", "—" (unknown), "" (not read yet): a rate cell.
QString formatRate(const QueueTableModel::Rate &rate);
// The rate of one outcome from a queue's details; `counter` keeps the readings of its counter.
QueueTableModel::Rate rateFrom(const queues::Throughput &throughput, qint64 readAtMs,
                               CounterRate &counter);

} // namespace qs::monitor
