#include "clustermap.h"

#include "core/hostport.h"

#include "clusterslot.h"

namespace qs::redis {

namespace {

// A flat RESP2 map (key, value, key, value...) as a lookup.
QHash<QByteArray, RedisReply> flatMap(const RedisReply &reply)
{
    QHash<QByteArray, RedisReply> map;
    if (!reply.isArray())
        return map;
    for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2)
        map.insert(reply.elements.at(i).string, reply.elements.at(i + 1));
    return map;
}

QString usableHost(const QByteArray &announced, const QString &askedHost)
{
    if (announced.isEmpty() || announced == "?")
        return askedHost;
    return QString::fromUtf8(announced);
}

ClusterMap emptyMap()
{
    ClusterMap map;
    map.topology.mode = TopologyMode::Cluster;
    map.slotOwner = QVector<qint16>(kClusterSlots, -1);
    return map;
}

// A map being read from a reply that may be hostile: nodes found by address in one lookup, and
// no more nodes or slot ranges than a cluster can have (a reply of up to 32 MB could otherwise
// list millions, each compared with every other).
struct MapBuilder
{
    ClusterMap map = emptyMap();
    QHash<QString, qsizetype> byAddress;
    qsizetype ranges = 0;
    bool tooLarge = false;
};

// Adds a node (address mapped) and returns its index; an address seen before is reused. -1 when
// the reply lists more nodes than kMaxClusterNodes.
qsizetype addNode(MapBuilder &builder, const QString &announced, const AddressMap &mapping,
                  TopologyNode node)
{
    const QString mapped = mapping.value(announced, announced);
    if (const auto seen = builder.byAddress.constFind(mapped); seen != builder.byAddress.cend())
        return *seen;
    QList<TopologyNode> &nodes = builder.map.topology.nodes;
    if (nodes.size() >= kMaxClusterNodes) {
        builder.tooLarge = true;
        return -1;
    }
    node.address = mapped;
    node.announced = mapped == announced ? QString() : announced;
    nodes.append(node);
    builder.byAddress.insert(mapped, nodes.size() - 1);
    return nodes.size() - 1;
}

void assignSlots(MapBuilder &builder, qsizetype owner, int first, int last)
{
    first = qBound(0, first, kClusterSlots - 1);
    last = qBound(0, last, kClusterSlots - 1);
    if (last < first)
        return;
    if (++builder.ranges > kClusterSlots) { // ranges cover one slot at least: not a cluster's
        builder.tooLarge = true;
        return;
    }
    ClusterMap &map = builder.map;
    // Whatever an earlier line said of this address (a broken reply, two announced addresses
    // mapped to one): the node serving slots is a master.
    TopologyNode &node = map.topology.nodes[owner];
    node.role = QStringLiteral("master");
    node.masterAddress.clear();
    node.slotRanges.append({first, last});
    for (int slot = first; slot <= last; ++slot)
        map.slotOwner[slot] = qint16(owner);
}

// `replica` replicates `master`, unless a broken reply made it that master or one serving slots.
void setMaster(ClusterMap &map, qsizetype replica, qsizetype master)
{
    TopologyNode &node = map.topology.nodes[replica];
    if (replica != master && node.slotRanges.isEmpty())
        node.masterAddress = map.topology.nodes.at(master).address;
}

// The map read, or std::nullopt when the reply listed more than a cluster has.
std::optional<ClusterMap> finish(MapBuilder &builder)
{
    if (builder.tooLarge)
        return std::nullopt;
    ClusterMap &map = builder.map;
    // Masters first (each in the order found), then replicas: the node table reads top-down.
    QList<TopologyNode> ordered;
    QVector<qint16> remap(map.topology.nodes.size(), -1);
    for (int pass = 0; pass < 2; ++pass) {
        for (qsizetype i = 0; i < map.topology.nodes.size(); ++i) {
            const bool master = map.topology.nodes.at(i).role == QLatin1String("master");
            if (master == (pass == 0)) {
                remap[i] = qint16(ordered.size());
                ordered.append(map.topology.nodes.at(i));
            }
        }
    }
    for (qint16 &owner : map.slotOwner) {
        if (owner >= 0)
            owner = remap.at(owner);
    }
    map.topology.nodes = ordered;
    map.topology.slotsCovered = int(std::count_if(map.slotOwner.cbegin(), map.slotOwner.cend(),
                                                  [](qint16 owner) { return owner >= 0; }));
    return std::move(map);
}

QString healthState(const QByteArray &health)
{
    if (health == "online")
        return QStringLiteral("ok");
    if (health == "failed")
        return QStringLiteral("fail");
    return QString::fromUtf8(health); // "loading"
}

} // namespace

QString joinHostPort(const QString &host, int port)
{
    return core::hostPortText(host, quint16(port));
}

QString ClusterMap::ownerOf(int slot) const
{
    if (slot < 0 || slot >= slotOwner.size() || slotOwner.at(slot) < 0)
        return {};
    return topology.nodes.at(slotOwner.at(slot)).address;
}

