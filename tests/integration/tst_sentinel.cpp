// The real binary against a real Sentinel group (a master, a replica, three redis-sentinel
// processes): check and queues through redis+sentinel:// URLs and --sentinel flags, the specific
// errors (unknown master, no sentinel, the sentinels' password), and a watch that follows a
// master killed with SIGKILL to the promoted replica while RQ, Celery and Sidekiq keep enqueueing
// through the sentinels with their own clients.
#include "cliprocess.h"
#include "sentinelgroup.h"
#include "startorfail.h"
#include "watchprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <algorithm>

using qs::test::SentinelGroup;
using qs::test::SentinelGroupOptions;
using qs::test::WatchProcess;

namespace {

qs::test::CliRun queuescope(const QStringList &args)
{
    return qs::test::runQueuescope(args, {}, 60'000);
}

// An RQ queue with `jobs` queued jobs, written on `server`.
void makeRqQueue(qs::test::RedisServer &server, const QString &name, int jobs)
{
    server.cli(
        {QStringLiteral("SADD"), QStringLiteral("rq:queues"), QStringLiteral("rq:queue:") + name});
    for (int i = 0; i < jobs; ++i)
        server.cli({QStringLiteral("RPUSH"), QStringLiteral("rq:queue:") + name,
                    QStringLiteral("job-%1").arg(i)});
}

int queuedIn(const QJsonObject &json, const QString &name)
{
    for (const QJsonValue &queue : json.value(QStringLiteral("queues")).toArray()) {
        const QJsonObject q = queue.toObject();
        if (q.value(QStringLiteral("name")).toString() == name)
            return q.value(QStringLiteral("counts"))
                .toObject()
                .value(QStringLiteral("queued"))
                .toInt(-1);
    }
    return -1;
}

// Runs tests/queues/<script> with `args`; its JSON line, or an empty object (the error in *why).
QJsonObject runFixture(const QString &program, const QStringList &args, QByteArray *why)
{
    QProcess process;
    process.setWorkingDirectory(
        QDir(qEnvironmentVariable("QS_SOURCE_DIR")).filePath("tests/queues"));
    process.start(program, args);
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished(5'000);
        *why = "timed out";
        return {};
    }
    *why = process.readAllStandardError();
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

// The counts of `framework`'s queue `name` in a `queues --json` answer.
QJsonObject countsOf(const QJsonObject &json, const QString &framework, const QString &name)
{
    for (const QJsonValue &queue : json.value(QStringLiteral("queues")).toArray()) {
        const QJsonObject q = queue.toObject();
        if (q.value(QStringLiteral("framework")).toString() == framework &&
            q.value(QStringLiteral("name")).toString() == name)
            return q.value(QStringLiteral("counts")).toObject();
    }
    return {};
}

// Each framework enqueues `jobs` jobs with its OWN Sentinel client through `sentinels` (RQ:
// redis-py's redis.sentinel, Celery: kombu's sentinel:// transport, Sidekiq: the redis gem's
// sentinels:) into the queue `name` (RQ), `name`-celery and `name`-sidekiq. Empty, or what failed.
QByteArray enqueueWithOwnSentinelClients(const QString &master, const QStringList &sentinels,
                                         const QString &name, int jobs)
{
    const QString count = QString::number(jobs);
    const QList<std::pair<QString, QStringList>> runs{
        {QStringLiteral("/usr/bin/python3"),
         {QStringLiteral("sentinel_enqueue.py"), QStringLiteral("rq"), master, name, count}},
        {QStringLiteral("/usr/bin/python3"),
         {QStringLiteral("sentinel_enqueue.py"), QStringLiteral("celery"), master,
          name + QStringLiteral("-celery"), count}},
        {QStringLiteral("ruby"),
         {QStringLiteral("sentinel_enqueue.rb"), master, name + QStringLiteral("-sidekiq"), count}},
    };
    for (const auto &[program, args] : runs) {
        QByteArray why;
        const QJsonObject done = runFixture(program, args + sentinels, &why);
        if (done.value(QStringLiteral("enqueued")).toInt() != jobs)
            return args.join(u' ').toUtf8() + ": " + why;
    }
    return {};
}

// Whether `json` (a `queues --json` answer or a watch line) counts `jobs` waiting in each queue
// enqueueWithOwnSentinelClients made.
bool countsOwnClientsJobs(const QJsonObject &json, const QString &name, int jobs)
{
    return countsOf(json, QStringLiteral("rq"), name).value(QStringLiteral("queued")).toInt() ==
               jobs &&
           countsOf(json, QStringLiteral("celery"), name + QStringLiteral("-celery"))
                   .value(QStringLiteral("pending"))
                   .toInt() == jobs &&
           countsOf(json, QStringLiteral("sidekiq"), name + QStringLiteral("-sidekiq"))
                   .value(QStringLiteral("enqueued"))
                   .toInt() == jobs;
}

} // namespace

class TestSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN")));
        QS_START_OR_FAIL(m_group);
        makeRqQueue(m_group.master(), QStringLiteral("reports"), 3);
    }

