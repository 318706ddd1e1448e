#include "sentineltopology.h"

#include "core/sentinelurl.h"
#include "infotopology.h"
#include "redisconnection.h"

#include <algorithm>

namespace qs::redis {

namespace {

// One entry of a SENTINEL REPLICAS / SENTINELS listing: a flat field/value list.
QHash<QByteArray, QByteArray> fields(const RedisReply &entry)
{
    QHash<QByteArray, QByteArray> out;
    for (qsizetype i = 0; i + 1 < entry.elements.size(); i += 2)
        out.insert(entry.elements.at(i).string, entry.elements.at(i + 1).string);
    return out;
}

TopologyNode nodeOf(const QHash<QByteArray, QByteArray> &f, const QString &role)
{
    TopologyNode node;
    node.address =
        core::hostPortText(QString::fromUtf8(f.value("ip")), quint16(f.value("port").toUInt()));
    node.id = QString::fromUtf8(f.value("runid"));
    node.role = role;
    const QList<QByteArray> flags = f.value("flags").split(',');
    const bool down =
        flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected");
    node.state = down ? QStringLiteral("down") : QStringLiteral("ok");
    if (down)
        node.problem =
            QStringLiteral("the sentinels flag it %1").arg(QString::fromUtf8(f.value("flags")));
    return node;
}

} // namespace

QList<RedisCommand> sentinelViewCommands(const QString &masterName)
{
    return {{"SENTINEL", "REPLICAS", masterName.toUtf8()},
            {"SENTINEL", "SENTINELS", masterName.toUtf8()}};
}

SentinelView parseSentinelView(const QList<RedisReply> &replies, const QString &askedSentinel)
{
    SentinelView view;
    view.askedSentinel = askedSentinel;
    TopologyNode asked;
    asked.address = askedSentinel;
    asked.role = QStringLiteral("sentinel");
    asked.state = QStringLiteral("ok");
    view.sentinels.append(asked);
    for (const RedisReply &entry : replies.value(0).elements) {
        const auto f = fields(entry);
        TopologyNode replica = nodeOf(f, QStringLiteral("replica"));
        replica.masterAddress = core::hostPortText(QString::fromUtf8(f.value("master-host")),
                                                   quint16(f.value("master-port").toUInt()));
        if (f.contains("slave-repl-offset"))
            replica.replicationOffset = f.value("slave-repl-offset").toLongLong();
        view.replicas.append(replica);
    }
    for (const RedisReply &entry : replies.value(1).elements)
        view.sentinels.append(nodeOf(fields(entry), QStringLiteral("sentinel")));
    return view;
}

Topology sentinelTopology(const InfoSnapshot &masterInfo, const QString &masterAddress,
                          const QString &masterName, const SentinelView &view)
{
    Topology topology = standaloneTopology(masterInfo, masterAddress);
    topology.mode = TopologyMode::Sentinel;
    topology.sentinelMasterName = masterName;
    for (const TopologyNode &known : view.replicas) {
        auto it = std::find_if(topology.nodes.begin(), topology.nodes.end(),
                               [&](const TopologyNode &n) { return n.address == known.address; });
        if (it == topology.nodes.end()) {
            topology.nodes.append(known); // the master does not list it (down, or not synced)
        } else if (known.state != u"ok") {
            it->state = known.state;
            it->problem = known.problem;
        }
    }
    QList<TopologyNode> sentinels = view.sentinels;
    if (!view.problem.isEmpty() &&
        std::none_of(sentinels.cbegin(), sentinels.cend(),
                     [&](const TopologyNode &n) { return n.address == view.askedSentinel; })) {
        TopologyNode asked;
        asked.address = view.askedSentinel;
        asked.role = QStringLiteral("sentinel");
        sentinels.prepend(asked);
    }
    for (TopologyNode sentinel : sentinels) {
        if (!view.problem.isEmpty() && sentinel.address == view.askedSentinel) {
            sentinel.state = QStringLiteral("unreachable");
            sentinel.problem = view.problem;
        }
        topology.nodes.append(sentinel);
    }
    return topology;
}

SentinelViewReader::SentinelViewReader(core::ConnectionProfile profile, int refreshMs,
                                       QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_refreshMs(refreshMs)
{
}

SentinelViewReader::~SentinelViewReader() = default;

Topology SentinelViewReader::topology(const InfoSnapshot &masterInfo, const QString &masterAddress)
{
    if (!m_asking && (!m_sinceAsked.isValid() || m_sinceAsked.elapsed() >= m_refreshMs))
        refresh();
    return sentinelTopology(masterInfo, masterAddress, m_profile.sentinel.masterName, m_view);
}

void SentinelViewReader::connectTo(int index)
{
    if (m_connection)
        m_connection->deleteLater(); // this may run in its own callback
    m_index = index % int(m_profile.sentinel.addresses.size());
    const QString address = m_profile.sentinel.addresses.at(m_index);
    TransportOptions options;
    options.clientName = QStringLiteral("queuescope-sentinel-view");
    m_connection =
        new RedisConnection(core::sentinelNodeProfile(m_profile, address), options, this);
    m_connection->open();
}

void SentinelViewReader::refresh()
{
    if (m_profile.sentinel.addresses.isEmpty())
        return;
    if (!m_connection)
        connectTo(0);
    m_asking = true;
    m_sinceAsked.start();
    const QString address = m_profile.sentinel.addresses.at(m_index);
    m_connection->pipeline(sentinelViewCommands(m_profile.sentinel.masterName), this,
                           [this, address](const PipelineResult &result) {
                               m_asking = false;
                               if (result.ok()) {
                                   m_failedInRow = 0;
                                   m_view = parseSentinelView(result.replies, address);
                               } else {
                                   m_view.askedSentinel = address;
                                   m_view.problem = result.error.message;
                                   connectTo(m_index + 1);
                                   // Before the first view, the next sentinel is asked at once.
                                   if (!m_answered &&
                                       ++m_failedInRow < m_profile.sentinel.addresses.size()) {
                                       refresh();
                                       return;
                                   }
                               }
                               m_answered = true;
                               Q_EMIT answered();
                           });
}

} // namespace qs::redis
