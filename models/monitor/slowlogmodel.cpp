#include "monitor/slowlogmodel.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

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
    QHash<qint64, qsizetype> incoming;
    incoming.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i)
        incoming.insert(entries.at(i).id, i); // a duplicate id keeps its last entry

    // 1. Remove rows that are gone, one contiguous block at a time, from the bottom up.
    for (qsizetype row = m_entries.size() - 1; row >= 0; --row) {
        if (incoming.contains(m_entries.at(row).id))
            continue;
        const qsizetype last = row;
        while (row > 0 && !incoming.contains(m_entries.at(row - 1).id))
            --row;
        beginRemoveRows({}, int(row), int(last));
        m_entries.remove(row, last - row + 1);
        endRemoveRows();
    }

    // 2. Update the rows that stay. Ids survive SLOWLOG RESET but restart with the server, so
    // an id can come back with other content; batch contiguous changes into one signal.
    QSet<qint64> present;
    qsizetype changedFirst = -1;
    auto flush = [this, &changedFirst](qsizetype end) {
        if (changedFirst >= 0)
            Q_EMIT dataChanged(index(int(changedFirst), 0), index(int(end), ColumnCount - 1));
        changedFirst = -1;
    };
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        SlowLogEntry &current = m_entries[row];
        present.insert(current.id);
        const SlowLogEntry &next = entries.at(incoming.value(current.id));
        if (current == next) {
            flush(row - 1);
            continue;
        }
        current = next;
        if (changedFirst < 0)
            changedFirst = row;
    }
    flush(m_entries.size() - 1);

    // 3. Append the new ones in the order the server gave them.
    QList<SlowLogEntry> added;
    for (const SlowLogEntry &entry : entries) {
        if (present.contains(entry.id))
            continue;
        present.insert(entry.id);
        added.append(entries.at(incoming.value(entry.id)));
    }
    if (added.isEmpty())
        return;
    beginInsertRows({}, int(m_entries.size()), int(m_entries.size() + added.size() - 1));
    m_entries.append(added);
    endInsertRows();
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
    case Qt::DisplayRole:
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
        break;
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
            return displayCommand(entry);
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
