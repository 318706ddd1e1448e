// The topology as polls read it (INFO replication -> nodes) and what changes between two polls
// an operator wants marked: failovers and cluster nodes failing or coming back.
#include "monitor/nodehistory.h"
#include "monitor/topologychanges.h"
#include "monitor/topologymodel.h"
#include "redis/clustermap.h"
#include "redis/infotopology.h"

#include <QTest>

#include <cmath>

using namespace qs;
using namespace Qt::StringLiterals;
using redis::Topology;
using redis::TopologyMode;
using redis::TopologyNode;

namespace {

TopologyNode node(const QString &address, const QString &role, const QString &master = {},
                  const QString &state = u"ok"_s)
{
    TopologyNode n;
    n.address = address;
    n.role = role;
    n.masterAddress = master;
    n.state = state;
    return n;
}

Topology topology(TopologyMode mode, const QList<TopologyNode> &nodes)
{
    Topology t;
    t.mode = mode;
    t.nodes = nodes;
    return t;
}

} // namespace

class TestTopology : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // CLUSTER SLOTS as a hostile server may send it (up to 32 MB): more nodes or slot ranges
    // than a cluster can have is refused, not read node by node against every other one.
    void aClusterReplyListingMoreThanAClusterHasIsRefused()
    {
        using qs::redis::RedisReply;
        const auto range = [](int first, int last, int port) {
            return RedisReply::array(
                {RedisReply::number(first), RedisReply::number(last),
                 RedisReply::array({RedisReply::bulk("10.0.0.1"), RedisReply::number(port)})});
        };
        QList<RedisReply> threeMasters;
        for (int i = 0; i < 3; ++i)
            threeMasters << range(i * 5000, i * 5000 + 4999, 7000 + i);
        const auto read =
            qs::redis::parseClusterSlots(RedisReply::array(threeMasters), {}, QString());
        QVERIFY(read);
        QCOMPARE(read->topology.nodes.size(), 3);
        QCOMPARE(read->topology.slotsCovered, 15000);

        QList<RedisReply> manyNodes;
        for (int i = 0; i <= int(qs::redis::kMaxClusterNodes); ++i)
            manyNodes << range(i % 16384, i % 16384, 1 + i);
        QVERIFY(!qs::redis::parseClusterSlots(RedisReply::array(manyNodes), {}, QString()));

        QList<RedisReply> manyRanges;
        for (int i = 0; i <= 16384; ++i)
            manyRanges << range(0, 16383, 7000);
        QVERIFY(!qs::redis::parseClusterSlots(RedisReply::array(manyRanges), {}, QString()));
    }

    void masterListsReplicasWithLag()
    {
        const redis::InfoSnapshot info = redis::parseInfo(
            "# Server\r\nredis_version:7.0.15\r\nrun_id:abc\r\n# Clients\r\nconnected_clients:"
            "3\r\n# Memory\r\nused_memory:1000\r\n# Replication\r\nrole:master\r\n"
            "connected_slaves:2\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=900,lag=1\r\n"
            "slave1:ip=::1,port=6380,state=wait_bgsave,offset=0,lag=0\r\n"
            "master_repl_offset:1000\r\n# Keyspace\r\ndb0:keys=5,expires=0,avg_ttl=0\r\n"
            "db2:keys=2,expires=0,avg_ttl=0\r\n");
        const Topology t = redis::standaloneTopology(info, u"10.0.0.1:6379"_s);
        QCOMPARE(t.mode, TopologyMode::Standalone);
        QCOMPARE(t.nodes.size(), 3);
        QCOMPARE(t.nodes[0].role, u"master"_s);
        QCOMPARE(t.nodes[0].keys, 7);
        QCOMPARE(t.nodes[0].usedMemory, 1000);
        QCOMPARE(t.nodes[0].id, u"abc"_s);
        QCOMPARE(t.nodes[1].address, u"10.0.0.2:6379"_s);
        QCOMPARE(t.nodes[1].masterAddress, u"10.0.0.1:6379"_s);
        QCOMPARE(t.nodes[1].lagBytes, 100);
        QCOMPARE(t.nodes[1].lagSeconds, 1);
        QCOMPARE(t.nodes[1].state, u"ok"_s);
        QCOMPARE(t.nodes[2].address, u"[::1]:6380"_s);
        QCOMPARE(t.nodes[2].state, u"wait_bgsave"_s);
        QCOMPARE(monitor::topologySummary(t),
                 u"master with 2 replica(s): 10.0.0.2:6379 (lag 100 B, 1 s), [::1]:6380 "
                 "wait_bgsave (lag 1000 B, 0 s)"_s);
    }

    void replicaKnowsItsMasterAndLink()
    {
        const redis::InfoSnapshot info = redis::parseInfo(
            "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\n"
            "master_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\nslave_repl_offset:"
            "42\r\n");
        const Topology t = redis::standaloneTopology(info, u"10.0.0.2:6379"_s);
        QCOMPARE(t.nodes.size(), 1);
        QCOMPARE(t.nodes[0].role, u"replica"_s);
        QCOMPARE(t.nodes[0].masterAddress, u"10.0.0.1:6379"_s);
        QCOMPARE(t.nodes[0].state, u"down"_s);
        QVERIFY(t.nodes[0].problem.contains(u"10.0.0.1:6379"_s));
        QCOMPARE(t.nodes[0].lagSeconds, std::nullopt); // -1: never heard from it
        QCOMPARE(t.nodes[0].keys, std::nullopt);       // keyspace not asked
        QVERIFY(monitor::topologySummary(t).startsWith(u"replica of 10.0.0.1:6379, link down"_s));
    }

    void replicaPromotedIsAFailover()
    {
        const Topology before =
            topology(TopologyMode::Standalone, {node(u"a:1"_s, u"replica"_s, u"b:1"_s)});
        const Topology after = topology(TopologyMode::Standalone, {node(u"a:1"_s, u"master"_s)});
        const QList<monitor::TopologyChange> changes = monitor::compareTopologies(before, after, 7);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].atMs, 7);
        QVERIFY(changes[0].failover);
        QCOMPARE(changes[0].summary, u"failover: a:1 is master now (was replica of b:1)"_s);
        QVERIFY(monitor::compareTopologies(after, after, 8).isEmpty());
    }

    void masterDemotedIsAFailover()
    {
        const Topology before = topology(TopologyMode::Standalone, {node(u"a:1"_s, u"master"_s)});
        const Topology after =
            topology(TopologyMode::Standalone, {node(u"a:1"_s, u"replica"_s, u"b:1"_s)});
        const auto changes = monitor::compareTopologies(before, after, 1);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].summary, u"failover: a:1 is a replica now of b:1"_s);
    }

    void sentinelMasterMoved()
    {
        Topology before = topology(TopologyMode::Sentinel,
                                   {node(u"a:1"_s, u"master"_s), node(u"s:1"_s, u"sentinel"_s)});
        before.sentinelMasterName = u"mymaster"_s;
        Topology after = topology(TopologyMode::Sentinel,
                                  {node(u"b:1"_s, u"master"_s), node(u"s:1"_s, u"sentinel"_s)});
        after.sentinelMasterName = u"mymaster"_s;
        const auto changes = monitor::compareTopologies(before, after, 1);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].summary, u"failover: master \"mymaster\" is b:1 now (was a:1)"_s);
    }

    void clusterNodeFailsAndComesBack()
    {
        const Topology ok = topology(TopologyMode::Cluster,
                                     {node(u"a:1"_s, u"master"_s), node(u"b:1"_s, u"master"_s)});
        const Topology failed =
            topology(TopologyMode::Cluster,
                     {node(u"a:1"_s, u"master"_s), node(u"b:1"_s, u"master"_s, {}, u"fail"_s)});
        auto changes = monitor::compareTopologies(ok, failed, 1);
        QCOMPARE(changes.size(), 1);
        QVERIFY(!changes[0].failover);
        QCOMPARE(changes[0].summary, u"node b:1 (master) is fail"_s);
        changes = monitor::compareTopologies(failed, ok, 2);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].summary, u"node b:1 (master) is back"_s);
    }

    // A killed master stays listed as a master in "fail" state: not counted as a master.
    void clusterSummaryCountsFailedNodesApart()
    {
        Topology t =
            topology(TopologyMode::Cluster,
                     {node(u"a:1"_s, u"master"_s), node(u"b:1"_s, u"master"_s, {}, u"fail"_s),
                      node(u"c:1"_s, u"master"_s), node(u"d:1"_s, u"replica"_s, u"a:1"_s)});
        t.clusterState = u"ok"_s;
        t.slotsCovered = 16384;
        QCOMPARE(monitor::topologySummary(t),
                 u"cluster, 4 nodes (2 master(s), 1 replica(s), 1 failed or unreachable), state "
                 "ok, 16384/16384 slots"_s);
        t.nodes[1].state = u"ok"_s;
        QCOMPARE(monitor::topologySummary(t),
                 u"cluster, 4 nodes (3 master(s), 1 replica(s)), state ok, 16384/16384 slots"_s);
    }

    void nodeHistoryIsBoundedAndBreaksLinesOfMissingNodes()
    {
        monitor::NodeHistory history(3);
        TopologyNode a = node(u"a:1"_s, u"master"_s);
        a.usedMemory = 10;
        TopologyNode b = node(u"b:1"_s, u"replica"_s);
        b.opsPerSec = 2;
        TopologyNode unread = node(u"c:1"_s, u"replica"_s); // nothing of its own was read
        for (int i = 0; i < 5; ++i)
            history.append(i, topology(TopologyMode::Cluster, {a, b, unread}));
        QCOMPARE(history.nodes(), (QStringList{u"a:1"_s, u"b:1"_s}));
        QCOMPARE(history.samples(u"a:1"_s).size(), 3u);
        QCOMPARE(history.samples(u"a:1"_s).front().atMs, 2);
        QCOMPARE(history.samples(u"a:1"_s).back().usedMemory, 10.0);
        QVERIFY(std::isnan(history.samples(u"b:1"_s).back().usedMemory));
        history.append(5, topology(TopologyMode::Cluster, {b}));
        QVERIFY(std::isnan(history.samples(u"a:1"_s).back().usedMemory)); // a gap
        QCOMPARE(history.samples(u"a:1"_s).back().atMs, 5);
        QCOMPARE(history.role(u"b:1"_s), u"replica"_s);
    }

    void firstPollAndModeChangeReportNothing()
    {
        const Topology standalone =
            topology(TopologyMode::Standalone, {node(u"a:1"_s, u"master"_s)});
        const Topology cluster = topology(TopologyMode::Cluster, {node(u"a:1"_s, u"replica"_s)});
        QVERIFY(monitor::compareTopologies({}, standalone, 1).isEmpty());
        QVERIFY(monitor::compareTopologies(standalone, cluster, 1).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTopology)
#include "tst_topology.moc"
