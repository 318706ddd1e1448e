#include "jobtablemodel.h"

#include "core/displaytext.h"

#include "rowmerge.h"

#include <QDateTime>
#include <QTimeZone>

namespace qs::monitor {

namespace {

// Today's times without the date, so that three time columns and the failed reason fit next
// to the detail pane; the full time is in the cell's tooltip.
QString localTime(qint64 ms)
{
    if (ms < 0)
        return {};
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    return time.toString(time.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss")
                                                             : QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString fullTime(qint64 ms)
{
    return ms < 0 ? QString()
                  : QDateTime::fromMSecsSinceEpoch(ms).toString(
                        QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString number(qint64 value)
{
    return value < 0 ? QString() : QString::number(value);
}

} // namespace

JobTableModel::JobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void JobTableModel::setPage(const jobs::JobPage &page)
{
    const bool samePage = page.queue == m_page.queue && page.state == m_page.state &&
                          page.offset == m_page.offset && page.nextCursor.isEmpty();
    if (!samePage) {
        beginResetModel();
        m_page = page;
        endResetModel();
        return;
    }
    m_page.total = page.total;
    m_page.note = page.note;
    m_page.error = page.error;
    mergeRowsByKey(*this, m_page.jobs, page.jobs,
                   [](const jobs::JobSummary &job) { return job.id + '\n' + job.raw; });
}

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_page.jobs.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_page.jobs.size())
        return {};
    const jobs::JobSummary &job = m_page.jobs.at(index.row());
    const auto column = Column(index.column());
    if (role == SortRole) {
        switch (column) {
        case Column::Id: {
            bool numeric = false;
            const qlonglong id = job.id.toLongLong(&numeric);
            return numeric ? QVariant(id) : QVariant(QString::fromUtf8(job.id));
        }
        case Column::Created:
            return job.createdMs;
        case Column::Processed:
            return job.processedMs;
        case Column::Finished:
            return job.finishedMs;
        case Column::RunAt:
            return job.runAtMs;
        case Column::Attempts:
            return job.attempts;
        case Column::Priority:
            return job.priority;
        default:
            role = Qt::DisplayRole;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case Column::Reason:
            return core::displayText(job.failedReason.left(2000), core::DisplayMode::Block);
        case Column::Created:
            return fullTime(job.createdMs);
        case Column::Processed:
            return fullTime(job.processedMs);
        case Column::Finished:
            return fullTime(job.finishedMs);
        case Column::RunAt:
            return fullTime(job.runAtMs);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    return core::displayValue(display(job, column)); // ids, names, reasons: visibly, never raw
}

QVariant JobTableModel::display(const jobs::JobSummary &job, Column column) const
{
    switch (column) {
    case Column::Id:
        return core::displayBytes(job.id, core::DisplayMode::Identifier);
    case Column::Name:
        return job.missing ? tr("(data missing)") : job.name;
    case Column::Created:
        return localTime(job.createdMs);
    case Column::Processed:
        return localTime(job.processedMs);
    case Column::Finished:
        return localTime(job.finishedMs);
    case Column::RunAt:
        return localTime(job.runAtMs);
    case Column::Attempts:
        return number(job.attempts);
    case Column::Priority:
        return number(job.priority);
    case Column::Progress:
        return job.progress;
    case Column::Reason:
        return job.failedReason.section(QLatin1Char('\n'), 0, 0).left(300);
    }
    return {};
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Id:
        return tr("Id");
    case Column::Name:
        return tr("Name");
    case Column::Created:
        return tr("Created");
    case Column::Processed:
        return tr("Processed");
    case Column::Finished:
        return tr("Finished");
    case Column::RunAt:
        return tr("Runs at");
    case Column::Attempts:
        return tr("Attempts");
    case Column::Priority:
        return tr("Priority");
    case Column::Progress:
        return tr("Progress");
    case Column::Reason:
        return tr("Failed reason");
    }
    return {};
}

} // namespace qs::monitor
