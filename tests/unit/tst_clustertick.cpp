// One cluster tick without I/O (monitor::ClusterTick): which node gets which command, and how
// the nodes' replies become the poll's topology and merged INFO.
#include "monitor/clustertick.h"

#include <QTest>

using namespace qs;
using namespace Qt::StringLiterals;
using redis::RedisCommand;
using redis::RedisReply;

namespace {

redis::TopologyNode node(const QString &address, const QString &role, const QString &master = {},
                         const QString &state = u"ok"_s)
{
    redis::TopologyNode n;
    n.address = address;
    n.role = role;
    n.masterAddress = master;
    n.state = state;
    return n;
}

// Masters :1 and :2, :3 a replica of :1, :4 failed, :5 unreachable (a problem sentence).
redis::Topology cluster()
{
    redis::Topology t;
    t.mode = redis::TopologyMode::Cluster;
    t.nodes = {node(u"h:1"_s, u"master"_s), node(u"h:2"_s, u"master"_s),
               node(u"h:3"_s, u"replica"_s, u"h:1"_s), node(u"h:4"_s, u"master"_s, {}, u"fail"_s),
               node(u"h:5"_s, u"replica"_s, u"h:2"_s)};
    t.nodes[0].slotRanges = {{0, 8191}};
    t.nodes[1].slotRanges = {{8192, 16383}};
    t.nodes[4].problem = u"Cluster node h:5 cannot be reached"_s;
    t.clusterState = u"ok"_s;
    return t;
}

RedisReply info(const QByteArray &role, qint64 memory, qint64 keys, qint64 offset)
{
    QByteArray text = "# Memory\r\nused_memory:" + QByteArray::number(memory) +
                      "\r\n# Clients\r\nconnected_clients:2\r\n# Replication\r\nrole:" + role;
    text += (role == "master" ? "\r\nmaster_repl_offset:" : "\r\nslave_repl_offset:") +
            QByteArray::number(offset) + "\r\n# Keyspace\r\ndb0:keys=" + QByteArray::number(keys) +
            ",expires=0,avg_ttl=0\r\n";
    return RedisReply::bulk(text);
}

const RedisCommand kInfo{"INFO", "memory", "replication"};
const QList<RedisCommand> kCounts{{"LLEN", "bull:{a}:wait"}, {"ZCARD", "bull:{b}:failed"}};

} // namespace

class TestClusterTick : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyLiveNodeGetsInfoAndTheCountsFollowTheirSlots()
    {
        const monitor::ClusterTick tick = monitor::ClusterTick::plan(cluster(), kInfo, kCounts);
        QCOMPARE(tick.infoNodes, (QStringList{u"h:1"_s, u"h:2"_s, u"h:3"_s}));
        QCOMPARE(tick.commands.size(), 3 + 1 + 2);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(tick.commands.at(i).node, tick.infoNodes.at(i));
            QCOMPARE(tick.commands.at(i).command, kInfo);
        }
        QCOMPARE(tick.commands.at(3).node, u"h:1"_s);
        QCOMPARE(tick.commands.at(3).command, (RedisCommand{"CLUSTER", "INFO"}));
        QCOMPARE(tick.queueOffset, 4);
        QVERIFY(tick.commands.at(4).node.isEmpty()); // routed by slot, MOVED followed
        QCOMPARE(tick.commands.at(5).command, kCounts.at(1));
    }

    void repliesBecomeTheTopologyAndTheTotals()
    {
        const monitor::ClusterTick tick = monitor::ClusterTick::plan(cluster(), kInfo, kCounts);
        redis::PipelineResult result;
        result.replies = {info("master", 1000, 7, 500),
                          info("master", 3000, 5, 90),
                          info("slave", 900, 7, 440),
                          RedisReply::bulk("cluster_state:fail\r\ncluster_slots_ok:8192\r\n"),
                          RedisReply::number(3),
                          RedisReply::number(4)};
        const monitor::ClusterTick::Read read = tick.read(result);
        QVERIFY(read.error.isNone());
        QVERIFY(!read.infoSyntaxError);
        QCOMPARE(read.topology.clusterState, u"fail"_s);
        QCOMPARE(read.topology.nodes.at(0).usedMemory, 1000);
        QCOMPARE(read.topology.nodes.at(1).keys, 5);
        QCOMPARE(read.topology.nodes.at(2).lagBytes, 60); // its master's offset minus its own
        QCOMPARE(read.topology.nodes.at(3).usedMemory, std::nullopt); // failed: not asked
        QCOMPARE(read.info.integer(u"used_memory"_s), 4900);          // every node answering
        QCOMPARE(read.info.keyspace.value(0).keys, 12);               // masters only
    }

    void aNodeRefusingSectionsAsksForPlainInfo()
    {
        const monitor::ClusterTick tick = monitor::ClusterTick::plan(cluster(), kInfo, kCounts);
        redis::PipelineResult result;
        result.replies = {info("master", 1000, 7, 500),
                          RedisReply::error("ERR wrong number of arguments for 'info' command"),
                          info("slave", 900, 7, 440),
                          RedisReply::bulk("cluster_state:ok\r\n"),
                          RedisReply::number(3),
                          RedisReply::number(4)};
        const monitor::ClusterTick::Read read = tick.read(result);
        QVERIFY(read.infoSyntaxError);
        QVERIFY(read.error.isNone()); // the others were read all the same
        QCOMPARE(read.topology.nodes.at(1).usedMemory, std::nullopt);
        QCOMPARE(read.info.integer(u"used_memory"_s), 1900);
    }

    void failuresSayWhat()
    {
        const monitor::ClusterTick tick = monitor::ClusterTick::plan(cluster(), kInfo, kCounts);
        redis::PipelineResult lost;
        lost.error = {redis::RedisError::Kind::NotConnected, u"cluster node h:2: reset"_s};
        const monitor::ClusterTick::Read read = tick.read(lost);
        QCOMPARE(read.error.message, u"cluster node h:2: reset"_s);
        QCOMPARE(read.topology, cluster()); // the last known nodes, for the table

        redis::PipelineResult refused;
        for (int i = 0; i < 6; ++i)
            refused.replies.append(RedisReply::error("NOPERM no permissions to run 'info'"));
        QCOMPARE(tick.read(refused).error.message, u"INFO failed on every cluster node"_s);
    }
};

QTEST_APPLESS_MAIN(TestClusterTick)
#include "tst_clustertick.moc"
