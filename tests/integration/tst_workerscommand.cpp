// `queuescope workers` as an operator runs it: the real binary against a real redis-server with
// a real RQ worker (tests/queues/rq_workers.py): the JSON shape of issue 14 exactly, one queue's
// workers, an unknown queue, stored escape sequences never reaching the terminal.

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
    void initTestCase()
    {
        if (!probe(kPython, {QStringLiteral("-c"), QStringLiteral("import rq")}))
            QSKIP("python3-rq is not installed (scripts/install-deps.sh installs it)");
    }

    void rqWorkerAsJsonAndText()
    {
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
