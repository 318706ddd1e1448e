#include "monitor/slowlogmodel.h"

#include "core/displaytext.h"

#include "monitor/rowmerge.h"

#include <QDateTime>

namespace qs::monitor {

namespace {

QString elide(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype cut = maxChars - 1;
    if (text.at(cut - 1).isHighSurrogate())
        --cut; // never split a surrogate pair
    return text.left(cut) + QChar(0x2026);
}

QString clientText(const SlowLogEntry &entry)
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

SlowLogModel::SlowLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SlowLogModel::setEntries(const QList<SlowLogEntry> &entries)
{
    // Ids survive SLOWLOG RESET but restart with the server, so an id can come back with other
    // content: the merge compares whole entries, not just ids.
    mergeRowsByKey(*this, m_entries, entries, [](const SlowLogEntry &entry) { return entry.id; });
}

int SlowLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int SlowLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlowLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SlowLogEntry &entry = m_entries.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole: // client names and commands are server data: shown visibly
        return core::displayValue(display(entry, column));
    case SortRole:
        switch (column) {
        case Column::Id:
            return entry.id;
        case Column::Time:
            return entry.timestamp;
        case Column::Duration:
            return entry.durationUs;
        case Column::Command:
            return displayCommand(entry);
        case Column::Client:
            return clientText(entry);
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case Column::Command:
            return core::displayText(displayCommand(entry));
        case Column::Duration:
            return tr("%1 µs").arg(entry.durationUs);
        case Column::Time:
            return QDateTime::fromSecsSinceEpoch(entry.timestamp).toString(Qt::ISODate);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (column == Column::Id || column == Column::Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant SlowLogModel::display(const SlowLogEntry &entry, Column column) const
{
    switch (column) {
    case Column::Id:
        return QString::number(entry.id);
    case Column::Time:
        return QDateTime::fromSecsSinceEpoch(entry.timestamp)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Column::Duration:
        return formatDuration(entry.durationUs);
    case Column::Command:
        return elide(displayCommand(entry), MaxCommandChars);
    case Column::Client:
        return clientText(entry);
    }
    return {};
}

QVariant SlowLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Id:
        return tr("Id");
    case Column::Time:
        return tr("Time");
    case Column::Duration:
        return tr("Duration");
    case Column::Command:
        return tr("Command");
    case Column::Client:
        return tr("Client");
    }
    return {};
}

} // namespace qs::monitor
