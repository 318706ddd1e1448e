// Replicas (issue 16, must-have 5): a master shows its replicas with their lag, a profile may
// point at a replica, and a write through it is refused with a message, losing nothing. The real
// binary against a real master and a real replica.
#include "cliprocess.h"
#include "redisserver.h"

#include "core/redisurl.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QThread>

using qs::test::RedisServer;
using qs::test::RedisServerOptions;
using namespace Qt::StringLiterals;

namespace {

QString url(const RedisServer &server)
{
    return qs::core::toRedisUrl(server.profile(), qs::core::Secret::Included);
}

QString address(const RedisServer &server)
{
    return u"127.0.0.1:%1"_s.arg(server.port());
}

QJsonObject topologyOf(const RedisServer &server)
{
    const qs::test::CliRun run =
        qs::test::runQueuescope({u"check"_s, u"--url"_s, url(server), u"--json"_s});
    return run.json().value(u"topology"_s).toObject();
}

} // namespace

class TestReplicas : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_master.start());
        m_replica = std::make_unique<RedisServer>(RedisServerOptions{
            .extraArgs = {u"--replicaof"_s, m_master.host(), QString::number(m_master.port())}});
        QVERIFY(m_replica->start());
        // An RQ queue of three jobs, written on the master, replicated.
        m_master.cli({u"SADD"_s, u"rq:queues"_s, u"rq:queue:emails"_s});
        for (const QString &id : {u"a"_s, u"b"_s, u"c"_s}) {
            m_master.cli({u"HSET"_s, u"rq:job:"_s + id, u"status"_s, u"queued"_s, u"origin"_s,
                          u"emails"_s, u"created_at"_s, u"2026-12-06T10:00:00.000000Z"_s});
            m_master.cli({u"RPUSH"_s, u"rq:queue:emails"_s, id});
        }
        const QDeadlineTimer deadline(20'000);
        while (!deadline.hasExpired() &&
               (!m_replica->cli({u"INFO"_s, u"replication"_s}).contains("master_link_status:up") ||
                m_replica->cli({u"LLEN"_s, u"rq:queue:emails"_s}).trimmed() != "3"))
            QThread::msleep(100);
        QVERIFY2(!deadline.hasExpired(), qPrintable(m_replica->logTail()));
    }

    void masterListsItsReplicaWithLag()
    {
        QJsonObject topology;
        // The master lists the replica once it is "online" (after its first sync).
        QTRY_VERIFY_WITH_TIMEOUT((topology = topologyOf(m_master))
                                         .value(u"nodes"_s)
                                         .toArray()
                                         .at(1)
                                         .toObject()
                                         .value(u"state"_s) == u"ok"_s,
                                 20'000);
        QCOMPARE(topology.value(u"mode"_s).toString(), u"standalone"_s);
        const QJsonArray nodes = topology.value(u"nodes"_s).toArray();
        QCOMPARE(nodes.size(), 2);
        const QJsonObject master = nodes.at(0).toObject();
        QCOMPARE(master.value(u"address"_s).toString(), address(m_master));
        QCOMPARE(master.value(u"role"_s).toString(), u"master"_s);
        QVERIFY(master.value(u"usedMemory"_s).toDouble() > 0);
        QCOMPARE(master.value(u"keys"_s).toInt(), 5);
        const QJsonObject replica = nodes.at(1).toObject();
        QCOMPARE(replica.value(u"address"_s).toString(), address(*m_replica));
        QCOMPARE(replica.value(u"role"_s).toString(), u"replica"_s);
        QCOMPARE(replica.value(u"master"_s).toString(), address(m_master));
        QVERIFY(replica.value(u"lagBytes"_s).isDouble());
        QVERIFY(replica.value(u"lagBytes"_s).toDouble() >= 0);
        QVERIFY(replica.value(u"lagSeconds"_s).isDouble());

        const qs::test::CliRun text =
            qs::test::runQueuescope({u"check"_s, u"--url"_s, url(m_master)});
        QVERIFY2(text.out.contains("master with 1 replica(s): " + address(*m_replica).toUtf8()),
                 text.out.constData());
    }

    void replicaProfileWatchesItsData()
    {
        const QJsonObject topology = topologyOf(*m_replica);
        const QJsonObject self = topology.value(u"nodes"_s).toArray().at(0).toObject();
        QCOMPARE(self.value(u"role"_s).toString(), u"replica"_s);
        QCOMPARE(self.value(u"master"_s).toString(), address(m_master));
        QCOMPARE(self.value(u"state"_s).toString(), u"ok"_s);

        const qs::test::CliRun queues =
            qs::test::runQueuescope({u"queues"_s, u"--url"_s, url(*m_replica), u"--json"_s});
        QCOMPARE(queues.exitCode, 0);
        QVERIFY2(queues.out.contains("\"emails\""), queues.out.constData());
        const qs::test::CliRun text =
            qs::test::runQueuescope({u"check"_s, u"--url"_s, url(*m_replica)});
        QVERIFY2(text.out.contains("replica of " + address(m_master).toUtf8()),
                 text.out.constData());
    }

    void writeThroughReplicaIsRefusedAndLosesNothing()
    {
        const qs::test::CliRun drain = qs::test::runQueuescope(
            {u"drain"_s, u"--url"_s, url(*m_replica), u"rq/emails"_s, u"--all"_s, u"--yes"_s});
        QCOMPARE(drain.exitCode, 4); // refused
        QVERIFY2(drain.out.contains("read-only replica (READONLY)"), drain.out.constData());
        QVERIFY(!drain.out.contains("You can't write"));
        QCOMPARE(m_master.cli({u"LLEN"_s, u"rq:queue:emails"_s}).trimmed(), QByteArray("3"));
    }

private:
    RedisServer m_master;
    std::unique_ptr<RedisServer> m_replica;
};

QTEST_GUILESS_MAIN(TestReplicas)
#include "tst_replicas.moc"
