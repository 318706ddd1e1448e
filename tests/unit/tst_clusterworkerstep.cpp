// One worker-scan step on a Redis Cluster without I/O (monitor::ClusterWorkerStep): CLIENT LIST
// pinned to every live master, keyed commands routed by slot, and the masters' lists handed to
// the readers as one text where every client carries the node that listed it.
#include "monitor/clusterworkerstep.h"
#include "queues/workerreplies.h"

#include <QTest>

using namespace qs;
using namespace Qt::StringLiterals;
using redis::RedisCommand;
using redis::RedisReply;

namespace {

redis::TopologyNode node(const QString &address, const QString &role, int slotCount,
                         const QString &state = u"ok"_s)
{
    redis::TopologyNode n;
    n.address = address;
    n.role = role;
    n.state = state;
    if (slotCount > 0)
        n.slotRanges = {{0, slotCount - 1}};
    return n;
}

// Masters :1 and :2, :3 a replica, :4 a master that cannot be reached (it still owns slots),
// :5 a failed-over master (no slots left).
redis::Topology cluster()
{
    redis::Topology t;
    t.mode = redis::TopologyMode::Cluster;
    t.nodes = {node(u"h:1"_s, u"master"_s, 100), node(u"h:2"_s, u"master"_s, 100),
               node(u"h:3"_s, u"replica"_s, 0), node(u"h:4"_s, u"master"_s, 100),
               node(u"h:5"_s, u"master"_s, 0, u"fail"_s)};
    t.nodes[3].problem = u"Cluster node h:4 cannot be reached"_s;
    return t;
}

const RedisCommand kClientList{"CLIENT", "LIST", "TYPE", "normal"};
const RedisCommand kActive{"LRANGE", "bull:{a}:active", "0", "9"};

} // namespace

class TestClusterWorkerStep : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientListGoesToEveryLiveMasterTheRestByItsSlot()
    {
        const auto step = monitor::ClusterWorkerStep::plan(cluster(), {kClientList, kActive});
        QCOMPARE(step.commands.size(), 3);
        QCOMPARE(step.commands.at(0).node, u"h:1"_s);
        QCOMPARE(step.commands.at(1).node, u"h:2"_s);
        QCOMPARE(step.commands.at(0).command, kClientList);
        QCOMPARE(step.commands.at(2).node, QString()); // routed by its key
        QCOMPARE(step.commands.at(2).command, kActive);
        // The unreachable master owning slots is named; the failed-over one is not.
        QCOMPARE(step.notes.size(), 1);
        QVERIFY(step.notes.first().contains(u"h:4"_s));
    }

    void everyMastersClientsReachTheReaderWithTheirNode()
    {
        const auto step = monitor::ClusterWorkerStep::plan(cluster(), {kClientList, kActive});
        QStringList notes;
        const QList<RedisReply> replies =
            step.read({RedisReply::bulk("id=7 addr=10.0.0.1:5000 name=a cmd=bzpopmin\n"),
                       RedisReply::bulk("id=7 addr=10.0.0.2:6000 name=b cmd=bzpopmin\r\n"),
                       RedisReply::array({RedisReply::bulk("1")})},
                      &notes);
        QCOMPARE(replies.size(), 2);
        QCOMPARE(replies.at(0).string,
                 QByteArray("id=7 addr=10.0.0.1:5000 name=a cmd=bzpopmin qs-node=h:1\n"
                            "id=7 addr=10.0.0.2:6000 name=b cmd=bzpopmin qs-node=h:2\n"));
        QCOMPARE(replies.at(1).elements.size(), 1);
        QVERIFY(notes.isEmpty());
    }

    void aMasterRefusingIsANoteEveryMasterRefusingIsTheRefusal()
    {
        const auto step = monitor::ClusterWorkerStep::plan(cluster(), {kClientList});
        QStringList notes;
        QList<RedisReply> replies =
            step.read({RedisReply::bulk("id=1 addr=a:1 name=x\n"),
                       RedisReply::error("NOPERM this user has no permissions")},
                      &notes);
        QVERIFY(replies.at(0).isString());
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.first().contains(u"h:2 (NOPERM"_s), qPrintable(notes.first()));
        notes.clear();
        replies =
            step.read({RedisReply::error("NOPERM one"), RedisReply::error("NOPERM two")}, &notes);
        QVERIFY(replies.at(0).isError());
        QCOMPARE(replies.at(0).string, QByteArray("NOPERM one"));
    }

    void withoutClientListNothingIsPinned()
    {
        const auto step = monitor::ClusterWorkerStep::plan(cluster(), {kActive});
        QCOMPARE(step.commands.size(), 1);
        QCOMPARE(step.commands.at(0).node, QString());
        QVERIFY(step.notes.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClusterWorkerStep)
#include "tst_clusterworkerstep.moc"
