#pragma once

#include "monitor/workercolumns.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace qs::monitor {

// The workers of one scan as a tree: one group per framework and host ("RQ · web-1", with how
// many workers it has and in which states), its workers below. Groups and workers merge by key on
// every scan (never reset), so selection, expansion and scroll survive the 5 s cadence.
class WorkerTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    using Column = WorkerColumns::Column;
    static constexpr int ColumnCount = WorkerColumns::Count;
    static constexpr int SortRole = core::cellSortRole;
    // queues::WorkerState as an int on every column of a worker row (the view colours rows by
    // it); invalid on group rows.
    static constexpr int StateRole = Qt::UserRole + 2;

    explicit WorkerTreeModel(QObject *parent = nullptr);
    ~WorkerTreeModel() override;

    void setWorkers(const QList<queues::WorkerInfo> &workers, qint64 scannedAtMs);
    // The worker of a row; nullptr on a group row.
    const queues::WorkerInfo *worker(const QModelIndex &index) const;
    int workerCount() const;
    qint64 scannedAtMs() const { return m_scannedAtMs; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Group;
    struct GroupNotify;

    QVariant groupData(const Group &group, int column, int role) const;
    int groupRow(const Group *group) const;
    void mergeGroup(Group &group, const QList<queues::WorkerInfo> &workers);

    std::vector<std::unique_ptr<Group>> m_groups;
    QList<core::ColumnSpec<queues::WorkerInfo>> m_columns;
    qint64 m_scannedAtMs = 0;
};

} // namespace qs::monitor
