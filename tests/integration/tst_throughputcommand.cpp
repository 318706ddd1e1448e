// Throughput per queue from the frameworks' own workers, through the real binary against a real
// redis-server: BullMQ's Worker with metrics gives an exact count per minute that equals what
// the worker did (queues --json), and a recorder started later backfills it from BullMQ's list
// (history); a worker without metrics whose completed set is trimmed gives an estimate labelled
// as such (queues --json, watch); Sidekiq's daily counters are backfilled (history).
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

    // `history --json` of one series: step start -> value.
    QMap<qint64, double> points(const RedisServer &server, const QString &series,
                                const QString &since = QStringLiteral("10m"))
    {
        return historyPoints(target(server), series, since, env());
    }

    static double sum(const QMap<qint64, double> &points)
    {
        double total = 0;
        for (const double value : points)
            total += value;
        return total;
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

        // A minute later the worker's minute is only in BullMQ's own list: a recorder started
        // now backfills it from there; the minutes sum to what the worker did.
        QTRY_VERIFY_WITH_TIMEOUT(minuteOf(now()) > minute + 1, 75'000);
        const CliRun record =
            runQueuescope(QStringList{QStringLiteral("record"), QStringLiteral("--duration"),
                                      QStringLiteral("2s")} +
                              target(server),
                          env());
        QVERIFY2(record.exitCode == 0, record.err.constData());
        const auto completed =
            points(server, QStringLiteral("queue.bullmq/bull/reports.completedPerMin"));
        const auto failed =
            points(server, QStringLiteral("queue.bullmq/bull/reports.failedPerMin"));
        QCOMPARE(completed.value(minute * kMinuteMs, -1), 23.0);
        QCOMPARE(failed.value(minute * kMinuteMs, -1), 7.0);
        QCOMPARE(sum(completed), 23.0);
        QCOMPARE(sum(failed), 7.0);
        const auto exact =
            points(server, QStringLiteral("queue.bullmq/bull/reports.throughputExact"));
        QCOMPARE(exact.value(minute * kMinuteMs, -1), 1.0);
    }

    // Sidekiq's own process runs 12 jobs, 5 of them fail; its daily counters of an earlier day
    // (as Sidekiq writes them) and of today go to the history with the recorder's first poll.
    void sidekiqDailyCountersAreBackfilled()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("sidekiq")).isEmpty())
            QSKIP("sidekiq missing: run scripts/install-deps.sh");
        RedisServer server;
        QVERIFY(server.start());
        const qint64 today = now() - now() % 86'400'000;
        const qint64 earlier = today - 3 * 86'400'000;
        const QString date = QDateTime::fromMSecsSinceEpoch(earlier, QTimeZone::utc())
                                 .toString(QStringLiteral("yyyy-MM-dd"));
        server.cli({QStringLiteral("SET"), QStringLiteral("stat:processed:") + date,
                    QStringLiteral("50")});
        server.cli(
            {QStringLiteral("SET"), QStringLiteral("stat:failed:") + date, QStringLiteral("4")});
        FrameworkFixture sidekiq(
            QStringLiteral("ruby"),
            {sourcePath(QStringLiteral("tests/queues/sidekiq_throughput.rb")),
             QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port()),
             QStringLiteral("--queue"), QStringLiteral("mail"), QStringLiteral("--jobs"),
             QStringLiteral("12"), QStringLiteral("--fail"), QStringLiteral("5")});
        QString error;
        QVERIFY2(sidekiq.start(&error), qPrintable(error));
        const QJsonObject stats = sidekiq.ready();
        QCOMPARE(stats.value(QStringLiteral("processed")).toInt(), 12);
        QCOMPARE(stats.value(QStringLiteral("failed")).toInt(), 5);

        const CliRun record =
            runQueuescope(QStringList{QStringLiteral("record"), QStringLiteral("--duration"),
                                      QStringLiteral("2s")} +
                              target(server),
                          env());
        QVERIFY2(record.exitCode == 0, record.err.constData());
        const auto completed = points(server, QStringLiteral("framework.sidekiq//.completedPerDay"),
                                      QStringLiteral("5d"));
        const auto failed = points(server, QStringLiteral("framework.sidekiq//.failedPerDay"),
                                   QStringLiteral("5d"));
        QCOMPARE(completed, (QMap<qint64, double>{{earlier, 46}, {today, 7}}));
        QCOMPARE(failed, (QMap<qint64, double>{{earlier, 4}, {today, 5}}));
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
