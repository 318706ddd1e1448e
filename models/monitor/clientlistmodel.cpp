#include "monitor/clientlistmodel.h"

#include "monitor/units.h"

#include <QHash>
#include <QSet>

namespace qs::monitor {

namespace {

QString numberOrDash(qint64 value)
{
    return value < 0 ? QStringLiteral("—") : QString::number(value);
}

QString bytesOrDash(qint64 value)
{
    return value < 0 ? QStringLiteral("—") : formatBytes(value);
}

} // namespace

QString formatSeconds(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("—");
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return QStringLiteral("%1 d %2 h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

ClientListModel::ClientListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ClientListModel::setClients(const QList<ClientInfo> &clients)
{
    QHash<qint64, qsizetype> incoming;
    incoming.reserve(clients.size());
    for (qsizetype i = 0; i < clients.size(); ++i)
        incoming.insert(clients.at(i).id, i); // a duplicate id keeps its last line

    // 1. Remove clients that disconnected, one contiguous block at a time, bottom up.
    for (qsizetype row = m_clients.size() - 1; row >= 0; --row) {
        if (incoming.contains(m_clients.at(row).id))
            continue;
        const qsizetype last = row;
        while (row > 0 && !incoming.contains(m_clients.at(row - 1).id))
            --row;
        beginRemoveRows({}, int(row), int(last));
        m_clients.remove(row, last - row + 1);
        endRemoveRows();
    }

    // 2. Update the rows that stay (age and idle change on nearly every tick); contiguous
    // changes go out as one signal.
    QSet<qint64> present;
    qsizetype changedFirst = -1;
    auto flush = [this, &changedFirst](qsizetype end) {
        if (changedFirst >= 0)
            Q_EMIT dataChanged(index(int(changedFirst), 0), index(int(end), ColumnCount - 1));
        changedFirst = -1;
    };
    for (qsizetype row = 0; row < m_clients.size(); ++row) {
        ClientInfo &current = m_clients[row];
        present.insert(current.id);
        const ClientInfo &next = clients.at(incoming.value(current.id));
        if (current == next) {
            flush(row - 1);
            continue;
        }
        current = next;
        if (changedFirst < 0)
            changedFirst = row;
    }
    flush(m_clients.size() - 1);

    // 3. Append the clients that connected since, in server order.
    QList<ClientInfo> added;
    for (const ClientInfo &client : clients) {
        if (present.contains(client.id))
            continue;
        present.insert(client.id);
        added.append(clients.at(incoming.value(client.id)));
    }
    if (added.isEmpty())
        return;
    beginInsertRows({}, int(m_clients.size()), int(m_clients.size() + added.size() - 1));
    m_clients.append(added);
    endInsertRows();
}

int ClientListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int ClientListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClientInfo &client = m_clients.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return display(client, column);
    case SortRole:
        return sortValue(client, column);
    case Qt::ToolTipRole:
        return toolTip(client, column);
    case Qt::TextAlignmentRole:
        switch (column) {
        case Column::Id:
        case Column::Db:
        case Column::Age:
        case Column::Idle:
        case Column::Memory:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ClientListModel::display(const ClientInfo &client, Column column) const
{
    switch (column) {
    case Column::Id:
        return QString::number(client.id);
    case Column::Address:
        return client.address;
    case Column::Name:
        return client.name;
    case Column::User:
        return client.user;
    case Column::Db:
        return numberOrDash(client.db);
    case Column::Age:
        return formatSeconds(client.ageSeconds);
    case Column::Idle:
        return formatSeconds(client.idleSeconds);
    case Column::Command:
        return client.command;
    case Column::Flags:
        return client.flags;
    case Column::Memory:
        return bytesOrDash(client.totalMemory);
    }
    return {};
}

QVariant ClientListModel::sortValue(const ClientInfo &client, Column column) const
{
    switch (column) {
    case Column::Id:
        return client.id;
    case Column::Db:
        return client.db;
    case Column::Age:
        return client.ageSeconds;
    case Column::Idle:
        return client.idleSeconds;
    case Column::Memory:
        return client.totalMemory;
    default:
        return display(client, column);
    }
}

QString ClientListModel::toolTip(const ClientInfo &client, Column column) const
{
    switch (column) {
    case Column::Flags:
        return describeClientFlags(client.flags).join(QLatin1Char('\n'));
    case Column::Memory:
        if (client.totalMemory < 0)
            return tr("This server does not report client memory (tot-mem is Redis 6.0+)");
        return tr("total %1\nquery buffer %2 (free %3)\narguments %4\nMULTI queue %5\n"
                  "output buffer %6")
            .arg(formatBytes(client.totalMemory), bytesOrDash(client.queryBuffer),
                 bytesOrDash(client.queryBufferFree), bytesOrDash(client.argvMemory),
                 bytesOrDash(client.multiMemory), bytesOrDash(client.outputMemory));
    case Column::Address:
        if (!client.localAddress.isEmpty())
            return tr("%1 → %2 (server side)").arg(client.address, client.localAddress);
        return client.address;
    default: {
        // Everything the server said about this client, for the fields without a column.
        QStringList lines;
        lines.reserve(client.fields.size());
        for (const auto &[key, value] : client.fields)
            lines.append(key + QLatin1Char('=') + value);
        return lines.join(QLatin1Char('\n'));
    }
    }
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Id:
        return tr("Id");
    case Column::Address:
        return tr("Address");
    case Column::Name:
        return tr("Name");
    case Column::User:
        return tr("User");
    case Column::Db:
        return tr("Db");
    case Column::Age:
        return tr("Age");
    case Column::Idle:
        return tr("Idle");
    case Column::Command:
        return tr("Command");
    case Column::Flags:
        return tr("Flags");
    case Column::Memory:
        return tr("Memory");
    }
    return {};
}

} // namespace qs::monitor
