// Sidekiq against the real framework: tests/queues/make_sidekiq_states.rb pushes jobs with
// Sidekiq's client API and runs a real `sidekiq` process that fails jobs into retry and dead and
// stays busy; our discovery and counts must match Sidekiq::Stats and Sidekiq::Queue, read
// through a user that may only read, without a single write command.

#include "queuecounting.h"

#include "frameworks/sidekiq/sidekiqadapter.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

const QString kRuby = QStringLiteral("ruby");

// The sidekiq process consumes the first queue.
const QList<QByteArray> kQueues{"default", "rapports-é", "with space"};

} // namespace

class TestSidekiqQueues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!probe(kRuby, {QStringLiteral("-e"), QStringLiteral("require 'sidekiq/api'")}))
            QSKIP("ruby-sidekiq is not installed (scripts/install-deps.sh installs it)");
    }

    void countsMatchSidekiq_data()
    {
        QTest::addColumn<QByteArray>("ns");
        QTest::newRow("no namespace") << QByteArray();
        QTest::newRow("redis-namespace") << QByteArray("myapp");
    }

    void countsMatchSidekiq()
    {
        QFETCH(QByteArray, ns);
        if (!ns.isEmpty() &&
            !probe(kRuby, {QStringLiteral("-e"), QStringLiteral("require 'redis/namespace'")}))
            QSKIP("ruby-redis-namespace is not installed (scripts/install-deps.sh installs it)");

        QStringList options;
        if (!ns.isEmpty())
            options << QStringLiteral("--namespace") << QString::fromUtf8(ns);
        FrameworkRun run;
        QString error;
        QVERIFY2(
            run.start(kRuby, QStringLiteral("make_sidekiq_states.rb"), options, kQueues, &error),
            qPrintable(error));

        auto adapter = std::make_shared<queues::SidekiqAdapter>(ns);
        const QList<queues::QueueRef> found = discover(*run.monitor, {adapter}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(namesOf(found), QSet<QByteArray>(kQueues.cbegin(), kQueues.cend()));

        // Like the poller: the first tick learns the process identities, the second reads
        // their `busy` (still one pipeline each).
        const CountRound first = countAll(*run.monitor, {adapter}, found);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QVERIFY(!first.server.count(QStringLiteral("busy"))); // unknown yet, not 0
        const CountRound ours = countAll(*run.monitor, {adapter}, found, first.server);
        QVERIFY2(ours.error.isEmpty(), qPrintable(ours.error));
        const std::optional<QJsonObject> reply = run.fixture->request("counts");
        QVERIFY2(reply, qPrintable(run.fixture->stderrTail()));
        const QJsonObject sidekiq = reply->value(QStringLiteral("counts")).toObject();

        for (const queues::QueueCounts &counts : ours.queues) {
            const QString name = QString::fromUtf8(counts.queue.name);
            QVERIFY2(counts.note.isEmpty(), qPrintable(counts.note));
            const QJsonObject theirs =
                sidekiq.value(QStringLiteral("queues")).toObject().value(name).toObject();
            QVERIFY2(theirs.value(QStringLiteral("size")).toInteger() > 0, qPrintable(name));
            QCOMPARE(counts.count(QStringLiteral("enqueued")).value_or(-1),
                     theirs.value(QStringLiteral("size")).toInteger());
            // Latency: both read now - enqueued_at, a moment apart.
            const double latencyMs = theirs.value(QStringLiteral("latency")).toDouble() * 1000;
            QVERIFY(counts.oldestWaitingAgeMs.has_value());
            QVERIFY2(qAbs(double(*counts.oldestWaitingAgeMs) - latencyMs) < 3000,
                     qPrintable(QStringLiteral("%1 ms vs %2 ms")
                                    .arg(*counts.oldestWaitingAgeMs)
                                    .arg(latencyMs)));
        }

        QVERIFY2(ours.server.note.isEmpty(), qPrintable(ours.server.note));
        const QJsonObject stats = sidekiq.value(QStringLiteral("stats")).toObject();
        for (const auto &[state, unified] : adapter->serverStates()) {
            Q_UNUSED(unified);
            const qint64 expected = stats.value(state).toInteger(-1);
            QVERIFY2(expected > 0, qPrintable(state)); // every state exercised
            QCOMPARE(ours.server.count(state).value_or(-1), expected);
        }
        QCOMPARE(ours.server.workers.value_or(-1),
                 stats.value(QStringLiteral("processes")).toInteger());
        run.fixture->finish();

        // With the sidekiq process gone, a counting round must not add a single write command.
        const CommandUse used =
            commandsOfCounting(run.server, *run.monitor, {adapter}, found, ours.server);
        QVERIFY2(used.error.isEmpty(), qPrintable(used.error));
        QVERIFY2(used.writes.isEmpty(), qPrintable(used.writes.join(QLatin1Char(' '))));
        QVERIFY2(used.grown.contains(QLatin1String("lrange")) &&
                     used.grown.contains(QLatin1String("hget")),
                 qPrintable(used.grown.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestSidekiqQueues)
#include "tst_sidekiqqueues.moc"
