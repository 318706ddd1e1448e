// What a cluster node or a sentinel says about the topology (CLUSTER SHARDS, CLUSTER SLOTS,
// SENTINEL REPLICAS / SENTINELS), parsed from arbitrary RESP a hostile or broken server may send.
// The first byte picks the address mapping and TLS ports; the rest is the replies. Properties:
// nothing crashes; every slot is served by nobody or by a listed master whose slot ranges hold
// it; slotsCovered counts the served slots; the nodes are bounded and their addresses unique;
// a replica names a listed master or none; the sentinel view lists only replicas and sentinels.
#include "fuzzcheck.h"
#include "redis/clustermap.h"
#include "redis/clusterslot.h"
#include "redis/replyparser.h"
#include "redis/sentineltopology.h"

#include <QSet>

using qs::redis::ClusterMap;
using qs::redis::RedisReply;
using qs::redis::TopologyNode;

namespace {

QList<RedisReply> repliesOf(const QByteArray &stream)
{
    qs::redis::ReplyParser parser;
    parser.feed(stream);
    QList<RedisReply> replies;
    RedisReply reply;
    while (parser.next(&reply) == qs::redis::ReplyParser::Status::Reply)
        replies << reply;
    return replies;
}

void checkMap(const ClusterMap &map)
{
    const QList<TopologyNode> &nodes = map.topology.nodes;
    FUZZ_CHECK(nodes.size() <= qs::redis::kMaxClusterNodes,
               QStringLiteral("%1 nodes kept").arg(nodes.size()));
    FUZZ_CHECK(map.slotOwner.size() == qs::redis::kClusterSlots, "a slot table of another size");
    QSet<QString> addresses;
    for (const TopologyNode &node : nodes) {
        FUZZ_CHECK(!node.address.isEmpty(), "a node without an address");
        FUZZ_CHECK(!addresses.contains(node.address),
                   QStringLiteral("%1 listed twice").arg(node.address));
        addresses.insert(node.address);
    }
    for (const TopologyNode &node : nodes) {
        FUZZ_CHECK(
            node.masterAddress.isEmpty() || addresses.contains(node.masterAddress),
            QStringLiteral("%1's master %2 is not listed").arg(node.address, node.masterAddress));
    }
    int served = 0;
    for (int slot = 0; slot < map.slotOwner.size(); ++slot) {
        const qint16 owner = map.slotOwner.at(slot);
        if (owner < 0)
            continue;
        ++served;
        FUZZ_CHECK(owner < nodes.size(), QStringLiteral("slot %1 served by node %2 of %3")
                                             .arg(slot)
                                             .arg(owner)
                                             .arg(nodes.size()));
        const TopologyNode &node = nodes.at(owner);
        FUZZ_CHECK(node.role == QLatin1String("master"),
                   QStringLiteral("slot %1 served by a %2").arg(slot).arg(node.role));
        const bool inRanges = std::any_of(node.slotRanges.cbegin(), node.slotRanges.cend(),
                                          [slot](const qs::redis::SlotRange &range) {
                                              return range.first <= slot && slot <= range.last;
                                          });
        FUZZ_CHECK(inRanges, QStringLiteral("slot %1 is not in its master's ranges").arg(slot));
        FUZZ_CHECK(map.ownerOf(slot) == node.address, "ownerOf disagrees with the table");
    }
    FUZZ_CHECK(
        map.topology.slotsCovered == served,
        QStringLiteral("slotsCovered %1, served %2").arg(map.topology.slotsCovered).arg(served));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bool tls = data[0] & 1;
    qs::redis::AddressMap mapping;
    if (data[0] & 2)
        mapping.insert(QStringLiteral("127.0.0.1:7000"), QStringLiteral("10.0.0.1:7000"));
    if (data[0] & 4) // two announced addresses mapped to one reachable one
        mapping.insert(QStringLiteral("127.0.0.1:7001"), QStringLiteral("10.0.0.1:7000"));
    const QList<RedisReply> replies = repliesOf(qs::fuzz::bytesOf(data + 1, size - 1));
    for (const RedisReply &reply : replies) {
        if (const auto shards =
                qs::redis::parseClusterShards(reply, mapping, QStringLiteral("127.0.0.1"), tls))
            checkMap(*shards);
        if (const auto fromSlots =
                qs::redis::parseClusterSlots(reply, mapping, QStringLiteral("127.0.0.1")))
            checkMap(*fromSlots);
    }
    const qs::redis::SentinelView view =
        qs::redis::parseSentinelView(replies, QStringLiteral("127.0.0.1:26379"));
    for (const TopologyNode &node : view.replicas)
        FUZZ_CHECK(node.role == QLatin1String("replica"), "a replica of another role");
    for (const TopologyNode &node : view.sentinels)
        FUZZ_CHECK(node.role == QLatin1String("sentinel"), "a sentinel of another role");
    return 0;
}
