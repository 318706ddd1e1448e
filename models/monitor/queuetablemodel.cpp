#include "monitor/queuetablemodel.h"

#include "core/displaytext.h"
#include "frameworks/registry.h"

#include "monitor/pollsnapshot.h"
#include "monitor/queuemonitor.h"
#include "monitor/units.h"

#include <QDateTime>

#include <cmath>

namespace qs::monitor {

namespace {

using Spec = core::ColumnSpec<QueueRow>;
using R = const QueueRow &;

constexpr Qt::Alignment kNumber = Qt::AlignRight | Qt::AlignVCenter;

template <typename T> QVariant raw(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

QVariant block(const QString &text)
{
    return core::displayText(text, core::DisplayMode::Block);
}

// The queue, its prefix and version and every native count: the tooltip of most cells.
QVariant queueTip(R row)
{
    QStringList lines;
    lines.append(QueueTableModel::tr("%1 queue %2")
                     .arg(frameworks::label(row.queue.framework), row.queue.displayName()));
    lines.append(QueueTableModel::tr("Key prefix: %1")
                     .arg(row.queue.prefix.isEmpty() ? QueueTableModel::tr("(none)")
                                                     : QString::fromUtf8(row.queue.prefix)));
    if (!row.version.isEmpty())
        lines.append(QueueTableModel::tr("Version: %1").arg(row.version));
    for (const auto &[state, count] : row.native)
        lines.append(QStringLiteral("%1: %2").arg(state, formatCount(count)));
    if (!row.note.isEmpty())
        lines.append(row.note);
    return block(lines.join(QLatin1Char('\n')));
}

// A count: grouped digits, sorted by the number, right-aligned; unknown stays empty.
Spec countColumn(const QString &header, const QString &headerTip, std::optional<qint64> (*count)(R))
{
    return {.header = header,
            .headerToolTip = headerTip,
            .display =
                [count](R row) {
                    const std::optional<qint64> value = count(row);
                    return value ? QVariant(formatCount(*value)) : QVariant();
                },
            .sortKey = [count](R row) { return raw(count(row)); },
            .toolTip = queueTip,
            .alignment = kNumber};
}

// A per-minute rate; the tooltip says how it was measured or why it is unknown.
Spec rateColumn(const QString &header, const QString &headerTip, QueueRate QueueRow::*rate)
{
    return {.header = header,
            .headerToolTip = headerTip,
            .display = [rate](R row) { return formatRate(row.*rate); },
            .sortKey = [rate](R row) { return raw((row.*rate).perMinute); },
            .toolTip = [rate](R row) { return block((row.*rate).source); },
            .alignment = kNumber};
}

Spec oldestWaitingColumn()
{
    return {.header = QueueTableModel::tr("Oldest\nwaiting"),
            .headerToolTip = QueueTableModel::tr("How long the next job to run has waited"),
            .display = [](R row) -> QVariant {
                if (row.oldestWaitingAgeMs)
                    return formatAge(*row.oldestWaitingAgeMs);
                return row.oldestWaitingWhy.isEmpty() ? QString() : QStringLiteral("—");
            },
            .sortKey = [](R row) { return raw(row.oldestWaitingAgeMs); },
            .toolTip =
                [](R row) {
                    return row.oldestWaitingAgeMs ? queueTip(row) : block(row.oldestWaitingWhy);
                },
            .alignment = kNumber};
}

} // namespace

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

QueueRate rateFrom(const queues::Throughput &throughput, qint64 readAtMs, CounterRate &counter)
{
    if (throughput.lastWholeMinute)
        return {double(throughput.lastWholeMinute->count), false,
                QueueTableModel::tr("Exact: the framework's own metrics, the minute from %1.")
                    .arg(QDateTime::fromMSecsSinceEpoch(throughput.lastWholeMinute->startMs)
                             .toString(QStringLiteral("HH:mm")))};
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

QList<core::ColumnSpec<QueueRow>> QueueTableModel::columns()
{
    // Two-line titles keep the fifteen columns inside a 1280-pixel window.
    return {
        {.header = tr("Framework"),
         .display = [](R row) { return frameworks::label(row.queue.framework); },
         .toolTip = queueTip},
        {.header = tr("Name"),
         .display = [](R row) { return row.queue.displayName(); },
         .toolTip = queueTip},
        countColumn(tr("Waiting"), tr("Ready to run (BullMQ: not counting prioritized jobs)"),
                    [](R row) { return row.unified.waiting; }),
        countColumn(tr("Prioritized"),
                    tr("Waiting with a priority (BullMQ's prioritized set, Celery's priority "
                       "sub-lists, which Celery also counts as waiting)"),
                    [](R row) { return row.unified.prioritized; }),
        countColumn(tr("Waiting\nchildren"), tr("BullMQ flow parents waiting for their children"),
                    [](R row) { return row.waitingChildren; }),
        countColumn(tr("Active"), {}, [](R row) { return row.unified.active; }),
        countColumn(tr("Delayed"), {}, [](R row) { return row.unified.delayed; }),
        countColumn(tr("Failed"), {}, [](R row) { return row.unified.failed; }),
        countColumn(tr("Completed"),
                    tr("Jobs in the completed set now (trimmed by removeOnComplete)"),
                    [](R row) { return row.unified.completed; }),
        rateColumn(tr("Completed\n/min"), tr("Jobs completed per minute, over the last minute"),
                   &QueueRow::completedRate),
        rateColumn(tr("Failed\n/min"), tr("Jobs failed per minute, over the last minute"),
                   &QueueRow::failedRate),
        oldestWaitingColumn(),
        {.header = tr("Paused"),
         .display = [](R row) { return row.paused ? tr("paused") : QString(); },
         .sortKey = [](R row) { return row.paused; },
         .toolTip = queueTip},
        countColumn(tr("Workers"),
                    tr("Live workers consuming the queue (see the Workers page); blank when "
                       "unknown"),
                    [](R row) { return row.workers; }),
        {.header = tr("Note"),
         .display =
             [](R row) {
                 if (!row.unconsumedSinceMs)
                     return row.note;
                 const QString warning = tr("no consumer");
                 return row.note.isEmpty() ? warning : warning + QStringLiteral("; ") + row.note;
             },
         .toolTip =
             [](R row) {
                 if (!row.unconsumedSinceMs)
                     return queueTip(row);
                 return QVariant(tr("Jobs wait and no live worker consumes this queue (since %1)")
                                     .arg(QDateTime::fromMSecsSinceEpoch(*row.unconsumedSinceMs)
                                              .toString(QStringLiteral("HH:mm:ss"))));
             }},
    };
}

QueueTableModel::QueueTableModel(QObject *parent)
    : RowTableModel(columns(), parent)
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
        applyConsumers(row);
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
    mergeRows(incoming, [](const Row &row) { return row.queue.id(); });
}

void QueueTableModel::setConsumers(const QList<QueueConsumers> &consumers)
{
    m_consumers.clear();
    for (const QueueConsumers &queue : consumers)
        m_consumers.insert(queue.queue.id(), queue);
    QList<Row> updated = rows();
    for (Row &row : updated)
        applyConsumers(row);
    mergeRows(updated, [](const Row &row) { return row.queue.id(); });
}

void QueueTableModel::applyConsumers(Row &row) const
{
    const auto found = m_consumers.constFind(row.queue.id());
    row.unconsumedSinceMs.reset();
    if (found == m_consumers.cend())
        return;
    if (found->live)
        row.workers = *found->live;
    if (found->noConsumer)
        row.unconsumedSinceMs = found->unconsumedSinceMs;
}

int QueueTableModel::rowOf(const QString &queueId) const
{
    for (int i = 0; i < rows().size(); ++i) {
        if (rows().at(i).queue.id() == queueId)
            return i;
    }
    return -1;
}

QVariant QueueTableModel::rowData(const Row &row, int role) const
{
    if (role == QueueIdRole)
        return row.queue.id();
    if (role == FilterRole)
        return QStringLiteral("%1 %2 %3")
            .arg(frameworks::label(row.queue.framework), row.queue.displayName(),
                 QString::fromUtf8(row.queue.prefix));
    return {};
}

} // namespace qs::monitor
