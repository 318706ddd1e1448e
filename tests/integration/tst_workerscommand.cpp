// `queuescope workers` as an operator runs it: the real binary against a real redis-server with
// a real RQ worker (tests/queues/rq_workers.py): the JSON shape of issue 14 exactly, one queue's
// workers, an unknown queue, stored escape sequences never reaching the terminal. Then what
// `queues` and `check` make of workers: live workers per queue (null when CLIENT LIST is not
// permitted, never 0) and a queue with old waiting jobs and no worker ("no consumer").

#include "cliprocess.h"
#include "frameworkfixture.h"
#include "redisserver.h"

#include <QJsonArray>
#include <QtTest>

using namespace qs::test;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

QSet<QString> keysOf(const QJsonObject &object)
{
    const QStringList keys = object.keys();
    return QSet<QString>(keys.cbegin(), keys.cend());
}

} // namespace

class TestWorkersCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A BullMQ queue whose two waiting jobs wait since `ageMs` ago, and nobody consuming it.
    void noConsumerAndUnknownWorkers()
    {
        RedisServerOptions options;
        options.aclUsers << QStringLiteral("monitor on >secret ~* &* +@read +ping +info -client");
        RedisServer server(options);
        QVERIFY(server.start());
        server.cli({QStringLiteral("HSET"), QStringLiteral("bull:emails:meta"),
                    QStringLiteral("version"), QStringLiteral("bullmq:6.7.0"),
                    QStringLiteral("opts.maxLenEvents"), QStringLiteral("10000")});
        server.cli({QStringLiteral("LPUSH"), QStringLiteral("bull:emails:wait"),
                    QStringLiteral("1"), QStringLiteral("2")});
        server.cli({QStringLiteral("HSET"), QStringLiteral("bull:emails:1"),
                    QStringLiteral("timestamp"),
                    QString::number(QDateTime::currentMSecsSinceEpoch() - 120'000)});
        const QStringList target{QStringLiteral("--url"), url(server)};

        // The default user may list clients: no worker connection, so 0 live workers, and the
        // oldest job has waited 2 minutes: no consumer.
        const CliRun queues =
            runQueuescope(QStringList{QStringLiteral("queues"), QStringLiteral("--json")} + target);
        QCOMPARE(queues.exitCode, 0);
        const QJsonObject emails =
            queues.json().value(QStringLiteral("queues")).toArray().first().toObject();
        QCOMPARE(emails.value(QStringLiteral("workers")), QJsonValue(0));
        const CliRun text = runQueuescope(QStringList{QStringLiteral("queues")} + target);
        QVERIFY2(text.out.contains("workers 0  [no consumer]"), text.out.constData());
        const CliRun check =
            runQueuescope(QStringList{QStringLiteral("check"), QStringLiteral("--json")} + target);
        QCOMPARE(check.exitCode, 1);
        QCOMPARE(check.json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("degraded"));
        QVERIFY2(check.out.contains("no consumer: bullmq/emails has 2 waiting jobs and no live "
                                    "worker (for 2 min)"),
                 check.out.constData());

        // An ACL user without +client: BullMQ's workers are unknown, never 0 (and so no verdict
        // of "no consumer" either).
        const QStringList limited{
            QStringLiteral("--url"),
            QStringLiteral("redis://monitor@127.0.0.1:%1").arg(server.port())};
        const QMap<QString, QString> password{
            {QStringLiteral("REDIS_PASSWORD"), QStringLiteral("secret")}};
        const CliRun unknown = runQueuescope(
            QStringList{QStringLiteral("queues"), QStringLiteral("--json")} + limited, password);
        QCOMPARE(unknown.exitCode, 0);
        const QJsonObject hidden =
            unknown.json().value(QStringLiteral("queues")).toArray().first().toObject();
        QVERIFY(hidden.contains(QStringLiteral("workers")));
        QCOMPARE(hidden.value(QStringLiteral("workers")), QJsonValue(QJsonValue::Null));
        const CliRun workers = runQueuescope(
            QStringList{QStringLiteral("workers"), QStringLiteral("--json")} + limited, password);
        QCOMPARE(workers.exitCode, 0);
        QVERIFY2(workers.out.contains("BullMQ: workers unknown: CLIENT LIST not permitted"),
                 workers.out.constData());
        const CliRun limitedCheck =
            runQueuescope(QStringList{QStringLiteral("check")} + limited, password);
        QVERIFY2(!limitedCheck.out.contains("no consumer"), limitedCheck.out.constData());
    }

    void rqWorkerAsJsonAndText()
    {
        if (!probe(kPython, {QStringLiteral("-c"), QStringLiteral("import rq")}))
            QSKIP("python3-rq is not installed (scripts/install-deps.sh installs it)");
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        // A worker name carrying an escape sequence: stored data, shown escaped.
        const QString name = QStringLiteral("w\x1b[2Jx");
        FrameworkFixture fixture(kPython, {sourcePath(QStringLiteral("tests/queues/rq_workers.py")),
                                           QStringLiteral("--url"), url(server) + "/0",
                                           QStringLiteral("--queue"), QStringLiteral("reports"),
                                           QStringLiteral("--name"), name});
        QVERIFY2(fixture.start(&error, 60'000), qPrintable(error));
        const std::optional<QJsonObject> slow = fixture.request("slow");
        QVERIFY2(slow, qPrintable(fixture.stderrTail()));
        const QString job = slow->value(QStringLiteral("job")).toString();

        const CliRun json = runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"),
                                           url(server), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject doc = json.json();
        QCOMPARE(keysOf(doc), (QSet<QString>{"workers", "stuck", "notes"}));
        QVERIFY(doc.value(QStringLiteral("stuck")).isArray());
        QVERIFY(doc.value(QStringLiteral("notes")).isArray());
        const QJsonArray workers = doc.value(QStringLiteral("workers")).toArray();
        QCOMPARE(workers.size(), 1);
        const QJsonObject worker = workers.first().toObject();
        QCOMPARE(keysOf(worker),
                 (QSet<QString>{"framework", "id", "name", "host", "pid", "queues", "state", "busy",
                                "concurrency", "currentJobs", "startedAt", "lastSeenAt"}));
        QCOMPARE(worker.value(QStringLiteral("framework")).toString(), QStringLiteral("rq"));
        QCOMPARE(worker.value(QStringLiteral("name")).toString(), name); // JSON stays exact
        QCOMPARE(worker.value(QStringLiteral("state")).toString(), QStringLiteral("busy"));
        QCOMPARE(worker.value(QStringLiteral("busy")).toInt(), 1);
        QCOMPARE(worker.value(QStringLiteral("queues")).toArray(),
                 QJsonArray{QStringLiteral("reports")});
        QCOMPARE(worker.value(QStringLiteral("currentJobs")).toArray(),
                 (QJsonArray{QJsonObject{{QStringLiteral("queue"), QStringLiteral("reports")},
                                         {QStringLiteral("id"), job}}}));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(qAbs(worker.value(QStringLiteral("lastSeenAt")).toInteger() - now) < 60'000);
        QVERIFY(worker.value(QStringLiteral("startedAt")).toInteger() <=
                worker.value(QStringLiteral("lastSeenAt")).toInteger());
        QVERIFY(worker.value(QStringLiteral("pid")).toInteger() > 0);

        // Text: one line per worker, its job under it; the escape sequence shown, not sent.
        const CliRun text =
            runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"), url(server)});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(!text.out.contains('\x1b'), text.out.constData());
        QVERIFY2(text.out.contains("w\\x1b[2Jx"), text.out.constData());
        QVERIFY2(text.out.contains("busy"), text.out.constData());
        QVERIFY2(text.out.contains("rq/reports " + job.toUtf8()), text.out.constData());

        // One queue: its workers; another queue's: none; an unknown queue: an error.
        const CliRun mine =
            runQueuescope({QStringLiteral("workers"), QStringLiteral("rq/reports"),
                           QStringLiteral("--url"), url(server), QStringLiteral("--json")});
        QCOMPARE(mine.exitCode, 0);
        QCOMPARE(mine.json().value(QStringLiteral("workers")).toArray().size(), 1);
        server.cli({QStringLiteral("SADD"), QStringLiteral("rq:queues"),
                    QStringLiteral("rq:queue:other")});
        const CliRun other =
            runQueuescope({QStringLiteral("workers"), QStringLiteral("rq/other"),
                           QStringLiteral("--url"), url(server), QStringLiteral("--json")});
        QCOMPARE(other.exitCode, 0);
        QCOMPARE(other.json().value(QStringLiteral("workers")).toArray().size(), 0);
        const CliRun typo = runQueuescope({QStringLiteral("workers"), QStringLiteral("rq/reprots"),
                                           QStringLiteral("--url"), url(server)});
        QCOMPARE(typo.exitCode, 1);
        QVERIFY2(typo.err.contains("did you mean 'rq/reports'"), typo.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestWorkersCommand)
#include "tst_workerscommand.moc"