    void checkThroughSentinelUrl()
    {
        const auto run = queuescope({QStringLiteral("check"), QStringLiteral("--url"),
                                     m_group.url(), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err + run.out);
        QCOMPARE(run.json().value(QStringLiteral("connected")).toBool(), true);
    }

    // One run: the first poll waits for the sentinels' view (Poller::firstViewWaitMs), so a
    // one-shot `check` lists every sentinel.
    void checkJsonShowsTheSentinelTopology()
    {
        const auto run = queuescope({QStringLiteral("check"), QStringLiteral("--url"),
                                     m_group.url(), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err + run.out);
        const QJsonObject topology = run.json().value(QStringLiteral("topology")).toObject();
        QCOMPARE(topology.value(QStringLiteral("mode")).toString(), QStringLiteral("sentinel"));
        QMap<QString, QString> roles; // address -> role
        for (const QJsonValue &node : topology.value(QStringLiteral("nodes")).toArray())
            roles.insert(node[QStringLiteral("address")].toString(),
                         node[QStringLiteral("role")].toString());
        QCOMPARE(roles.value(QStringLiteral("127.0.0.1:%1").arg(m_group.master().port())),
                 QStringLiteral("master"));
        QCOMPARE(roles.value(QStringLiteral("127.0.0.1:%1").arg(m_group.replica().port())),
                 QStringLiteral("replica"));
        for (const QString &sentinel : m_group.sentinelAddresses())
            QVERIFY2(roles.value(sentinel) == QStringLiteral("sentinel"), run.out);
    }

    void queuesThroughSentinelFlags()
    {
        QStringList args{QStringLiteral("queues"), QStringLiteral("--json"),
                         QStringLiteral("--sentinel-master"), m_group.options().masterName};
        for (const QString &address : m_group.sentinelAddresses())
            args << QStringLiteral("--sentinel") << address;
        const auto run = queuescope(args);
        QVERIFY2(run.exitCode == 0, run.err + run.out);
        QCOMPARE(queuedIn(run.json(), QStringLiteral("reports")), 3);
    }

    // RQ, Celery and Sidekiq each enqueue through the sentinels with their own client; the
    // queues are counted through the same sentinels.
    void frameworksOwnSentinelClientsAreCounted()
    {
        const QByteArray failed = enqueueWithOwnSentinelClients(
            m_group.options().masterName, m_group.sentinelAddresses(), QStringLiteral("own"), 4);
        QVERIFY2(failed.isEmpty(), failed);
        const auto run = queuescope({QStringLiteral("queues"), QStringLiteral("--json"),
                                     QStringLiteral("--url"), m_group.url()});
        QVERIFY2(run.exitCode == 0, run.err);
        QVERIFY2(countsOwnClientsJobs(run.json(), QStringLiteral("own"), 4), run.out);
    }

    void celeryUrlNeedsAMasterName()
    {
        const QStringList addresses = m_group.sentinelAddresses();
        const QString celery =
            QStringLiteral("sentinel://%1;sentinel://%2").arg(addresses.at(0), addresses.at(1));
        const auto missing = queuescope({QStringLiteral("check"), QStringLiteral("--url"), celery});
        QVERIFY(missing.exitCode != 0);
        QVERIFY2(missing.err.contains("no master name") &&
                     missing.err.contains("--sentinel-master"),
                 missing.err);
        const auto named =
            queuescope({QStringLiteral("queues"), QStringLiteral("--json"), QStringLiteral("--url"),
                        celery, QStringLiteral("--sentinel-master"), m_group.options().masterName});
        QVERIFY2(named.exitCode == 0, named.err);
        QCOMPARE(queuedIn(named.json(), QStringLiteral("reports")), 3);
    }

    void unknownMasterNameIsSaid()
    {
        const QString url = QStringLiteral("redis+sentinel://%1/nosuchmaster")
                                .arg(m_group.sentinelAddresses().join(u','));
        const auto run = queuescope({QStringLiteral("check"), QStringLiteral("--url"), url});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("no sentinel knows a master named 'nosuchmaster'"),
                 run.err + run.out);
    }

    void unreachableSentinelsAreEachNamed()
    {
        const quint16 a = qs::test::freeLoopbackPort();
        const quint16 b = qs::test::freeLoopbackPort();
        const QString url =
            QStringLiteral("redis+sentinel://127.0.0.1:%1,127.0.0.1:%2/mymaster").arg(a).arg(b);
        const auto run = queuescope({QStringLiteral("check"), QStringLiteral("--url"), url,
                                     QStringLiteral("--timeout"), QStringLiteral("2")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("no sentinel could name the master 'mymaster'") &&
                     run.err.contains(
                         QStringLiteral("127.0.0.1:%1: connection refused").arg(a).toUtf8()) &&
                     run.err.contains(
                         QStringLiteral("127.0.0.1:%1: connection refused").arg(b).toUtf8()),
                 run.err + run.out);
    }

    void aSkippedDeadSentinelStillFindsTheMaster()
    {
        const QString url =
            QStringLiteral("redis+sentinel://127.0.0.1:%1,%2/%3")
                .arg(qs::test::freeLoopbackPort())
                .arg(m_group.sentinelAddresses().at(2), m_group.options().masterName);
        const auto run = queuescope(
            {QStringLiteral("queues"), QStringLiteral("--json"), QStringLiteral("--url"), url});
        QVERIFY2(run.exitCode == 0, run.err);
        QCOMPARE(queuedIn(run.json(), QStringLiteral("reports")), 3);
    }

    void sentinelPasswordIsNotTheDataPassword()
    {
        SentinelGroupOptions options;
        options.dataPassword = QStringLiteral("data-secret");
        options.sentinelPassword = QStringLiteral("sentinel-secret");
        SentinelGroup group(options);
        QS_START_OR_FAIL(group);
        const auto ok = queuescope({QStringLiteral("check"), QStringLiteral("--url"), group.url()});
        QVERIFY2(ok.exitCode == 0, ok.err + ok.out);

        // The right data password, a wrong sentinel password: the sentinels refuse.
        QString wrongSentinel = group.url();
        wrongSentinel.replace(QStringLiteral("sentinel_password=sentinel-secret"),
                              QStringLiteral("sentinel_password=nope"));
        const auto sentinelRefused =
            queuescope({QStringLiteral("check"), QStringLiteral("--url"), wrongSentinel});
        QVERIFY(sentinelRefused.exitCode != 0);
        QVERIFY2(sentinelRefused.err.contains("refused the sentinel credentials"),
                 sentinelRefused.err);
        QVERIFY(!sentinelRefused.err.contains("nope"));

        // The right sentinel password, a wrong data password: the master refuses.
        QString wrongData = group.url();
        wrongData.replace(QStringLiteral(":data-secret@"), QStringLiteral(":nope@"));
        const auto dataRefused =
            queuescope({QStringLiteral("check"), QStringLiteral("--url"), wrongData});
        QVERIFY(dataRefused.exitCode != 0);
        QVERIFY2(dataRefused.err.contains("authentication failed") &&
                     !dataRefused.err.contains("sentinel credentials"),
                 dataRefused.err);
    }

    // TLS for both: the sentinels and the data nodes serve TLS only (one CA). The sentinels are
    // asked over TLS and the master they name is reached over TLS; a wrong CA or a plain
    // redis+sentinel:// URL is refused with what went wrong.
    void tlsSentinelsAndDataNodes()
    {
        SentinelGroupOptions options;
        options.tls = true;
        SentinelGroup group(options);
        QS_START_OR_FAIL(group);
        makeRqQueue(group.master(), QStringLiteral("sealed"), 2);
        const auto run =
            queuescope({QStringLiteral("queues"), QStringLiteral("--json"), QStringLiteral("--url"),
                        group.url(), QStringLiteral("--tls-ca"), group.caFile()});
        QVERIFY2(run.exitCode == 0, run.err + run.out);
        QCOMPARE(queuedIn(run.json(), QStringLiteral("sealed")), 2);

        const auto untrusted =
            queuescope({QStringLiteral("check"), QStringLiteral("--url"), group.url(),
                        QStringLiteral("--tls-ca"), group.master().certificates().otherCaCert});
        QVERIFY(untrusted.exitCode != 0);
        QVERIFY2(untrusted.err.contains("no sentinel could name the master") &&
                     untrusted.err.contains("certificate of 127.0.0.1:") &&
                     untrusted.err.contains("is not trusted"),
                 untrusted.err);

        QString plain = group.url();
        plain.replace(QStringLiteral("rediss+sentinel://"), QStringLiteral("redis+sentinel://"));
        const auto plainRun = queuescope({QStringLiteral("check"), QStringLiteral("--url"), plain,
                                          QStringLiteral("--timeout"), QStringLiteral("3")});
        QVERIFY(plainRun.exitCode != 0);
        QVERIFY2(plainRun.err.contains("if it requires TLS, use rediss://"), plainRun.err);
        const QByteArray first = group.sentinelAddresses().first().toUtf8();
        QVERIFY2(!plainRun.err.contains(first + ": " + first), plainRun.err); // named once
    }

    // The applications keep running through a failover: their own Sentinel clients find the
    // promoted replica and enqueue there, and the watch follows them to it.
    void watchFollowsAKilledMasterToThePromotedReplica()
    {
        SentinelGroup group;
        QS_START_OR_FAIL(group);
        const QString master = group.options().masterName;
        QByteArray failed = enqueueWithOwnSentinelClients(master, group.sentinelAddresses(),
                                                          QStringLiteral("app"), 2);
        QVERIFY2(failed.isEmpty(), failed);
        // On the replica before the kill: asynchronous replication would lose them otherwise.
        QCOMPARE(group.master()
                     .cli({QStringLiteral("WAIT"), QStringLiteral("1"), QStringLiteral("10000")})
                     .trimmed(),
                 QByteArray("1"));
        WatchProcess watch({QStringLiteral("--url"), group.url(), QStringLiteral("--interval"),
                            QStringLiteral("0.5")});
        const auto first = watch.until(
            [](const QJsonObject &line) { return countsOwnClientsJobs(line, "app", 2); }, 20'000);
        QVERIFY2(first, watch.errors() + watch.lines().join('\n'));

        const QString promoted = QStringLiteral("127.0.0.1:%1").arg(group.replica().port());
        QElapsedTimer clock;
        clock.start();
        group.master().kill();
        QString error;
        QVERIFY2(group.waitForMaster(promoted, 30'000, &error), qPrintable(error));
        const qint64 failoverMs = clock.elapsed();
        // Enqueued after the kill: only the promoted replica holds them.
        failed = enqueueWithOwnSentinelClients(master, group.sentinelAddresses(),
                                               QStringLiteral("app"), 3);
        QVERIFY2(failed.isEmpty(), failed);
        const auto followed = watch.until(
            [](const QJsonObject &line) { return countsOwnClientsJobs(line, "app", 5); }, 15'000);
        QVERIFY2(followed, watch.errors() + watch.lines().join('\n'));
        qInfo("sentinels failed over in %lld ms; the watch counted the jobs enqueued on the "
              "promoted replica %lld ms after the kill",
              failoverMs, clock.elapsed());
        QVERIFY(watch.process().state() == QProcess::Running);
        // The failover is a line of its own, naming the promoted replica.
        const bool marked =
            std::any_of(watch.lines().cbegin(), watch.lines().cend(), [&](const QByteArray &line) {
                const QJsonObject json = QJsonDocument::fromJson(line).object();
                return json.value(QStringLiteral("failover")).toBool() &&
                       json.value(QStringLiteral("topologyChange")).toString().contains(promoted);
            });
        QVERIFY2(marked, watch.lines().join('\n'));
    }

private:
    SentinelGroup m_group;
};

QTEST_GUILESS_MAIN(TestSentinel)
#include "tst_sentinel.moc"