QString ClusterMap::anyMaster() const
{
    for (const TopologyNode &node : topology.nodes) {
        if (node.role == QLatin1String("master") && node.state != QLatin1String("fail") &&
            !node.slotRanges.isEmpty())
            return node.address;
    }
    return topology.nodes.isEmpty() ? QString() : topology.nodes.first().address;
}

QStringList ClusterMap::masters() const
{
    QStringList addresses;
    for (const TopologyNode &node : topology.nodes) {
        if (node.role == QLatin1String("master") && !node.slotRanges.isEmpty())
            addresses.append(node.address);
    }
    return addresses;
}

const TopologyNode *ClusterMap::node(const QString &address) const
{
    for (const TopologyNode &node : topology.nodes) {
        if (node.address == address)
            return &node;
    }
    return nullptr;
}

void ClusterMap::moveSlot(int slot, const QString &address)
{
    if (slot < 0 || slot >= slotOwner.size())
        return;
    qsizetype index = -1;
    for (qsizetype i = 0; i < topology.nodes.size(); ++i) {
        if (topology.nodes.at(i).address == address)
            index = i;
    }
    if (index < 0) {
        TopologyNode node;
        node.address = address;
        node.role = QStringLiteral("master");
        node.state = QStringLiteral("ok");
        topology.nodes.append(node);
        index = topology.nodes.size() - 1;
    }
    slotOwner[slot] = qint16(index);
}

std::optional<ClusterMap> parseClusterShards(const RedisReply &reply, const AddressMap &mapping,
                                             const QString &askedHost, bool tls)
{
    if (!reply.isArray() || reply.elements.isEmpty())
        return std::nullopt;
    MapBuilder builder;
    for (const RedisReply &shardReply : reply.elements) {
        const QHash<QByteArray, RedisReply> shard = flatMap(shardReply);
        if (!shard.contains("slots") || !shard.contains("nodes"))
            return std::nullopt;
        qsizetype master = -1;
        QList<qsizetype> replicas;
        const QList<RedisReply> nodes = shard.value("nodes").elements;
        for (const RedisReply &nodeReply : nodes) {
            const QHash<QByteArray, RedisReply> fields = flatMap(nodeReply);
            const int port = int(fields.value(tls ? "tls-port" : "port")
                                     .toInteger(fields.value("port").toInteger()));
            const QByteArray endpoint = fields.value("endpoint").string;
            const QString host =
                usableHost(endpoint.isEmpty() ? fields.value("ip").string : endpoint, askedHost);
            TopologyNode node;
            node.id = QString::fromUtf8(fields.value("id").string);
            const QByteArray role = fields.value("role").string;
            node.role = role == "master" ? QStringLiteral("master") : QStringLiteral("replica");
            node.state = healthState(fields.value("health").string);
            node.replicationOffset = fields.value("replication-offset").toInteger();
            const qsizetype index = addNode(builder, joinHostPort(host, port), mapping, node);
            if (index < 0)
                return std::nullopt;
            if (role == "master" && master < 0)
                master = index;
            else
                replicas.append(index);
        }
        if (master < 0)
            continue; // a shard of replicas only (its master forgotten): no slots to serve
        const QList<RedisReply> ranges = shard.value("slots").elements;
        for (qsizetype i = 0; i + 1 < ranges.size(); i += 2)
            assignSlots(builder, master, int(ranges.at(i).toInteger(-1)),
                        int(ranges.at(i + 1).toInteger(-1)));
        for (const qsizetype replica : std::as_const(replicas))
            setMaster(builder.map, replica, master);
    }
    return finish(builder);
}

std::optional<ClusterMap> parseClusterSlots(const RedisReply &reply, const AddressMap &mapping,
                                            const QString &askedHost)
{
    if (!reply.isArray() || reply.elements.isEmpty())
        return std::nullopt;
    MapBuilder builder;
    for (const RedisReply &range : reply.elements) {
        if (!range.isArray() || range.elements.size() < 3 || !range.elements.at(2).isArray())
            return std::nullopt;
        qsizetype master = -1;
        for (qsizetype i = 2; i < range.elements.size(); ++i) {
            const QList<RedisReply> fields = range.elements.at(i).elements;
            if (fields.size() < 2)
                continue;
            TopologyNode node;
            node.id = QString::fromUtf8(fields.value(2).string);
            node.role = i == 2 ? QStringLiteral("master") : QStringLiteral("replica");
            node.state = QStringLiteral("ok");
            const QString host = usableHost(fields.at(0).string, askedHost);
            const qsizetype index =
                addNode(builder, joinHostPort(host, int(fields.at(1).toInteger())), mapping, node);
            if (index < 0)
                return std::nullopt;
            if (i == 2)
                master = index;
            else if (master >= 0)
                setMaster(builder.map, index, master);
        }
        if (master >= 0)
            assignSlots(builder, master, int(range.elements.at(0).toInteger(-1)),
                        int(range.elements.at(1).toInteger(-1)));
    }
    return finish(builder);
}

} // namespace qs::redis
