// Celery's event messages, recorded from a real worker (Celery 5.2.6, kombu 5.2.4:
// tests/fixtures/celery-events/), parsed into worker and task events; anything not JSON is
// counted and never decoded.
#include "fixtures.h"

#include "frameworks/celery/celeryevents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace qs::queues;
using namespace qs::queues::celeryevents;

namespace {

WorkerEvents parseFixture(const char *name)
{
    return parseMessage(
        qs::test::readFixture(QStringLiteral("celery-events/%1.json").arg(QLatin1String(name))));
}

// kombu's envelope around `body` (the event JSON), as the Redis transport publishes it.
QByteArray envelope(const QByteArray &body,
                    const QString &contentType = QStringLiteral("application/json"))
{
    QJsonObject properties{{QStringLiteral("body_encoding"), QStringLiteral("base64")},
                           {QStringLiteral("delivery_mode"), 1}};
    QJsonObject message{{QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
                        {QStringLiteral("content-encoding"), QStringLiteral("utf-8")},
                        {QStringLiteral("content-type"), contentType},
                        {QStringLiteral("headers"), QJsonObject{}},
                        {QStringLiteral("properties"), properties}};
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

} // namespace

class TestCeleryEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void heartbeatOfARealWorker()
    {
        const WorkerEvents events = parseFixture("worker-heartbeat-busy");
        QVERIFY(events.ignored.isEmpty());
        QCOMPARE(events.tasks.size(), 0);
        QCOMPARE(events.workers.size(), 1);
        const WorkerEvent &worker = events.workers.first();
        QCOMPARE(worker.kind, WorkerEvent::Kind::Heartbeat);
        QCOMPARE(worker.hostname, QStringLiteral("w2@vm"));
        QCOMPARE(worker.freq, 1.0); // --heartbeat-interval 1
        QCOMPARE(worker.active, 1);
        QCOMPARE(worker.processed, 1);
        QCOMPARE(worker.loadavg.size(), 3);
        QCOMPARE(worker.swIdent, QStringLiteral("py-celery"));
        QCOMPARE(worker.swVersion, QStringLiteral("5.2.6"));
        QCOMPARE(worker.swSystem, QStringLiteral("Linux"));
        QCOMPARE(worker.pid, std::optional<qint64>(28608));
        QCOMPARE(worker.timestampMs, 1796523895043); // 1796523895.043045 s
        QCOMPARE(parseFixture("worker-heartbeat-idle").workers.first().active, 0);
    }

    void onlineAndOffline()
    {
        QCOMPARE(parseFixture("worker-online").workers.first().kind, WorkerEvent::Kind::Online);
        QCOMPARE(parseFixture("worker-offline").workers.first().kind, WorkerEvent::Kind::Offline);
    }

    void taskEventsOneAtATimeAndBuffered()
    {
        const WorkerEvents received = parseFixture("task-received");
        QCOMPARE(received.tasks.size(), 1);
        QCOMPARE(received.tasks.first().kind, TaskEvent::Kind::Received);
        QCOMPARE(received.tasks.first().uuid,
                 QStringLiteral("0f0c2faa-8cf6-444a-b667-9b21760bf7db"));
        QCOMPARE(received.tasks.first().name, QStringLiteral("events.slow"));
        QCOMPARE(received.tasks.first().hostname, QStringLiteral("w2@vm"));
        QCOMPARE(parseFixture("task-started").tasks.first().kind, TaskEvent::Kind::Started);
        QCOMPARE(parseFixture("task-succeeded").tasks.first().kind, TaskEvent::Kind::Succeeded);
        // task.multi: the worker's buffer, flushed as one message.
        const WorkerEvents multi = parseFixture("task-multi-failed");
        QCOMPARE(multi.tasks.size(), 3);
        QCOMPARE(multi.tasks.at(0).kind, TaskEvent::Kind::Received);
        QCOMPARE(multi.tasks.at(1).kind, TaskEvent::Kind::Started);
        QCOMPARE(multi.tasks.at(2).kind, TaskEvent::Kind::Failed);
        QCOMPARE(taskEventName(multi.tasks.at(2).kind), QStringLiteral("task-failed"));
    }

    void taskSentNamesTheQueue()
    {
        const WorkerEvents sent = parseFixture("task-sent");
        QCOMPARE(sent.tasks.size(), 1);
        QCOMPARE(sent.tasks.first().kind, TaskEvent::Kind::Sent);
        QCOMPARE(sent.tasks.first().queue, QByteArray("reports"));
    }

    void pickleIsNeverDecoded()
    {
        // A pickle that would run code if it were loaded: it must stay bytes.
        const QByteArray pickle("cos\nsystem\n(S'touch /tmp/pwned'\ntR.");
        const WorkerEvents events =
            parseMessage(envelope(pickle, QStringLiteral("application/x-python-serialize")));
        QVERIFY(events.workers.isEmpty() && events.tasks.isEmpty());
        QCOMPARE(events.ignored.size(), 1);
        QVERIFY2(events.ignored.first().contains(QLatin1String("application/x-python-serialize")),
                 qPrintable(events.ignored.first()));
    }

    void whatIsNotReadIsCounted_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("why");
        QTest::newRow("not json") << QByteArray("hello") << "not kombu's JSON envelope";
        QTest::newRow("not base64")
            << QByteArray(
                   R"({"body":"%%%","content-type":"application/json","properties":{"body_encoding":"base64"}})")
            << "not base64";
        QTest::newRow("body not json") << envelope("{nope") << "not JSON";
        QTest::newRow("no hostname")
            << envelope(R"({"type":"worker-heartbeat","timestamp":1796523895.0})")
            << "without a hostname";
        QTest::newRow("timestamp out of range")
            << envelope(R"({"type":"worker-heartbeat","hostname":"a@b","timestamp":1e300})")
            << "timestamp";
        QTest::newRow("task without id")
            << envelope(R"({"type":"task-started","hostname":"a@b"})") << "task id";
        QTest::newRow("unknown type")
            << envelope(R"({"type":"worker-dancing","hostname":"a@b"})") << "worker-dancing";
        QTest::newRow("empty list") << envelope("[]") << "empty list";
    }

