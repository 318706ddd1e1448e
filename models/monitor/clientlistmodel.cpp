#include "monitor/clientlistmodel.h"

#include "core/displaytext.h"

#include "monitor/rowmerge.h"
#include "monitor/units.h"

#include "frameworks/bullfamily/bullconnectionname.h"

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
    // Age and idle change on nearly every tick, so most rows are updated in place each poll.
    mergeRowsByKey(*this, m_clients, clients, [](const ClientInfo &client) { return client.id; });
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
    case Qt::DisplayRole: // server data (names, commands) shown visibly, never raw
        return core::displayValue(display(client, column));
    case SortRole:
        return sortValue(client, column);
    case Qt::ToolTipRole:
        return core::displayValue(toolTip(client, column), core::DisplayMode::Block);
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
        return queues::readableConnectionName(client.name); // BullMQ/Bull names are base64
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
    case Column::Name:
        if (queues::parseBullConnectionName(client.name.toUtf8()))
            return tr("Connection name %1 (BullMQ/Bull: prefix and base64 of the queue name)")
                .arg(client.name);
        break;
    case Column::Address:
        if (!client.localAddress.isEmpty())
            return tr("%1 → %2 (server side)").arg(client.address, client.localAddress);
        return client.address;
    default:
        break;
    }
    // Everything the server said about this client, for the fields without a column.
    QStringList lines;
    lines.reserve(client.fields.size());
    for (const auto &[key, value] : client.fields)
        lines.append(key + QLatin1Char('=') + value);
    return lines.join(QLatin1Char('\n'));
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
