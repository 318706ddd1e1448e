// Sidekiq against the real framework: tests/queues/make_sidekiq_states.rb pushes jobs with
// Sidekiq's client API and runs a real `sidekiq` process that fails jobs into retry and dead and
// stays busy; our discovery and counts must match Sidekiq::Stats and Sidekiq::Queue, read
// through a user that may only read, without a single write command.

#include "frameworkfixture.h"

#include "frameworks/sidekiq/sidekiqadapter.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

const QString kRuby = QStringLiteral("ruby");
const char kSecret[] = "monitor-secret";

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

        RedisServerOptions options;
        options.aclUsers << QStringLiteral("monitor on >%1 ~* &* +@read +ping +info -client")
                                .arg(QLatin1String(kSecret));
        RedisServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString url = QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port());

        QStringList args{sourcePath(QStringLiteral("tests/queues/make_sidekiq_states.rb")),
                         QStringLiteral("--url"), url};
        if (!ns.isEmpty())
            args << QStringLiteral("--namespace") << QString::fromUtf8(ns);
        args << QStringLiteral("--queues");
        for (const QByteArray &name : kQueues)
            args << QString::fromUtf8(name);
        FrameworkFixture fixture(kRuby, args);
        QVERIFY2(fixture.start(&error), qPrintable(error));

        core::ConnectionProfile profile = server.profile();
        profile.username = QStringLiteral("monitor");
        profile.password = QLatin1String(kSecret);
        profile.readOnly = true;
        redis::RedisConnection monitor(profile);
        monitor.open();
        QVERIFY(waitForState(monitor, redis::ConnectionState::Connected));

        auto adapter = std::make_shared<queues::SidekiqAdapter>(ns);
        const QList<queues::QueueRef> found = discover(monitor, adapter, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(namesOf(found), QSet<QByteArray>(kQueues.cbegin(), kQueues.cend()));

        // Like the poller: the first tick learns the process identities, the second reads
        // their `busy` (still one pipeline each).
        const CountRound first = countAll(monitor, *adapter, found);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QVERIFY(!first.server.count(QStringLiteral("busy"))); // unknown yet, not 0
        const CountRound ours = countAll(monitor, *adapter, found, first.server);
        QVERIFY2(ours.error.isEmpty(), qPrintable(ours.error));
        const std::optional<QJsonObject> reply = fixture.request("counts");
        QVERIFY2(reply, qPrintable(fixture.stderrTail()));
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
        fixture.finish();

        // With the sidekiq process gone, a counting round must not add a single write command.
        redis::RedisConnection admin(server.profile());
        admin.open();
        QVERIFY(waitForState(admin, redis::ConnectionState::Connected));
        const QHash<QString, qint64> before = commandCalls(admin);
        QVERIFY(countAll(monitor, *adapter, found, ours.server).error.isEmpty());
        const QHash<QString, qint64> after = commandCalls(admin);
        QStringList grown;
        const QStringList writes = writesBetween(admin, before, after, &grown);
        QVERIFY2(writes.isEmpty(), qPrintable(writes.join(QLatin1Char(' '))));
        QVERIFY2(grown.contains(QLatin1String("lrange")) && grown.contains(QLatin1String("hget")),
                 qPrintable(grown.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestSidekiqQueues)
#include "tst_sidekiqqueues.moc"
