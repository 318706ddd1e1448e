#include "monitor/queuetablemodel.h"

#include "core/displaytext.h"

#include "monitor/pollsnapshot.h"
#include "monitor/queuemonitor.h"
#include "monitor/rowmerge.h"
#include "monitor/units.h"

#include <cmath>

namespace qs::monitor {

namespace {

QVariant number(const std::optional<qint64> &value)
{
    return value ? QVariant(formatCount(*value)) : QVariant();
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

QString formatRate(const QueueTableModel::Rate &rate)
{
    if (!rate.perMinute)
        return rate.source.isEmpty() ? QString() : QStringLiteral("—");
    const double value = *rate.perMinute;
    const bool whole = value == std::floor(value) || value >= 10;
    const QString number = QString::number(value, 'f', whole ? 0 : 1);
    return rate.atLeast ? QStringLiteral("≥") + number : number;
}

QueueTableModel::Rate rateFrom(const queues::Throughput &throughput, qint64 readAtMs,
                               CounterRate &counter)
{
    if (throughput.total) {
        counter.add(readAtMs, *throughput.total);
        if (const std::optional<double> rate = counter.perMinute())
            return {rate, false,
                    QueueTableModel::tr("From the framework's own counter (metrics), over about "
                                        "the last minute.")};
    }
    if (throughput.lastMinute) {
        return {double(*throughput.lastMinute), throughput.atLeast,
                throughput.atLeast
                    ? QueueTableModel::tr("At least: every job in the set finished within the "
                                          "last minute, so older ones may have been removed "
                                          "(removeOnComplete / removeOnFail keep the set at a "
                                          "cap). Enabling the worker's metrics gives an exact "
                                          "rate.")
                    : QueueTableModel::tr("Jobs that finished in the last minute (counted by "
                                          "their finish time in the set).")};
    }
    if (throughput.total)
        return {std::nullopt, false,
                QueueTableModel::tr("Measuring: the counter needs readings a few seconds "
                                    "apart.")};
    return {std::nullopt, false,
            throughput.unknownWhy.isEmpty()
                ? QueueTableModel::tr("Not knowable for this framework.")
                : throughput.unknownWhy};
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
    for (const queues::QueueCounts &counts : snapshot.queues) {
        Row row;
        row.queue = counts.queue;
        row.native = counts.counts;
        row.unified = unifiedCounts(counts, monitor.adapterFor(counts.queue.framework));
        row.waitingChildren = counts.count(QStringLiteral("waiting-children"));
        row.oldestWaitingAgeMs = counts.oldestWaitingAgeMs;
        row.paused = counts.paused;
        row.workers = counts.workers;
        row.version = counts.version;
        row.note = counts.note;
        const QString id = counts.queue.id();
        if (counts.details) {
            const queues::QueueDetails &details = *counts.details;
            row.completedRate =
                rateFrom(details.completed, details.readAtMs, m_completedCounters[id]);
            row.failedRate = rateFrom(details.failed, details.readAtMs, m_failedCounters[id]);
            if (!row.oldestWaitingAgeMs)
                row.oldestWaitingWhy = details.oldestWaitingWhy.isEmpty()
                                           ? tr("Jobs arrived since the last read; read again "
                                                "within seconds.")
                                           : details.oldestWaitingWhy;
            if (!details.note.isEmpty())
                row.note = row.note.isEmpty() ? details.note
                                              : row.note + QStringLiteral("; ") + details.note;
        }
        incoming.append(row);
    }
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
    case Qt::DisplayRole: // server data (names, notes, versions) shown visibly, never raw
        return core::displayValue(display(row, column));
    case SortRole:
        return sortValue(row, column);
    case QueueIdRole:
        return row.queue.id();
    case FilterRole:
        return QStringLiteral("%1 %2 %3")
            .arg(frameworkLabel(row.queue.framework), row.queue.displayName(),
                 QString::fromUtf8(row.queue.prefix));
    case Qt::ToolTipRole:
        return core::displayValue(toolTip(row, column), core::DisplayMode::Block);
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
    case Column::Prioritized:
        return number(row.unified.prioritized);
    case Column::WaitingChildren:
        return number(row.waitingChildren);
    case Column::Active:
        return number(row.unified.active);
    case Column::Delayed:
        return number(row.unified.delayed);
    case Column::Failed:
        return number(row.unified.failed);
    case Column::Completed:
        return number(row.unified.completed);
    case Column::CompletedPerMinute:
        return formatRate(row.completedRate);
    case Column::FailedPerMinute:
        return formatRate(row.failedRate);
    case Column::OldestWaiting:
        if (row.oldestWaitingAgeMs)
            return formatAge(*row.oldestWaitingAgeMs);
        return row.oldestWaitingWhy.isEmpty() ? QString() : QStringLiteral("—");
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
    case Column::Prioritized:
        return raw(row.unified.prioritized);
    case Column::WaitingChildren:
        return raw(row.waitingChildren);
    case Column::Active:
        return raw(row.unified.active);
    case Column::Delayed:
        return raw(row.unified.delayed);
    case Column::Failed:
        return raw(row.unified.failed);
    case Column::Completed:
        return raw(row.unified.completed);
    case Column::CompletedPerMinute:
        return raw(row.completedRate.perMinute);
    case Column::FailedPerMinute:
        return raw(row.failedRate.perMinute);
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

QString QueueTableModel::toolTip(const Row &row, Column column) const
{
    switch (column) {
    case Column::CompletedPerMinute:
        return row.completedRate.source;
    case Column::FailedPerMinute:
        return row.failedRate.source;
    case Column::OldestWaiting:
        if (!row.oldestWaitingAgeMs)
            return row.oldestWaitingWhy;
        break;
    default:
        break;
    }
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
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    // Two-line titles keep the fifteen columns inside a 1280-pixel window.
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(section)) {
    case Column::Framework:
        return tip ? QVariant() : tr("Framework");
    case Column::Name:
        return tip ? QVariant() : tr("Name");
    case Column::Waiting:
        return tip ? tr("Ready to run (BullMQ: not counting prioritized jobs)") : tr("Waiting");
    case Column::Prioritized:
        return tip ? tr("Waiting with a priority (BullMQ's prioritized set, Celery's priority "
                        "sub-lists, which Celery also counts as waiting)")
                   : tr("Prioritized");
    case Column::WaitingChildren:
        return tip ? tr("BullMQ flow parents waiting for their children") : tr("Waiting\nchildren");
    case Column::Active:
        return tip ? QVariant() : tr("Active");
    case Column::Delayed:
        return tip ? QVariant() : tr("Delayed");
    case Column::Failed:
        return tip ? QVariant() : tr("Failed");
    case Column::Completed:
        return tip ? tr("Jobs in the completed set now (trimmed by removeOnComplete)")
                   : tr("Completed");
    case Column::CompletedPerMinute:
        return tip ? tr("Jobs completed per minute, over the last minute") : tr("Completed\n/min");
    case Column::FailedPerMinute:
        return tip ? tr("Jobs failed per minute, over the last minute") : tr("Failed\n/min");
    case Column::OldestWaiting:
        return tip ? tr("How long the next job to run has waited") : tr("Oldest\nwaiting");
    case Column::Paused:
        return tip ? QVariant() : tr("Paused");
    case Column::Workers:
        return tip ? QVariant() : tr("Workers");
    case Column::Note:
        return tip ? QVariant() : tr("Note");
    }
    return {};
}

} // namespace qs::monitor
