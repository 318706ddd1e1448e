// Redis Cluster through the one facade (RedisConnection): detection from any node, discovery,
// routing by slot, MOVED/ASK, failover, unreachable announced addresses and their mapping.
// A real 6-node cluster (tests/support/rediscluster.h).
#include "connectionwait.h"
#include "rediscluster.h"
#include "startorfail.h"

#include "redis/clusterslot.h"
#include "redis/redisconnection.h"

#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace qs::redis;
using qs::test::connectAndSettle;
using qs::test::RedisCluster;
using qs::test::runPipeline;

namespace {

std::optional<PipelineResult> runOnNodes(RedisConnection &connection,
                                         const QList<NodeCommand> &commands)
{
    auto result = std::make_shared<std::optional<PipelineResult>>();
    QObject context;
    connection.pipelineOnNodes(commands, &context,
                               [result](const PipelineResult &r) { *result = r; });
    (void)QTest::qWaitFor([&] { return result->has_value(); }, 15'000);
    return *result;
}

int countRole(const Topology &topology, const QString &role)
{
    return int(std::count_if(topology.nodes.cbegin(), topology.nodes.cend(),
                             [&](const TopologyNode &node) { return node.role == role; }));
}

QString nodeId(const qs::test::RedisServer &server)
{
    return QString::fromUtf8(
        server.cli({QStringLiteral("CLUSTER"), QStringLiteral("MYID")}).trimmed());
}

QString address(const qs::test::RedisServer &server)
{
    return QStringLiteral("127.0.0.1:%1").arg(server.port());
}

} // namespace

class TestRedisCluster : public QObject
{
    Q_OBJECT
private:
    RedisCluster m_cluster;

private Q_SLOTS:
    void initTestCase() { QS_START_OR_FAIL(m_cluster); }

    void crc16SlotsMatchTheServer()
    {
        for (const QByteArray &key :
             {QByteArray("foo"), QByteArray("bull:{emails}:wait"), QByteArray("{bull}:emails:id"),
              QByteArray("a{}b"), QByteArray("x{y}{z}"), QByteArray("123456789")}) {
            const int server = m_cluster.node(0)
                                   .cli({QStringLiteral("CLUSTER"), QStringLiteral("KEYSLOT"),
                                         QString::fromUtf8(key)})
                                   .trimmed()
                                   .toInt();
            QCOMPARE(keyHashSlot(key), server);
        }
        QCOMPARE(keyHashSlot("123456789"), 0x31C3 % 16384);
        QCOMPARE(commandSlot({"EVALSHA", "sha", "2", "{q}:a", "{q}:b", "arg"}), keyHashSlot("q"));
        QCOMPARE(commandSlot({"EVAL", "return 1", "2", "a", "b"}), kCrossSlot);
        QCOMPARE(commandSlot({"INFO", "memory"}), kNoSlot);
        QCOMPARE(commandSlot({"MEMORY", "USAGE", "foo"}), keyHashSlot("foo"));
    }

    void anyNodeFindsTheWholeCluster()
    {
        for (const int index : {0, m_cluster.replicas().value(0, 5)}) {
            RedisConnection connection(m_cluster.profile(index));
            QSignalSpy topologies(&connection, &RedisConnection::topologyChanged);
            QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
            QVERIFY(connection.isCluster());
            const Topology topology = connection.topology();
            QCOMPARE(topology.mode, TopologyMode::Cluster);
            QCOMPARE(topology.nodes.size(), 6);
            QCOMPARE(countRole(topology, QStringLiteral("master")), 3);
            QCOMPARE(countRole(topology, QStringLiteral("replica")), 3);
            QCOMPARE(topology.slotsCovered, 16384);
            QCOMPARE(topology.clusterState, QStringLiteral("ok"));
            for (const TopologyNode &node : topology.nodes) {
                QVERIFY2(node.problem.isEmpty(), qPrintable(node.problem));
                if (node.role == QLatin1String("replica"))
                    QVERIFY(!node.masterAddress.isEmpty());
                else
                    QVERIFY(node.slotCount() > 5000);
            }
        }
    }

