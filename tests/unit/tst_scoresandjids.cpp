// Numbers and jids as hostile or merely unusual clients store them: scores of 1e300, inf and
// NaN become "unknown", never an undefined cast; a Sidekiq payload written with spaces in its
// JSON (or a jid with glob characters) is found by its jid.
#include "core/checkedint64.h"
#include "frameworks/bullfamily/bulljobsource.h"
#include "frameworks/rq/rqjobsource.h"
#include "frameworks/sidekiq/sidekiqjid.h"
#include "frameworks/sidekiq/sidekiqjobsource.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace qs;
using namespace Qt::StringLiterals;

class TestScoresAndJids : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkedInt64()
    {
        const double inf = std::numeric_limits<double>::infinity();
        QCOMPARE(core::checkedInt64(0.0), std::optional<qint64>(0));
        QCOMPARE(core::checkedInt64(1700000000123.9), std::optional<qint64>(1700000000123));
        QCOMPARE(core::checkedInt64(-5.5), std::optional<qint64>(-5));
        QCOMPARE(core::checkedInt64(9223372036854774784.0), // the largest double below 2^63
                 std::optional<qint64>(9223372036854774784LL));
        QCOMPARE(core::checkedInt64(9223372036854775808.0), std::nullopt); // 2^63
        QCOMPARE(core::checkedInt64(-9223372036854775808.0),
                 std::optional<qint64>(std::numeric_limits<qint64>::min()));
        QCOMPARE(core::checkedInt64(1e300), std::nullopt);
        QCOMPARE(core::checkedInt64(-1e300), std::nullopt);
        QCOMPARE(core::checkedInt64(inf), std::nullopt);
        QCOMPARE(core::checkedInt64(-inf), std::nullopt);
        QCOMPARE(core::checkedInt64(std::nan("")), std::nullopt);
        QCOMPARE(core::millisOrUnknown(1e300), -1);
        QCOMPARE(core::millisOrUnknown(-1.0), -1);
        QCOMPARE(core::millisOrUnknown(42.0), 42);
    }

    void scoresBeyondRangeAreUnknown_data()
    {
        QTest::addColumn<double>("score");
        QTest::newRow("1e300") << 1e300;
        QTest::newRow("inf") << std::numeric_limits<double>::infinity();
        QTest::newRow("-inf") << -std::numeric_limits<double>::infinity();
        QTest::newRow("nan") << std::nan("");
    }

    void scoresBeyondRangeAreUnknown()
    {
        QFETCH(double, score);
        const queues::QueueRef queue{queues::Framework::Sidekiq, {}, "q"};
        jobs::SidekiqJobSource sidekiq;
        for (const jobs::StateStore &store : sidekiq.stores(queue)) {
            jobs::JobSummary job;
            sidekiq.applyScore(job, store, score);
            QCOMPARE(job.runAtMs, -1);
            QCOMPARE(job.finishedMs, -1);
        }
        jobs::RqJobSource rq;
        for (const jobs::StateStore &store : rq.stores({queues::Framework::RQ, "rq", "q"})) {
            jobs::JobSummary job;
            rq.applyScore(job, store, score);
            QCOMPARE(job.runAtMs, -1);
        }
        jobs::BullJobSource bull(true);
        for (const jobs::StateStore &store :
             bull.stores({queues::Framework::BullMQ, "bull", "q"})) {
            jobs::JobSummary job;
            bull.applyScore(job, store, score);
            QCOMPARE(job.runAtMs, -1);
            QCOMPARE(job.finishedMs, -1);
            QCOMPARE(job.priority, -1);
        }
    }

    void sidekiqJidOf()
    {
        // (No raw strings inside QCOMPARE: moc cannot expand them.)
        const QByteArray compact = "{\"class\":\"M\",\"jid\":\"abc123\"}";
        const QByteArray spaced = "{\"class\": \"M\", \"jid\" : \"abc123\", \"args\": []}";
        const QByteArray nested = "{\"args\":[{\"jid\":\"inner\"}],\"jid\":\"outer\"}";
        const QByteArray escaped = "{\"jid\":\"a\\\"b\\u00e9\"}";
        QCOMPARE(jobs::sidekiqJidOf(compact), "abc123"_ba);
        QCOMPARE(jobs::sidekiqJidOf(spaced), "abc123"_ba);
        QCOMPARE(jobs::sidekiqJidOf(nested), "outer"_ba);
        QCOMPARE(jobs::sidekiqJidOf(escaped), "a\"b\xc3\xa9"_ba);
        QCOMPARE(jobs::sidekiqJidOf("not json"), QByteArray());
    }

    void sidekiqJidPattern()
    {
        QCOMPARE(jobs::sidekiqJidPattern("abc123"), "*\"jid\"*abc123*"_ba);
        QCOMPARE(jobs::sidekiqJidPattern("a b"), "*\"jid\"*a b*"_ba);
        QCOMPARE(jobs::sidekiqJidPattern("a*b?[c]"), "*\"jid\"*a\\*b\\?\\[c\\]*"_ba);
        // JSON may have written these escaped: the pattern cannot name them, the compare does.
        QCOMPARE(jobs::sidekiqJidPattern("a\"b"), "*\"jid\"*"_ba);
        QCOMPARE(jobs::sidekiqJidPattern("\xc3\xa9"), "*\"jid\"*"_ba);
    }

    void sidekiqLocatesASpacedPayload()
    {
        const queues::QueueRef queue{queues::Framework::Sidekiq, {}, "q"};
        jobs::SidekiqJobSource sidekiq;
        const QList<redis::RedisCommand> commands = sidekiq.locateCommands(queue, "abc123");
        QCOMPARE(commands.size(), 4); // the queue list, schedule, retry, dead
        const QByteArray spaced = "{\"class\": \"M\", \"jid\": \"abc123\", \"queue\": \"q\"}";
        const QByteArray other = "{\"class\": \"M\", \"jid\": \"abc1234\", \"queue\": \"q\"}";
        using redis::RedisReply;
        const QList<RedisReply> replies{
            RedisReply::array({}),
            RedisReply::array({RedisReply::bulk("0"), RedisReply::array({})}),
            RedisReply::array(
                {RedisReply::bulk("0"),
                 RedisReply::array({RedisReply::bulk(other), RedisReply::bulk("1700000000"),
                                    RedisReply::bulk(spaced), RedisReply::bulk("1700000001")})}),
            RedisReply::array({RedisReply::bulk("0"), RedisReply::array({})}),
        };
        const std::optional<jobs::JobSummary> found =
            sidekiq.readLocation(queue, "abc123", replies);
        QVERIFY(found);
        QCOMPARE(found->raw, spaced); // not the jid that merely starts with it
        QCOMPARE(found->state, u"retries"_s);
        QCOMPARE(found->runAtMs, 1700000001000);
    }
};

QTEST_APPLESS_MAIN(TestScoresAndJids)
#include "tst_scoresandjids.moc"
