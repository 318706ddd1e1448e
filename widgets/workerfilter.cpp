#include "workerfilter.h"

#include "statuscolors.h"

#include "monitor/workertreemodel.h"

#include <QFont>

namespace qs::widgets {

using monitor::WorkerTreeModel;
using queues::WorkerState;

WorkerFilter::WorkerFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(WorkerTreeModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // A group (framework and host) is shown while one of its workers passes the filter.
    setRecursiveFilteringEnabled(true);
}

void WorkerFilter::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateRowsFilter();
}

void WorkerFilter::setFramework(std::optional<queues::Framework> framework)
{
    m_framework = framework;
    invalidateRowsFilter();
}

void WorkerFilter::setShowOffline(bool show)
{
    m_showOffline = show;
    invalidateRowsFilter();
}

bool WorkerFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *workers = qobject_cast<const WorkerTreeModel *>(sourceModel());
    if (!workers)
        return true;
    const queues::WorkerInfo *worker = workers->worker(workers->index(sourceRow, 0, sourceParent));
    if (!worker)
        return false; // a group row: recursive filtering shows it for its workers
    if (m_framework && worker->framework != *m_framework)
        return false;
    if (!m_showOffline && worker->state == WorkerState::Offline)
        return false;
    if (m_text.isEmpty())
        return true;
    for (const auto column :
         {WorkerTreeModel::Column::Worker, WorkerTreeModel::Column::Host,
          WorkerTreeModel::Column::Queues, WorkerTreeModel::Column::CurrentJobs}) {
        const QString cell = workers->index(sourceRow, int(column), sourceParent).data().toString();
        if (cell.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QVariant WorkerFilter::data(const QModelIndex &index, int role) const
{
    if (role == Qt::FontRole && !index.parent().isValid()) {
        QFont font;
        font.setBold(true); // a group row
        return font;
    }
    if (role != Qt::ForegroundRole)
        return QSortFilterProxyModel::data(index, role);
    const QVariant state = index.data(WorkerTreeModel::StateRole);
    if (!state.isValid())
        return {};
    switch (WorkerState(state.toInt())) {
    case WorkerState::Busy:
        return levelColor(HealthLevel::Good);
    case WorkerState::Quiet:
    case WorkerState::Suspended:
        return levelColor(HealthLevel::Warning);
    case WorkerState::Offline:
        return levelColor(HealthLevel::Critical);
    case WorkerState::Idle:
    case WorkerState::Unknown:
        break;
    }
    return {};
}

} // namespace qs::widgets
