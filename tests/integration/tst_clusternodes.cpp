// What describes one node, read on EVERY node of a real Redis Cluster (issue 16): BullMQ
// workers (BullMQ's own cluster client, tests/queues/bullmq-cluster.mjs) connected to different
// masters are all listed by `queuescope workers`, each with the node it was seen on; the Server
// page's inspector shows every node's slow log and clients with their node, and its CLIENT KILL
// reaches the node that listed the client, never a client with the same id on another node.
#include "cliprocess.h"
#include "clustertesthelpers.h"
#include "connectionwait.h"
#include "nodeclient.h"
#include "startorfail.h"

#include "monitor/clientlistmodel.h"
#include "monitor/serverinspector.h"
#include "monitor/slowlogmodel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <set>

using qs::test::bullmqOnCluster;
using qs::test::missingClusterTools;
using qs::test::NodeClient;
using qs::test::RedisCluster;
using qs::test::runQueuescope;
using qs::test::url;

namespace {

QString address(const RedisCluster &cluster, int index)
{
    return QStringLiteral("127.0.0.1:%1").arg(cluster.node(index).port());
}

// A cluster connection that knows every node, and an inspector on it.
struct ClusterInspector
{
    explicit ClusterInspector(const RedisCluster &cluster)
        : connection(qs::test::openConnection(cluster.profile(0)))
    {
        inspector.setConnection(connection.get());
    }
    bool knowsEveryNode(int nodes) const
    {
        return QTest::qWaitFor(
            [&] { return connection->isCluster() && connection->topology().nodes.size() == nodes; },
            15'000);
    }
    bool refresh()
    {
        inspector.refresh();
        return refreshed.wait(10'000) &&
               refreshed.last().first().value<qs::monitor::Inspection>().ok;
    }
    int clientRow(const QString &name) const
    {
        for (int row = 0; row < inspector.clients()->rowCount(); ++row) {
            if (inspector.clients()->client(row).name == name)
                return row;
        }
        return -1;
    }

    std::unique_ptr<qs::redis::RedisConnection> connection;
    qs::monitor::ServerInspector inspector;
    QSignalSpy refreshed{&inspector, &qs::monitor::ServerInspector::refreshed};
    QSignalSpy finished{&inspector, &qs::monitor::ServerInspector::actionFinished};
};

} // namespace

class TestClusterNodes : public QObject
{
    Q_OBJECT
private:
    RedisCluster m_cluster;

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString missing = missingClusterTools(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        QS_START_OR_FAIL(m_cluster);
    }

    // Each queue's live worker waits on the master that owns its slot: every one of them is
    // listed once, with that master as its node, whichever node the command line starts from
    // (its ioredis Cluster client also names its connections to other masters: not listed).
    void workersOnEveryMasterAreListed()
    {
        const QStringList names{"{w-alpha}", "{w-beta}", "{w-gamma}", "{w-delta}", "{w-eps}"};
        auto fixture = bullmqOnCluster(
            m_cluster, names,
            {"--failed", "1", "--waiting", "0", "--delayed", "0", "--live-worker", "scout"});
        QS_START_OR_FAIL(*fixture);
        std::set<int> owners;
        for (const QString &name : names)
            owners.insert(m_cluster.masterOf(("bull:" + name + ":meta").toUtf8()));
        QVERIFY2(owners.size() >= 2, "the queues should spread over the masters");
        for (const int start : {0, m_cluster.replicas().value(0, 5)}) {
            const auto run = runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"),
                                            url(m_cluster, start), QStringLiteral("--json")});
            QVERIFY2(run.exitCode == 0, run.out + run.err);
            const QJsonArray workers = run.json().value(QStringLiteral("workers")).toArray();
            for (const QString &name : names) {
                const QString owner =
                    address(m_cluster, m_cluster.masterOf(("bull:" + name + ":meta").toUtf8()));
                QStringList seenOn;
                for (const QJsonValue &value : workers) {
                    const QJsonObject worker = value.toObject();
                    if (worker.value(QStringLiteral("name")).toString() == QLatin1String("scout") &&
                        worker.value(QStringLiteral("queues")).toArray().contains(name))
                        seenOn << worker.value(QStringLiteral("node")).toString();
                }
                // Its Cluster client's connections to other masters are not the worker.
                QVERIFY2(
                    seenOn == QStringList{owner},
                    qPrintable(QStringLiteral("%1's worker should be listed once, on %2; seen on "
                                              "[%3]; output: %4")
                                   .arg(name, owner, seenOn.join(QStringLiteral(", ")),
                                        QString::fromUtf8(run.out))));
            }
        }
    }

