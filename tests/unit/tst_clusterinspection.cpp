// The Server page's refresh on a Redis Cluster without I/O (monitor::ClusterInspection): SLOWLOG
// GET and CLIENT LIST pinned to every live node, the slow logs merged newest first and every
// row labelled with its node; a node refusing a part is named in that part's error.
#include "monitor/clusterinspection.h"

#include <QTest>

using namespace qs;
using namespace Qt::StringLiterals;
using redis::RedisCommand;
using redis::RedisReply;

namespace {

const RedisCommand kSlowLog{"SLOWLOG", "GET", "128"};
const RedisCommand kClients{"CLIENT", "LIST"};
const RedisCommand kInfo{"INFO", "all"};

redis::TopologyNode node(const QString &address, const QString &role)
{
    redis::TopologyNode n;
    n.address = address;
    n.role = role;
    n.state = u"ok"_s;
    return n;
}

// h:1 master, h:2 its replica, h:3 a master that cannot be reached.
redis::Topology cluster()
{
    redis::Topology t;
    t.mode = redis::TopologyMode::Cluster;
    t.nodes = {node(u"h:1"_s, u"master"_s), node(u"h:2"_s, u"replica"_s),
               node(u"h:3"_s, u"master"_s)};
    t.nodes[2].problem = u"Cluster node h:3 cannot be reached"_s;
    return t;
}

RedisReply slowEntry(qint64 id, qint64 time, const QByteArray &command)
{
    return RedisReply::array({RedisReply::number(id), RedisReply::number(time),
                              RedisReply::number(20'000),
                              RedisReply::array({RedisReply::bulk(command)}),
                              RedisReply::bulk("10.0.0.1:5000"), RedisReply::bulk("")});
}

QString refusal(const RedisReply &reply, int)
{
    return reply.isError() ? QString::fromUtf8(reply.string) : QString();
}

} // namespace

class TestClusterInspection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyLiveNodeIsAskedInfoOnce()
    {
        const auto plan = monitor::ClusterInspection::plan(cluster(), kSlowLog, kClients, kInfo);
        QCOMPARE(plan.nodes, (QStringList{u"h:1"_s, u"h:2"_s}));
        QCOMPARE(plan.commands.size(), 5);
        QCOMPARE(plan.commands.at(0).node, u"h:1"_s);
        QCOMPARE(plan.commands.at(0).command, kSlowLog);
        QCOMPARE(plan.commands.at(3).node, u"h:2"_s);
        QCOMPARE(plan.commands.at(3).command, kClients);
        QCOMPARE(plan.commands.at(4).node, QString()); // INFO where keyless commands go
        QCOMPARE(plan.commands.at(4).command, kInfo);
    }

    void slowLogsMergeNewestFirstAndSameIdsStayApart()
    {
        const auto plan = monitor::ClusterInspection::plan(cluster(), kSlowLog, kClients, kInfo);
        const auto read = plan.read(
            {RedisReply::array({slowEntry(2, 300, "KEYS"), slowEntry(1, 100, "HGETALL")}),
             RedisReply::bulk("id=5 addr=10.0.0.1:1 name=a\n"),
             RedisReply::array({slowEntry(2, 200, "SMEMBERS")}),
             RedisReply::bulk("id=5 addr=10.0.0.2:1 name=b\n"), RedisReply::bulk("# Server\r\n")},
            refusal);
        QCOMPARE(read.slowLog.size(), 3);
        QCOMPARE(read.slowLog.at(0).arguments.first(), QByteArray("KEYS"));
        QCOMPARE(read.slowLog.at(0).node, u"h:1"_s);
        QCOMPARE(read.slowLog.at(1).arguments.first(), QByteArray("SMEMBERS"));
        QCOMPARE(read.slowLog.at(1).node, u"h:2"_s);
        QCOMPARE(read.slowLog.at(2).timestamp, 100);
        QCOMPARE(read.clients.size(), 2);
        QCOMPARE(read.clients.at(0).id, read.clients.at(1).id);
        QCOMPARE(read.clients.at(0).node, u"h:1"_s);
        QCOMPARE(read.clients.at(1).node, u"h:2"_s);
        QVERIFY(read.slowLogError.isEmpty() && read.clientsError.isEmpty());
        QVERIFY(read.info.isString());
    }

    void aNodeRefusingIsNamedTheOthersStay()
    {
        const auto plan = monitor::ClusterInspection::plan(cluster(), kSlowLog, kClients, kInfo);
        const auto read =
            plan.read({RedisReply::error("NOPERM no slowlog"), RedisReply::bulk("id=1 addr=a:1\n"),
                       RedisReply::array({slowEntry(1, 1, "GET")}),
                       RedisReply::error("ERR unknown command"), RedisReply::bulk("")},
                      refusal);
        QCOMPARE(read.slowLogError, u"h:1: NOPERM no slowlog"_s);
        QCOMPARE(read.slowLog.size(), 1);
        QCOMPARE(read.clientsError, u"h:2: ERR unknown command"_s);
        QCOMPARE(read.clients.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestClusterInspection)
#include "tst_clusterinspection.moc"
