#include "workerfilter.h"

#include "statuscolors.h"

#include "monitor/workertablemodel.h"

namespace qs::widgets {

using monitor::WorkerTableModel;
using queues::WorkerState;

WorkerFilter::WorkerFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(WorkerTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
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
    const auto *workers = qobject_cast<const WorkerTableModel *>(sourceModel());
    if (!workers || sourceParent.isValid())
        return true;
    const queues::WorkerInfo &worker = workers->worker(sourceRow);
    if (m_framework && worker.framework != *m_framework)
        return false;
    if (!m_showOffline && worker.state == WorkerState::Offline)
        return false;
    if (m_text.isEmpty())
        return true;
    for (const auto column :
         {WorkerTableModel::Column::Worker, WorkerTableModel::Column::Host,
          WorkerTableModel::Column::Queues, WorkerTableModel::Column::CurrentJobs}) {
        const QString cell = workers->index(sourceRow, int(column)).data().toString();
        if (cell.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QVariant WorkerFilter::data(const QModelIndex &index, int role) const
{
    if (role != Qt::ForegroundRole)
        return QSortFilterProxyModel::data(index, role);
    switch (WorkerState(index.data(WorkerTableModel::StateRole).toInt())) {
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