    // A slow command on two masters (neither the one the inspector connects to): both entries
    // are shown, each with its node.
    void slowLogEntriesOfEveryNodeAreShownWithTheirNode()
    {
        const QList<int> masters = m_cluster.masters();
        QVERIFY(masters.size() >= 3);
        QStringList expected;
        for (const int index : {masters.at(1), masters.at(2)}) {
            NodeClient client;
            QVERIFY(client.open(m_cluster.node(index)));
            QCOMPARE(client.ask("CONFIG SET slowlog-log-slower-than 0"), QByteArray("+OK"));
            const QByteArray marker = "slow-marker-" + QByteArray::number(index);
            QVERIFY(client.ask("ECHO " + marker).contains(marker));
            QCOMPARE(client.ask("CONFIG SET slowlog-log-slower-than 10000"), QByteArray("+OK"));
            expected << address(m_cluster, index) + QLatin1Char(' ') + QString::fromUtf8(marker);
        }
        ClusterInspector spied(m_cluster);
        QVERIFY(spied.connection && spied.knowsEveryNode(m_cluster.size()));
        QVERIFY(spied.refresh());
        QStringList seen;
        const qs::monitor::SlowLogModel &slowLog = *spied.inspector.slowLog();
        for (int row = 0; row < slowLog.rowCount(); ++row) {
            const qs::monitor::SlowLogEntry &entry = slowLog.entry(row);
            if (entry.arguments.size() == 2 && entry.arguments.at(0).toUpper() == "ECHO")
                seen << entry.node + QLatin1Char(' ') + QString::fromUtf8(entry.arguments.at(1));
        }
        for (const QString &entry : std::as_const(expected))
            QVERIFY2(
                seen.contains(entry),
                qPrintable(QStringLiteral("%1 missing from [%2]").arg(entry, seen.join(u", "))));
    }

    // A victim on one master and a bystander with the SAME client id on the master the
    // inspector's connection sends keyless commands to: the kill closes the victim only.
    void clientKillReachesTheNodeThatListedTheClient()
    {
        const QList<int> masters = m_cluster.masters();
        QVERIFY(masters.size() >= 2 && masters.contains(0));
        const int victimNode = masters.at(0) == 0 ? masters.at(1) : masters.at(0);
        ClusterInspector spied(m_cluster); // its own connections first: they take ids too
        QVERIFY(spied.connection && spied.knowsEveryNode(m_cluster.size()));
        // Client ids count up per node: reconnect the one behind until both ids match.
        auto victim = std::make_unique<NodeClient>();
        auto bystander = std::make_unique<NodeClient>();
        QVERIFY(victim->open(m_cluster.node(victimNode)) && bystander->open(m_cluster.node(0)));
        qint64 victimId = victim->id();
        qint64 bystanderId = bystander->id();
        for (int attempt = 0; victimId != bystanderId && attempt < 5'000; ++attempt) {
            auto &behind = victimId < bystanderId ? victim : bystander;
            behind = std::make_unique<NodeClient>();
            QVERIFY(behind->open(m_cluster.node(behind == victim ? victimNode : 0)));
            (behind == victim ? victimId : bystanderId) = behind->id();
        }
        QVERIFY2(victimId == bystanderId && victimId > 0,
                 qPrintable(QStringLiteral("ids %1 and %2").arg(victimId).arg(bystanderId)));
        QCOMPARE(victim->ask("CLIENT SETNAME kill-victim"), QByteArray("+OK"));
        QCOMPARE(bystander->ask("CLIENT SETNAME same-id-bystander"), QByteArray("+OK"));

        QVERIFY(spied.refresh());
        const int row = spied.clientRow(QStringLiteral("kill-victim"));
        QVERIFY(row >= 0);
        const qs::monitor::ClientInfo listed = spied.inspector.clients()->client(row);
        QCOMPARE(listed.node, address(m_cluster, victimNode));
        QCOMPARE(listed.id, victimId);
        const int other = spied.clientRow(QStringLiteral("same-id-bystander"));
        QVERIFY(other >= 0);
        QCOMPARE(spied.inspector.clients()->client(other).node, address(m_cluster, 0));

        spied.inspector.killClient(listed.id, listed.node);
        QVERIFY(spied.finished.wait(10'000));
        QCOMPARE(spied.finished.last().at(1).toString(), QString());
        QVERIFY(victim->closedByServer());
        QCOMPARE(bystander->ask("PING"), QByteArray("+PONG"));
        QTRY_VERIFY_WITH_TIMEOUT(spied.clientRow(QStringLiteral("kill-victim")) < 0, 10'000);
        QVERIFY(spied.clientRow(QStringLiteral("same-id-bystander")) >= 0);
    }
};

QTEST_GUILESS_MAIN(TestClusterNodes)
#include "tst_clusternodes.moc"
