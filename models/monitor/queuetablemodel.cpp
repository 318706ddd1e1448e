#include "monitor/queuetablemodel.h"

#include "monitor/pollsnapshot.h"
#include "monitor/queuemonitor.h"
#include "monitor/rowmerge.h"
#include "monitor/units.h"

namespace qs::monitor {

namespace {

// Per minute from two readings of a counter; nullopt when there is no earlier reading, no time
// passed, or the counter went down (trimmed, cleaned, server restarted).
std::optional<double> perMinute(std::optional<qint64> before, std::optional<qint64> now,
                                qint64 elapsedMs)
{
    if (!before || !now || elapsedMs <= 0 || *now < *before)
        return std::nullopt;
    return double(*now - *before) * 60'000.0 / double(elapsedMs);
}

QVariant number(const std::optional<qint64> &value)
{
    return value ? QVariant(formatCount(*value)) : QVariant();
}

QVariant rate(const std::optional<double> &value)
{
    if (!value)
        return {};
    return QString::number(*value, 'f', *value < 10 ? 1 : 0);
}

template <typename T> QVariant raw(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

} // namespace

QString frameworkLabel(queues::Framework framework)
{
    switch (framework) {
    case queues::Framework::BullMQ:
        return QStringLiteral("BullMQ");
    case queues::Framework::Bull:
        return QStringLiteral("Bull");
    case queues::Framework::Celery:
        return QStringLiteral("Celery");
    case queues::Framework::RQ:
        return QStringLiteral("RQ");
    case queues::Framework::Sidekiq:
        return QStringLiteral("Sidekiq");
    }
    return {};
}

QString formatAge(qint64 milliseconds)
{
    const double seconds = double(qMax<qint64>(0, milliseconds)) / 1000;
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(qint64(seconds));
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(qint64(seconds / 60));
    if (seconds < 86'400)
        return QStringLiteral("%1 h").arg(seconds / 3600, 0, 'f', 1);
    return QStringLiteral("%1 d").arg(seconds / 86'400, 0, 'f', 1);
}

QueueTableModel::QueueTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void QueueTableModel::update(const PollSnapshot &snapshot, const QueueMonitor &monitor)
{
    if (!snapshot.ok())
        return;
    QList<Row> incoming;
    incoming.reserve(snapshot.queues.size());
    QHash<QString, Previous> next;
    for (const queues::QueueCounts &counts : snapshot.queues) {
        Row row;
        row.queue = counts.queue;
        row.native = counts.counts;
        row.unified = unifiedCounts(counts, monitor.adapterFor(counts.queue.framework));
        row.oldestWaitingAgeMs = counts.oldestWaitingAgeMs;
        row.paused = counts.paused;
        row.workers = counts.workers;
        row.version = counts.version;
        row.note = counts.note;
        const QString id = counts.queue.id();
        const auto before = m_previous.constFind(id);
        if (before != m_previous.constEnd()) {
            const qint64 elapsed = snapshot.timestampMs - before->timestampMs;
            row.completedPerMinute = perMinute(before->completed, row.unified.completed, elapsed);
            row.failedPerMinute = perMinute(before->failed, row.unified.failed, elapsed);
        }
        next.insert(id, {snapshot.timestampMs, row.unified.completed, row.unified.failed});
        incoming.append(row);
    }
    m_previous = next;
    mergeRowsByKey(*this, m_rows, incoming, [](const Row &row) { return row.queue.id(); });
}

int QueueTableModel::rowOf(const QString &queueId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).queue.id() == queueId)
            return i;
    }
    return -1;
}

int QueueTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueueTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, column);
    case SortRole:
        return sortValue(row, column);
    case QueueIdRole:
        return row.queue.id();
    case FilterRole:
        return QStringLiteral("%1 %2 %3")
            .arg(frameworkLabel(row.queue.framework), row.queue.displayName(),
                 QString::fromUtf8(row.queue.prefix));
    case Qt::ToolTipRole:
        return toolTip(row);
    case Qt::TextAlignmentRole:
        if ((column >= Column::Waiting && column <= Column::OldestWaiting) ||
            column == Column::Workers)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant QueueTableModel::display(const Row &row, Column column) const
{
    switch (column) {
    case Column::Framework:
        return frameworkLabel(row.queue.framework);
    case Column::Name:
        return row.queue.displayName();
    case Column::Waiting:
        return number(row.unified.waiting);
    case Column::Active:
        return number(row.unified.active);
    case Column::Delayed:
        return number(row.unified.delayed);
    case Column::Failed:
        return number(row.unified.failed);
    case Column::Completed:
        return number(row.unified.completed);
    case Column::CompletedPerMinute:
        return rate(row.completedPerMinute);
    case Column::FailedPerMinute:
        return rate(row.failedPerMinute);
    case Column::OldestWaiting:
        return row.oldestWaitingAgeMs ? QVariant(formatAge(*row.oldestWaitingAgeMs)) : QVariant();
    case Column::Paused:
        return row.paused ? tr("paused") : QString();
    case Column::Workers:
        return number(row.workers);
    case Column::Note:
        return row.note;
    }
    return {};
}

QVariant QueueTableModel::sortValue(const Row &row, Column column) const
{
    switch (column) {
    case Column::Framework:
        return frameworkLabel(row.queue.framework);
    case Column::Name:
        return row.queue.displayName();
    case Column::Waiting:
        return raw(row.unified.waiting);
    case Column::Active:
        return raw(row.unified.active);
    case Column::Delayed:
        return raw(row.unified.delayed);
    case Column::Failed:
        return raw(row.unified.failed);
    case Column::Completed:
        return raw(row.unified.completed);
    case Column::CompletedPerMinute:
        return raw(row.completedPerMinute);
    case Column::FailedPerMinute:
        return raw(row.failedPerMinute);
    case Column::OldestWaiting:
        return raw(row.oldestWaitingAgeMs);
    case Column::Paused:
        return row.paused;
    case Column::Workers:
        return raw(row.workers);
    case Column::Note:
        return row.note;
    }
    return {};
}

QString QueueTableModel::toolTip(const Row &row) const
{
    QStringList lines;
    lines.append(
        tr("%1 queue %2").arg(frameworkLabel(row.queue.framework), row.queue.displayName()));
    lines.append(
        tr("Key prefix: %1")
            .arg(row.queue.prefix.isEmpty() ? tr("(none)") : QString::fromUtf8(row.queue.prefix)));
    if (!row.version.isEmpty())
        lines.append(tr("Version: %1").arg(row.version));
    for (const auto &[state, count] : row.native)
        lines.append(QStringLiteral("%1: %2").arg(state, formatCount(count)));
    if (!row.note.isEmpty())
        lines.append(row.note);
    return lines.join(QLatin1Char('\n'));
}

QVariant QueueTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Framework:
        return tr("Framework");
    case Column::Name:
        return tr("Name");
    case Column::Waiting:
        return tr("Waiting");
    case Column::Active:
        return tr("Active");
    case Column::Delayed:
        return tr("Delayed");
    case Column::Failed:
        return tr("Failed");
    case Column::Completed:
        return tr("Completed");
    case Column::CompletedPerMinute:
        return tr("Completed/min");
    case Column::FailedPerMinute:
        return tr("Failed/min");
    case Column::OldestWaiting:
        return tr("Oldest waiting");
    case Column::Paused:
        return tr("Paused");
    case Column::Workers:
        return tr("Workers");
    case Column::Note:
        return tr("Note");
    }
    return {};
}

} // namespace qs::monitor
