#include "monitor/slowlogmodel.h"

#include <QDateTime>

namespace qs::monitor {

namespace {

using Spec = core::ColumnSpec<SlowLogEntry>;

constexpr Qt::Alignment kNumber = Qt::AlignRight | Qt::AlignVCenter;

QString elide(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype cut = maxChars - 1;
    if (text.at(cut - 1).isHighSurrogate())
        --cut; // never split a surrogate pair
    return text.left(cut) + QChar(0x2026);
}

QVariant clientText(const SlowLogEntry &entry)
{
    if (entry.clientName.isEmpty())
        return entry.clientAddress;
    if (entry.clientAddress.isEmpty())
        return entry.clientName;
    return QStringLiteral("%1 (%2)").arg(entry.clientName, entry.clientAddress);
}

} // namespace

QString formatDuration(qint64 microseconds)
{
    if (microseconds < 1000)
        return QStringLiteral("%1 µs").arg(microseconds);
    if (microseconds < 1'000'000)
        return QStringLiteral("%1 ms").arg(double(microseconds) / 1000, 0, 'f',
                                           microseconds < 100'000 ? 1 : 0);
    return QStringLiteral("%1 s").arg(double(microseconds) / 1'000'000, 0, 'f', 2);
}

QList<core::ColumnSpec<SlowLogEntry>> SlowLogModel::columns()
{
    using E = const SlowLogEntry &;
    return {
        {.header = tr("Id"),
         .display = [](E e) { return QString::number(e.id); },
         .sortKey = [](E e) { return e.id; },
         .alignment = kNumber},
        {.header = tr("Time"),
         .display =
             [](E e) {
                 return QDateTime::fromSecsSinceEpoch(e.timestamp)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
             },
         .sortKey = [](E e) { return e.timestamp; },
         .toolTip =
             [](E e) { return QDateTime::fromSecsSinceEpoch(e.timestamp).toString(Qt::ISODate); }},
        {.header = tr("Duration"),
         .display = [](E e) { return formatDuration(e.durationUs); },
         .sortKey = [](E e) { return e.durationUs; },
         .toolTip = [](E e) { return tr("%1 µs").arg(e.durationUs); },
         .alignment = kNumber},
        {.header = tr("Command"),
         .display = [](E e) { return elide(displayCommand(e), SlowLogModel::MaxCommandChars); },
         .sortKey = [](E e) { return displayCommand(e); },
         .toolTip = [](E e) { return core::displayText(displayCommand(e)); }},
        // client names are server data: escaped for display like every cell
        {.header = tr("Client"), .display = clientText},
        {.header = tr("Node"), .display = [](E e) { return e.node; }},
    };
}

SlowLogModel::SlowLogModel(QObject *parent)
    : RowTableModel(columns(), parent)
{
}

void SlowLogModel::setEntries(const QList<SlowLogEntry> &entries)
{
    // Ids survive SLOWLOG RESET but restart with the server, so an id can come back with other
    // content: the merge compares whole entries, not just ids.
    // Every node of a cluster numbers its own log.
    mergeRows(entries, [](const SlowLogEntry &entry) { return std::pair(entry.node, entry.id); });
}

} // namespace qs::monitor
