#include "monitor/workertreemodel.h"

#include "frameworks/registry.h"

#include <QHash>

namespace qs::monitor {

using queues::WorkerInfo;

// One framework-and-host group and its workers, in the order they first appeared.
struct WorkerTreeModel::Group
{
    QString label;
    QList<WorkerInfo> workers;
};

// What core::mergeRows tells the tree: rows below one group.
struct WorkerTreeModel::GroupNotify
{
    WorkerTreeModel *model;
    QModelIndex parent;
    void beginRemove(int first, int last) { model->beginRemoveRows(parent, first, last); }
    void endRemove() { model->endRemoveRows(); }
    void changed(int first, int last)
    {
        Q_EMIT model->dataChanged(model->index(first, 0, parent),
                                  model->index(last, ColumnCount - 1, parent));
    }
    void beginInsert(int first, int last) { model->beginInsertRows(parent, first, last); }
    void endInsert() { model->endInsertRows(); }
};

namespace {

QString workerKey(const WorkerInfo &worker)
{
    return frameworks::label(worker.framework) + u'/' + QString::fromLatin1(worker.prefix.toHex()) +
           u'/' + worker.id;
}

} // namespace

WorkerTreeModel::WorkerTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_columns(WorkerColumns::specs(&m_scannedAtMs))
{
}

WorkerTreeModel::~WorkerTreeModel() = default;

void WorkerTreeModel::setWorkers(const QList<WorkerInfo> &workers, qint64 scannedAtMs)
{
    m_scannedAtMs = scannedAtMs;
    QStringList order;
    QHash<QString, QList<WorkerInfo>> byGroup;
    for (const WorkerInfo &worker : workers) {
        const QString label = workerGroupLabel(worker);
        if (!byGroup.contains(label))
            order.append(label);
        byGroup[label].append(worker);
    }
    for (int row = int(m_groups.size()) - 1; row >= 0; --row) {
        if (byGroup.contains(m_groups[row]->label))
            continue;
        beginRemoveRows({}, row, row);
        m_groups.erase(m_groups.begin() + row);
        endRemoveRows();
    }
    for (const std::unique_ptr<Group> &group : m_groups)
        mergeGroup(*group, byGroup.take(group->label));
    std::vector<std::unique_ptr<Group>> added;
    for (const QString &label : std::as_const(order)) {
        if (byGroup.contains(label))
            added.push_back(std::make_unique<Group>(Group{label, byGroup.take(label)}));
    }
    if (!added.empty()) {
        const int first = int(m_groups.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (std::unique_ptr<Group> &group : added)
            m_groups.push_back(std::move(group));
        endInsertRows();
    }
    if (m_groups.empty())
        return;
    // Group summaries follow their workers; ages move with the clock even where nothing else did.
    Q_EMIT dataChanged(index(0, 0), index(int(m_groups.size()) - 1, ColumnCount - 1));
    for (int row = 0; row < int(m_groups.size()); ++row) {
        const QModelIndex group = index(row, 0);
        Q_EMIT dataChanged(index(0, int(Column::Up), group),
                           index(rowCount(group) - 1, int(Column::LastSeen), group));
    }
}

void WorkerTreeModel::mergeGroup(Group &group, const QList<WorkerInfo> &workers)
{
    core::mergeRows(group.workers, workers, workerKey,
                    GroupNotify{this, index(groupRow(&group), 0)});
}

int WorkerTreeModel::groupRow(const Group *group) const
{
    for (size_t row = 0; row < m_groups.size(); ++row) {
        if (m_groups[row].get() == group)
            return int(row);
    }
    return -1;
}

const WorkerInfo *WorkerTreeModel::worker(const QModelIndex &index) const
{
    const auto *group = static_cast<const Group *>(index.internalPointer());
    if (!index.isValid() || !group || index.row() >= group->workers.size())
        return nullptr;
    return &group->workers.at(index.row());
}

int WorkerTreeModel::workerCount() const
{
    int count = 0;
    for (const std::unique_ptr<Group> &group : m_groups)
        count += int(group->workers.size());
    return count;
}

QModelIndex WorkerTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < int(m_groups.size()) ? createIndex(row, column) : QModelIndex();
    if (parent.internalPointer() || parent.row() >= int(m_groups.size()))
        return {}; // workers have no children
    Group *group = m_groups[parent.row()].get();
    return row < group->workers.size() ? createIndex(row, column, group) : QModelIndex();
}

QModelIndex WorkerTreeModel::parent(const QModelIndex &child) const
{
    const auto *group = static_cast<const Group *>(child.internalPointer());
    if (!child.isValid() || !group)
        return {};
    const int row = groupRow(group);
    return row < 0 ? QModelIndex() : createIndex(row, 0);
}

int WorkerTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalPointer() || parent.column() != 0 || parent.row() >= int(m_groups.size()))
        return 0;
    return int(m_groups[parent.row()]->workers.size());
}

int WorkerTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant WorkerTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (const WorkerInfo *row = worker(index)) {
        if (core::isCellRole(role))
            return core::cellData(m_columns.at(index.column()), *row, role);
        return role == StateRole ? QVariant(int(row->state)) : QVariant();
    }
    if (index.internalPointer() || index.row() >= int(m_groups.size()))
        return {};
    return groupData(*m_groups[index.row()], index.column(), role);
}

QVariant WorkerTreeModel::groupData(const Group &group, int column, int role) const
{
    if (role == SortRole)
        return group.label; // groups keep their alphabetical order whatever the sort column
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(column)) {
    case Column::Framework:
        return core::displayValue(group.label);
    case Column::Worker:
        return WorkerColumns::tr("%n worker(s)", nullptr, int(group.workers.size()));
    case Column::State:
        return describeStates(group.workers);
    default:
        return {};
    }
}

QVariant WorkerTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractItemModel::headerData(section, orientation, role);
    return core::headerCell(m_columns.at(section), role);
}

} // namespace qs::monitor
