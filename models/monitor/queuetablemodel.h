#pragma once

#include "monitor/queuehistory.h"

#include "queues/queuecounts.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace qs::monitor {

struct PollSnapshot;
class QueueMonitor;

// The queues of one server as a table, one row per queue. Rows are merged by QueueRef::id() on
// every poll (never reset), so the selection and scroll position of a view survive polling.
// Native state names map onto the unified columns through the framework adapter's states(); the
// tooltip keeps every native count. Completed/min and Failed/min come from the deltas between two
// successful polls, normalised by their timestamps; they are blank on a queue's first poll and
// whenever a counter went down (a clean or trim, not negative throughput).
class QueueTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column {
        Framework,
        Name,
        Waiting,
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
    static constexpr int SortRole = Qt::UserRole + 1;    // numbers for numeric columns
    static constexpr int QueueIdRole = Qt::UserRole + 2; // QueueRef::id(), on every column
    static constexpr int FilterRole = Qt::UserRole + 3;  // "framework name prefix", every column

    struct Row
    {
        queues::QueueRef queue;
        QList<QPair<QString, qint64>> native;
        UnifiedCounts unified;
        std::optional<double> completedPerMinute;
        std::optional<double> failedPerMinute;
        std::optional<qint64> oldestWaitingAgeMs;
        bool paused = false;
        std::optional<qint64> workers;
        QString version;
        QString note;

        bool operator==(const Row &) const = default;
    };

    explicit QueueTableModel(QObject *parent = nullptr);

    // A failed poll changes nothing: the rows keep their last known values and the next rate
    // spans the gap (it is normalised by time, so it stays right).
    void update(const PollSnapshot &snapshot, const QueueMonitor &monitor);
    const Row &row(int row) const { return m_rows.at(row); }
    int rowOf(const QString &queueId) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    template <typename Model, typename RowT, typename KeyOf>
    friend void mergeRowsByKey(Model &, QList<RowT> &, const QList<RowT> &, KeyOf);

    // The counters of the last successful poll, per queue id, for the rates.
    struct Previous
    {
        qint64 timestampMs = 0;
        std::optional<qint64> completed;
        std::optional<qint64> failed;
    };

    QVariant display(const Row &row, Column column) const;
    QVariant sortValue(const Row &row, Column column) const;
    QString toolTip(const Row &row) const;

    QList<Row> m_rows;
    QHash<QString, Previous> m_previous;
};

// "BullMQ", "Bull", "Celery", "RQ", "Sidekiq": how the table names a framework.
QString frameworkLabel(queues::Framework framework);
// "45 s", "12 min", "3.5 h", "2.0 d": an age.
QString formatAge(qint64 milliseconds);

} // namespace qs::monitor
