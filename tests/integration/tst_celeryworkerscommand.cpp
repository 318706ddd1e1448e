// `queuescope workers` with real Celery workers: the binary subscribes to Celery's events,
// listens for one heartbeat round and lists the workers; without heartbeats it says so instead
// of listing none; a server without Celery queues gets no Celery note.
#include "celeryworker.h"
#include "cliprocess.h"
#include "redisserver.h"

#include <QJsonArray>
#include <QtTest>

using namespace qs::test;

namespace {

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

QJsonArray celeryWorkers(const QJsonObject &doc)
{
    QJsonArray out;
    for (const QJsonValue &worker : doc.value(QStringLiteral("workers")).toArray()) {
        if (worker.toObject().value(QStringLiteral("framework")).toString() ==
            QLatin1String("celery"))
            out.append(worker);
    }
    return out;
}

QString notesOf(const QJsonObject &doc)
{
    QStringList notes;
    for (const QJsonValue &note : doc.value(QStringLiteral("notes")).toArray())
        notes << note.toString();
    return notes.join(QLatin1Char('\n'));
}

} // namespace

class TestCeleryWorkersCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!probe(kSystemPython, {QStringLiteral("-c"), QStringLiteral("import celery, kombu")}))
            QSKIP("python3-celery is not installed for /usr/bin/python3 (scripts/install-deps.sh "
                  "installs it)");
    }

    void listsTheCeleryWorkerFromItsHeartbeats()
    {
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        CeleryWorker worker(server, {QStringLiteral("-n"), QStringLiteral("cli@%h")});
        QVERIFY2(worker.waitUntilReady(), qPrintable(worker.log()));
        const CliRun run = runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"),
                                          url(server), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject doc = run.json();
        const QJsonArray workers = celeryWorkers(doc);
        QCOMPARE(workers.size(), 1);
        const QJsonObject info = workers.first().toObject();
        QVERIFY(info.value(QStringLiteral("id")).toString().startsWith(QLatin1String("cli@")));
        QCOMPARE(info.value(QStringLiteral("state")).toString(), QStringLiteral("idle"));
        QCOMPARE(info.value(QStringLiteral("pid")).toInteger(), worker.pid());
        QVERIFY2(!notesOf(doc).contains(QLatin1String("Celery")), qPrintable(notesOf(doc)));
        QVERIFY(server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")})
                    .contains("cmdstat_psubscribe"));

        const CliRun text =
            runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"), url(server)});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("cli@"), text.out.constData());
    }

    void withoutHeartbeatSaysSoInsteadOfNoWorkers()
    {
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        CeleryWorker worker(server, {QStringLiteral("-n"), QStringLiteral("mute@%h"),
                                     QStringLiteral("--without-heartbeat")});
        QVERIFY2(worker.waitUntilReady(), qPrintable(worker.log()));
        const CliRun run = runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"),
                                          url(server), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject doc = run.json();
        QVERIFY(celeryWorkers(doc).isEmpty());
        QVERIFY2(notesOf(doc).contains(QLatin1String("no Celery heartbeat heard")),
                 qPrintable(notesOf(doc)));
    }

    void noCeleryQueuesNoCeleryNote()
    {
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const CliRun run = runQueuescope({QStringLiteral("workers"), QStringLiteral("--url"),
                                          url(server), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject doc = run.json();
        QVERIFY2(!notesOf(doc).contains(QLatin1String("Celery")), qPrintable(notesOf(doc)));
        // No subscription was opened (the server counts every command it ran).
        QVERIFY(!server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")})
                     .contains("cmdstat_psubscribe"));
    }
};

QTEST_GUILESS_MAIN(TestCeleryWorkersCommand)
#include "tst_celeryworkerscommand.moc"