    void whatIsNotReadIsCounted()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, why);
        const WorkerEvents events = parseMessage(message);
        QVERIFY(events.workers.isEmpty() && events.tasks.isEmpty());
        QCOMPARE(events.ignored.size(), 1);
        QVERIFY2(events.ignored.first().contains(why), qPrintable(events.ignored.first()));
    }

    void oddNumbersFallBackToCeleryDefaults()
    {
        const WorkerEvents events = parseMessage(envelope(
            R"({"type":"worker-heartbeat","hostname":"a@b","timestamp":1796523895.5,"freq":-3,"active":-1,"processed":1e40,"pid":"12"})"));
        QCOMPARE(events.workers.size(), 1);
        QCOMPARE(events.workers.first().freq, 2.0);
        QCOMPARE(events.workers.first().active, 0);
        QCOMPARE(events.workers.first().processed, 0);
        QVERIFY(!events.workers.first().pid);
    }

    void oneMessageReadsAtMostAThousandEvents()
    {
        QJsonArray many;
        for (int i = 0; i < 1500; ++i)
            many.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("task-started")},
                                    {QStringLiteral("uuid"), QString::number(i)}});
        const WorkerEvents events = parseMessage(envelope(QJsonDocument(many).toJson()));
        QCOMPARE(events.tasks.size(), kMaxEventsPerMessage);
        QCOMPARE(events.ignored.size(), 1);
    }

    void channelPatterns()
    {
        QCOMPARE(channelPattern({}, 0), QByteArray("/0.celeryev/*"));
        QCOMPARE(channelPattern("app:", 3), QByteArray("app:/3.celeryev/*"));
        // A prefix is literal in the pattern: glob characters are escaped.
        QCOMPARE(channelPattern("a*[b]?\\", 0), QByteArray("a\\*\\[b\\]\\?\\\\/0.celeryev/*"));
    }
};

QTEST_GUILESS_MAIN(TestCeleryEvents)
#include "tst_celeryevents.moc"
