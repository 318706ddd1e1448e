#include "monitor/stuckjobmodel.h"

#include "monitor/clientlistmodel.h"
#include "monitor/workercolumns.h"

#include "core/displaytext.h"
#include "frameworks/registry.h"

namespace qs::monitor {

namespace {
using queues::StuckJob;
using C = const StuckJob &;
} // namespace

QList<core::ColumnSpec<StuckJob>> StuckJobModel::columns(const qint64 *scannedAtMs)
{
    auto stuckFor = [scannedAtMs](C job) { return secondsBefore(job.sinceMs, *scannedAtMs); };
    return {
        {.header = tr("Framework"),
         .display = [](C job) { return frameworks::label(job.framework); }},
        {.header = tr("Queue"),
         .display =
             [](C job) { return core::displayBytes(job.queue, core::DisplayMode::Identifier); }},
        {.header = tr("Job"), .display = [](C job) { return job.id; }},
        {.header = tr("Reason"), .display = [](C job) { return job.reason; }},
        {.header = tr("Stuck for"),
         .display = [stuckFor](C job) { return formatSeconds(stuckFor(job)); },
         .sortKey = stuckFor,
         .alignment = Qt::AlignRight | Qt::AlignVCenter},
        {.header = tr("What happens next"),
         .display = [](C job) { return job.outcome; },
         .toolTip = [](C job) { return core::displayText(job.outcome, core::DisplayMode::Block); }},
    };
}

StuckJobModel::StuckJobModel(QObject *parent)
    : RowTableModel(columns(&m_scannedAtMs), parent)
{
}

void StuckJobModel::setStuck(const QList<StuckJob> &stuck, qint64 scannedAtMs)
{
    m_scannedAtMs = scannedAtMs;
    mergeRows(stuck, [](C job) {
        return frameworks::label(job.framework) + u'/' + QString::fromLatin1(job.prefix.toHex()) +
               u'/' + QString::fromLatin1(job.queue.toHex()) + u'/' + job.id;
    });
    if (!rows().isEmpty())
        Q_EMIT dataChanged(index(0, int(Column::Since)),
                           index(int(rows().size()) - 1, int(Column::Since)));
}

} // namespace qs::monitor