    void aPipelineIsSplitByNodeAndRepliesComeBackInOrder()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        QList<RedisCommand> writes;
        QList<RedisCommand> reads;
        for (int i = 0; i < 300; ++i) {
            const QByteArray key = "order:" + QByteArray::number(i);
            writes.append({"SET", key, QByteArray::number(i * 7)});
            reads.append({"GET", key});
            reads.append(RedisCommand{"INFO", "server"}); // keyless: some master answers
        }
        const auto written = runPipeline(connection, writes);
        QVERIFY(written && written->ok());
        QCOMPARE(written->roundTrips, 3); // one sub-pipeline per master
        const auto read = runPipeline(connection, reads);
        QVERIFY(read && read->ok());
        for (int i = 0; i < 300; ++i) {
            QCOMPARE(read->replies.at(2 * i).string, QByteArray::number(i * 7));
            QVERIFY(read->replies.at(2 * i + 1).string.contains("redis_mode:cluster"));
        }
        // Each key really lives where the server says: no MOVED was needed.
        const QByteArray onOwner = m_cluster.node(m_cluster.masterOf("order:42"))
                                       .cli({QStringLiteral("GET"), QStringLiteral("order:42")});
        QCOMPARE(onOwner.trimmed(), QByteArray::number(42 * 7));
    }

