// Throughput per queue from the frameworks' own workers, through the real binary against a real
// redis-server: BullMQ's Worker with metrics gives an exact count per minute that equals what
// the worker did (queues --json), a worker without metrics whose completed set is trimmed gives
// an estimate labelled as such (queues --json, watch).
#include "cliprocess.h"
#include "frameworkfixture.h"
#include "redisserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

using namespace qs::test;

namespace {

constexpr qint64 kMinuteMs = 60'000;

QStringList target(const RedisServer &server)
{
    return {QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(server.port())};
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 minuteOf(qint64 ms)
{
    return ms / kMinuteMs;
}

QString isoMinute(qint64 minute)
{
    return QDateTime::fromMSecsSinceEpoch(minute * kMinuteMs, QTimeZone::utc())
        .toString(Qt::ISODate);
}

// The BullMQ fixture: its Worker runs `jobs` jobs, `failing` of them throw.
std::unique_ptr<FrameworkFixture> bullmqWorker(const RedisServer &server, const QString &queue,
                                               int jobs, int failing, const QStringList &options)
{
    return std::make_unique<FrameworkFixture>(
        QStringLiteral("node"),
        QStringList{sourcePath(QStringLiteral("tests/queues/bullmq-throughput.mjs")),
                    QStringLiteral("--redis"),
                    QStringLiteral("redis://127.0.0.1:%1").arg(server.port()),
                    QStringLiteral("--queue"), queue, QStringLiteral("--jobs"),
                    QString::number(jobs), QStringLiteral("--fail"), QString::number(failing)} +
            options,
        sourcePath(QStringLiteral("tests/queues")));
}

QJsonObject queueOf(const QJsonObject &document, const QString &name)
{
    for (const QJsonValue &queue : document.value(QStringLiteral("queues")).toArray()) {
        if (queue.toObject().value(QStringLiteral("name")).toString() == name)
            return queue.toObject();
    }
    return {};
}

} // namespace

class TestThroughputCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data; // XDG_DATA_HOME: where the histories go
    QMap<QString, QString> env() const
    {
        return {{QStringLiteral("XDG_DATA_HOME"), m_data.path()}};
    }

    // Jobs that run now finish within this minute: at least 20 s of it are left.
    static void waitForRoomInTheMinute()
    {
        if (now() % kMinuteMs > 40'000) {
            const qint64 next = minuteOf(now()) + 1;
            QTRY_VERIFY_WITH_TIMEOUT(minuteOf(now()) >= next, 25'000);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN")));
        if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty() ||
            !QFile::exists(sourcePath(QStringLiteral("tests/queues/node_modules/bullmq"))))
            QSKIP("node or tests/queues/node_modules/bullmq missing: run scripts/install-deps.sh");
    }

    void bullmqMetricsGiveTheWorkersExactCounts()
    {
        RedisServer server;
        QVERIFY(server.start());
        waitForRoomInTheMinute();
        auto worker = bullmqWorker(server, QStringLiteral("reports"), 30, 7,
                                   {QStringLiteral("--metrics-on")});
        QString error;
        QVERIFY2(worker->start(&error), qPrintable(error));
        const QJsonObject done = worker->ready();
        QCOMPARE(done.value(QStringLiteral("completed")).toInt(), 23);
        QCOMPARE(done.value(QStringLiteral("failed")).toInt(), 7);
        const qint64 minute =
            minuteOf(qint64(done.value(QStringLiteral("lastFinishedOn")).toDouble()));
        QCOMPARE(minuteOf(qint64(done.value(QStringLiteral("firstFinishedOn")).toDouble())),
                 minute);

        // Once that minute is over, it is the last whole minute: exactly what the worker did.
        QTRY_VERIFY_WITH_TIMEOUT(minuteOf(now()) > minute, 75'000);
        const CliRun queues = runQueuescope(
            QStringList{QStringLiteral("queues"), QStringLiteral("--json")} + target(server));
        QCOMPARE(queues.exitCode, 0);
        const QJsonObject throughput = queueOf(queues.json(), QStringLiteral("reports"))
                                           .value(QStringLiteral("throughput"))
                                           .toObject();
        QCOMPARE(throughput.value(QStringLiteral("source")).toString(), QStringLiteral("exact"));
        QCOMPARE(throughput.value(QStringLiteral("minute")).toString(), isoMinute(minute));
        QCOMPARE(throughput.value(QStringLiteral("completedPerMin")).toDouble(), 23.0);
        QCOMPARE(throughput.value(QStringLiteral("failedPerMin")).toDouble(), 7.0);
    }

    void trimmedSetWithoutMetricsIsEstimated()
    {
        RedisServer server;
        QVERIFY(server.start());
        auto worker = bullmqWorker(server, QStringLiteral("thumbs"), 30, 0,
                                   {QStringLiteral("--remove-on-complete"), QStringLiteral("5")});
        QString error;
        QVERIFY2(worker->start(&error), qPrintable(error));
        const CliRun queues = runQueuescope(
            QStringList{QStringLiteral("queues"), QStringLiteral("--json")} + target(server));
        QCOMPARE(queues.exitCode, 0);
        const QJsonObject thumbs = queueOf(queues.json(), QStringLiteral("thumbs"));
        QCOMPARE(thumbs.value(QStringLiteral("counts")).toObject().value("completed").toInt(), 5);
        const QJsonObject throughput = thumbs.value(QStringLiteral("throughput")).toObject();
        QCOMPARE(throughput.value(QStringLiteral("source")).toString(),
                 QStringLiteral("estimated"));
        QCOMPARE(throughput.value(QStringLiteral("completedPerMin")).toDouble(), 5.0);
        QVERIFY(throughput.value(QStringLiteral("atLeast")).toBool()); // 30 ran, 5 are kept
        QVERIFY2(throughput.value(QStringLiteral("note")).toString().contains("removeOnComplete"),
                 queues.out.constData());

        const CliRun watch = runQueuescope(
            QStringList{QStringLiteral("watch"), QStringLiteral("--count"), QStringLiteral("1")} +
            target(server));
        QCOMPARE(watch.exitCode, 0);
        QCOMPARE(queueOf(watch.json(), QStringLiteral("thumbs"))
                     .value(QStringLiteral("throughput"))
                     .toObject()
                     .value(QStringLiteral("source"))
                     .toString(),
                 QStringLiteral("estimated"));
    }
};

QTEST_GUILESS_MAIN(TestThroughputCommand)
#include "tst_throughputcommand.moc"
