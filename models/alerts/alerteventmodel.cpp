#include "alerts/alerteventmodel.h"

#include <QDateTime>

namespace qs::alerts {

namespace {

QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

AlertEventModel::AlertEventModel(QObject *parent)
    : RowTableModel(columns(), parent)
{
}

void AlertEventModel::setEvents(const QList<StoredAlert> &events)
{
    mergeRows(events, [](const StoredAlert &row) { return row.id; });
}

QVariant AlertEventModel::rowData(const StoredAlert &row, int role) const
{
    if (role == IdRole)
        return row.id;
    // Fired (or flapping) and not acknowledged: what wants someone's attention, by severity.
    if (role == AttentionRole)
        return row.event.state != AlertState::Resolved && !row.acknowledgedMs
                   ? QVariant(int(row.event.severity))
                   : QVariant();
    return {};
}

QList<core::ColumnSpec<StoredAlert>> AlertEventModel::columns()
{
    using E = const StoredAlert &;
    return {
        {.header = tr("Time"),
         .display = [](E e) { return localTime(e.event.atMs); },
         .sortKey = [](E e) { return e.id; },
         .toolTip = [](E e) { return tr("since %1").arg(localTime(e.event.sinceMs)); }},
        {.header = tr("State"), .display = [](E e) { return stateName(e.event.state); }},
        {.header = tr("Severity"), .display = [](E e) { return severityName(e.event.severity); }},
        {.header = tr("Rule"),
         .display = [](E e) { return e.event.rule; },
         .toolTip = [](E e) { return e.event.condition; }},
        {.header = tr("Queue"), .display = [](E e) { return e.event.queue; }},
        {.header = tr("Message"),
         .display = [](E e) { return e.event.message; },
         .toolTip = [](E e) { return e.event.series; }},
        {.header = tr("Acknowledged"),
         .display =
             [](E e) { return e.acknowledgedMs ? localTime(*e.acknowledgedMs) : QString(); }},
        {.header = tr("Notifier"),
         .headerToolTip = tr("What the notifier command did with the event"),
         .display = [](E e) { return e.notified; }},
    };
}

} // namespace qs::alerts