    // Encoded commands cannot be routed by key: a cluster refuses them, saying why, and sends
    // nothing (the poller sends a cluster its commands, which are routed).
    void encodedCommandsAreRefusedByACluster()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        QVERIFY(connection.isCluster());
        const auto result =
            runPipeline(connection, qs::redis::EncodedCommands({{"SET", "encoded:refused", "1"}}));
        QVERIFY(result);
        QVERIFY(!result->ok());
        QVERIFY2(result->error.message.contains(QLatin1String("cluster")),
                 qPrintable(result->error.message));
        QVERIFY(m_cluster.node(m_cluster.masterOf("encoded:refused"))
                    .cli({QStringLiteral("EXISTS"), QStringLiteral("encoded:refused")})
                    .startsWith('0'));
    }

    void crossSlotWritesAreRefusedInWords()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const auto result = runPipeline(connection, {{"DEL", "a", "b"}, {"MGET", "{t}a", "{t}b"}});
        QVERIFY(result && result->ok());
        QVERIFY(result->replies.at(0).isError());
        QVERIFY2(result->replies.at(0).string.contains("several Redis Cluster slots") &&
                     result->replies.at(0).string.contains("{hash tag}"),
                 result->replies.at(0).string.constData());
        QVERIFY(result->replies.at(1).isArray());
    }

    // As Sidekiq's daily counters or Celery's result keys are read: keys on every master.
    void crossSlotReadsAreSplitPerSlotAndJoinedInOrder()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        RedisCommand mget{"MGET"};
        RedisCommand exists{"EXISTS"};
        QList<RedisCommand> writes;
        QSet<int> owners;
        for (int i = 0; i < 40; ++i) {
            const QByteArray key = "split:" + QByteArray::number(i);
            owners.insert(m_cluster.masterOf(key));
            mget.append(key);
            exists.append(key);
            if (i % 3 != 0)
                writes.append({"SET", key, "v" + QByteArray::number(i)});
        }
        exists.append("split:1"); // counted twice, as Redis counts a repeated key
        exists.append("split:0"); // absent
        QCOMPARE(owners.size(), 3);
        const auto written = runPipeline(connection, writes);
        QVERIFY(written && written->ok());
        const auto read = runPipeline(connection, {{"GET", "split:1"}, mget, exists, {"DBSIZE"}});
        QVERIFY(read && read->ok());
        QCOMPARE(read->replies.size(), 4);
        QCOMPARE(read->replies.at(0).string, QByteArray("v1"));
        const RedisReply &values = read->replies.at(1);
        QVERIFY2(values.isArray(), values.string.constData());
        QCOMPARE(values.elements.size(), 40);
        for (int i = 0; i < 40; ++i) {
            if (i % 3 == 0)
                QVERIFY2(values.elements.at(i).isNil(), qPrintable(QString::number(i)));
            else
                QCOMPARE(values.elements.at(i).string, "v" + QByteArray::number(i));
        }
        QCOMPARE(read->replies.at(2).integer, qint64(26 + 1));
        QVERIFY(read->replies.at(3).isInteger());
    }

    void perNodeCommandsGoToTheirNode()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        QList<NodeCommand> commands;
        for (const TopologyNode &node : connection.topology().nodes)
            commands.append({node.address, {"INFO", "server"}});
        const auto result = runOnNodes(connection, commands);
        QVERIFY(result && result->ok());
        QCOMPARE(result->roundTrips, 6);
        for (qsizetype i = 0; i < commands.size(); ++i) {
            const QString port = commands.at(i).node.section(QLatin1Char(':'), -1);
            QVERIFY(result->replies.at(i).string.contains("tcp_port:" + port.toUtf8()));
        }
    }

    void movedAndAskAreFollowed()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const QByteArray key = "{moving}:key";
        const int slot = keyHashSlot(key);
        const int source = m_cluster.masterOf(key);
        int target = -1;
        for (const int master : m_cluster.masters()) {
            if (master != source)
                target = master;
        }
        QVERIFY(source >= 0 && target >= 0);
        const auto &src = m_cluster.node(source);
        const auto &dst = m_cluster.node(target);
        QVERIFY(
            runPipeline(connection, {{"SET", key, "v1"}, {"SET", "{moving}:other", "v2"}})->ok());
        const QString slotText = QString::number(slot);
        // ASK: the slot is migrating and this key already moved to the target.
        dst.cli({"CLUSTER", "SETSLOT", slotText, "IMPORTING", nodeId(src)});
        src.cli({"CLUSTER", "SETSLOT", slotText, "MIGRATING", nodeId(dst)});
        src.cli({"MIGRATE", dst.host(), QString::number(dst.port()), "", "0", "5000", "KEYS",
                 QString::fromUtf8(key)});
        auto result = runPipeline(connection, {{"GET", key}, {"GET", "{moving}:other"}});
        QVERIFY(result && result->ok());
        QCOMPARE(result->replies.at(0).string, QByteArray("v1")); // ASKING + GET on the target
        QCOMPARE(result->replies.at(1).string, QByteArray("v2")); // still on the source
        // MOVED: the slot now belongs to the target everywhere.
        src.cli({"MIGRATE", dst.host(), QString::number(dst.port()), "", "0", "5000", "KEYS",
                 "{moving}:other"});
        for (int i = 0; i < m_cluster.size(); ++i)
            m_cluster.node(i).cli({"CLUSTER", "SETSLOT", slotText, "NODE", nodeId(dst)});
        result = runPipeline(connection, {{"GET", key}, {"GET", "{moving}:other"}});
        QVERIFY(result && result->ok());
        QCOMPARE(result->replies.at(0).string, QByteArray("v1"));
        QCOMPARE(result->replies.at(1).string, QByteArray("v2"));
        // The slot map follows: the next pipeline goes straight to the target (one trip).
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto again = runPipeline(connection, {{"GET", key}});
                return again && again->ok() && again->roundTrips == 1 &&
                       again->replies.at(0).string == "v1";
            }(),
            10'000);
        for (int i = 0; i < m_cluster.size(); ++i) // give the slot back for the next tests
            m_cluster.node(i).cli({"CLUSTER", "SETSLOT", slotText, "NODE", nodeId(src)});
        dst.cli({"MIGRATE", src.host(), QString::number(src.port()), "", "0", "5000", "KEYS",
                 QString::fromUtf8(key), "{moving}:other"});
    }

    void unreachableAnnouncedAddressIsSaidAndCanBeMapped()
    {
        // A replica announces 127.0.0.2 (as behind NAT): nothing listens there.
        const int replica = m_cluster.replicas().value(0, -1);
        QVERIFY(replica >= 0);
        const auto &server = m_cluster.node(replica);
        server.cli({"CONFIG", "SET", "cluster-announce-ip", "127.0.0.2"});
        const QString announced = QStringLiteral("127.0.0.2:%1").arg(server.port());
        auto restore = qScopeGuard([&] {
            // Announce the real address again and wait until every node has heard it.
            server.cli({"CONFIG", "SET", "cluster-announce-ip", "127.0.0.1"});
            (void)QTest::qWaitFor(
                [&] {
                    for (int i = 0; i < m_cluster.size(); ++i) {
                        if (m_cluster.node(i).cli({"CLUSTER", "NODES"}).contains("127.0.0.2"))
                            return false;
                    }
                    return true;
                },
                20'000);
        });
        {
            RedisConnection connection(m_cluster.profile(0));
            QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    for (const TopologyNode &node : connection.topology().nodes) {
                        if (node.address == announced && !node.problem.isEmpty())
                            return true;
                    }
                    return false;
                }(),
                20'000);
            for (const TopologyNode &node : connection.topology().nodes) {
                if (node.address != announced)
                    continue;
                QCOMPARE(node.state, QStringLiteral("unreachable"));
                QVERIFY2(node.problem.startsWith(QStringLiteral("Cluster node ") + announced) &&
                             node.problem.contains(QLatin1String("address mapping")),
                         qPrintable(node.problem));
            }
        }
        qs::core::ConnectionProfile mapped = m_cluster.profile(0);
        mapped.clusterAddressMap = {announced + QLatin1Char('=') + address(server)};
        RedisConnection connection(mapped);
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const TopologyNode &node : connection.topology().nodes) {
                    if (node.address == address(server) && node.announced == announced &&
                        node.problem.isEmpty())
                        return true;
                }
                return false;
            }(),
            20'000);
        QList<NodeCommand> commands{{address(server), {"INFO", "server"}}};
        const auto result = runOnNodes(connection, commands);
        QVERIFY(result && result->ok());
        QVERIFY(
            result->replies.at(0).string.contains("tcp_port:" + QByteArray::number(server.port())));
    }

    // Last: it changes which nodes are masters.
    void aFailoverIsFollowedWithoutARestart()
    {
        RedisConnection connection(m_cluster.profile(0));
        QCOMPARE(connectAndSettle(connection).state, ConnectionState::Connected);
        const QByteArray key = "{failover}:counter";
        QVERIFY(runPipeline(connection, {{"SET", key, "1"}})->ok());
        const int master = m_cluster.masterOf(key);
        const int replica = m_cluster.replicaOf(master);
        QVERIFY(master >= 0 && replica >= 0);
        m_cluster.node(replica).cli({"CLUSTER", "FAILOVER"});
        QString error;
        QVERIFY2(m_cluster.waitUntilOk(&error, 30'000, replica), qPrintable(error));
        // Writes reach the promoted replica (MOVED from the old master, then the new map).
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto r = runPipeline(connection, {{"INCR", key}});
                return r && r->ok() && r->replies.at(0).isInteger();
            }(),
            10'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const TopologyNode &node : connection.topology().nodes) {
                    if (node.address == address(m_cluster.node(replica)))
                        return node.role == QLatin1String("master");
                }
                return false;
            }(),
            15'000);

        // kill -9 of the new master: its replica (the old master) takes over.
        m_cluster.node(replica).kill();
        QVERIFY2(m_cluster.waitUntilOk(&error, 30'000, master), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto r = runPipeline(connection, {{"INCR", key}});
                return r && r->ok() && r->replies.at(0).isInteger();
            }(),
            10'000);
        QVERIFY(connection.isConnected());
        QVERIFY2(m_cluster.node(replica).restart(&error), qPrintable(error));
        QVERIFY2(m_cluster.waitUntilOk(&error, 30'000), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestRedisCluster)
#include "tst_rediscluster.moc"
