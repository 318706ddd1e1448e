#include "monitor/clientlistmodel.h"

#include "monitor/units.h"

#include "frameworks/registry.h"

namespace qs::monitor {

namespace {

using Spec = core::ColumnSpec<ClientInfo>;

constexpr Qt::Alignment kNumber = Qt::AlignRight | Qt::AlignVCenter;

QString numberOrDash(qint64 value)
{
    return value < 0 ? QStringLiteral("—") : QString::number(value);
}

QString bytesOrDash(qint64 value)
{
    return value < 0 ? QStringLiteral("—") : formatBytes(value);
}

// Everything the server said about this client, for the columns without a tooltip of their own.
QVariant fieldsTip(const ClientInfo &client)
{
    QStringList lines;
    lines.reserve(client.fields.size());
    for (const auto &[key, value] : client.fields)
        lines.append(key + QLatin1Char('=') + value);
    return core::displayText(lines.join(QLatin1Char('\n')), core::DisplayMode::Block);
}

QVariant addressTip(const ClientInfo &client)
{
    const QString tip =
        client.localAddress.isEmpty()
            ? client.address
            : ClientListModel::tr("%1 → %2 (server side)").arg(client.address, client.localAddress);
    return core::displayText(tip, core::DisplayMode::Block);
}

QVariant nameTip(const ClientInfo &client)
{
    const std::optional<queues::ConnectionName> read = frameworks::readConnectionName(client.name);
    if (!read)
        return fieldsTip(client);
    return core::displayText(
        ClientListModel::tr("Connection name %1 (%2)").arg(client.name, read->explanation),
        core::DisplayMode::Block);
}

QVariant memoryTip(const ClientInfo &client)
{
    if (client.totalMemory < 0)
        return ClientListModel::tr(
            "This server does not report client memory (tot-mem is Redis 6.0+)");
    return ClientListModel::tr("total %1\nquery buffer %2 (free %3)\narguments %4\nMULTI queue %5\n"
                               "output buffer %6")
        .arg(formatBytes(client.totalMemory), bytesOrDash(client.queryBuffer),
             bytesOrDash(client.queryBufferFree), bytesOrDash(client.argvMemory),
             bytesOrDash(client.multiMemory), bytesOrDash(client.outputMemory));
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

QList<core::ColumnSpec<ClientInfo>> ClientListModel::columns()
{
    using C = const ClientInfo &;
    return {
        {.header = tr("Id"),
         .display = [](C c) { return QString::number(c.id); },
         .sortKey = [](C c) { return c.id; },
         .toolTip = fieldsTip,
         .alignment = kNumber},
        {.header = tr("Address"), .display = [](C c) { return c.address; }, .toolTip = addressTip},
        {.header = tr("Name"),
         // Some frameworks' clients name their connections in a form of their own (BullMQ/Bull:
         // base64): shown readable.
         .display =
             [](C c) {
                 const std::optional<queues::ConnectionName> read =
                     frameworks::readConnectionName(c.name);
                 return read ? read->readable : c.name;
             },
         .toolTip = nameTip},
        {.header = tr("User"), .display = [](C c) { return c.user; }, .toolTip = fieldsTip},
        {.header = tr("Db"),
         .display = [](C c) { return numberOrDash(c.db); },
         .sortKey = [](C c) { return c.db; },
         .toolTip = fieldsTip,
         .alignment = kNumber},
        {.header = tr("Age"),
         .display = [](C c) { return formatSeconds(c.ageSeconds); },
         .sortKey = [](C c) { return c.ageSeconds; },
         .toolTip = fieldsTip,
         .alignment = kNumber},
        {.header = tr("Idle"),
         .display = [](C c) { return formatSeconds(c.idleSeconds); },
         .sortKey = [](C c) { return c.idleSeconds; },
         .toolTip = fieldsTip,
         .alignment = kNumber},
        {.header = tr("Command"), .display = [](C c) { return c.command; }, .toolTip = fieldsTip},
        {.header = tr("Flags"),
         .display = [](C c) { return c.flags; },
         .toolTip =
             [](C c) {
                 return core::displayText(describeClientFlags(c.flags).join(QLatin1Char('\n')),
                                          core::DisplayMode::Block);
             }},
        {.header = tr("Memory"),
         .display = [](C c) { return bytesOrDash(c.totalMemory); },
         .sortKey = [](C c) { return c.totalMemory; },
         .toolTip = memoryTip,
         .alignment = kNumber},
        {.header = tr("Node"), .display = [](C c) { return c.node; }},
    };
}

ClientListModel::ClientListModel(QObject *parent)
    : RowTableModel(columns(), parent)
{
}

void ClientListModel::setClients(const QList<ClientInfo> &clients)
{
    // Age and idle change on nearly every tick, so most rows are updated in place each poll.
    // Ids are unique per node only (a cluster lists every node's clients).
    mergeRows(clients, [](const ClientInfo &client) { return std::pair(client.node, client.id); });
}

} // namespace qs::monitor
