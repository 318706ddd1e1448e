// RedisConnection against the hostile Redis double (tests/support/hostileredis.py) and against a
// real redis-server holding values over the reply limits: deadlines that trickling bytes do not
// extend, replies refused at their header, errors that quote the offending bytes.
#include "connectionwait.h"
#include "hostileserver.h"
#include "redisserver.h"
#include "startorfail.h"

#include "redis/redisconnection.h"

#include <QElapsedTimer>
#include <QTest>

using namespace qs::redis;
using qs::core::ConnectionProfile;
using qs::test::HostileServer;
using qs::test::RedisServer;
using Kind = RedisError::Kind;

namespace {

constexpr int kTimeoutMs = 2'000;
// Generous for a loaded 2-core CI machine; the old transport took "forever" (60 s and more).
constexpr int kMarginMs = 1'500;

struct Outcome
{
    PipelineResult result;
    qint64 elapsedMs = -1;
};

ConnectionProfile hostileProfile(const HostileServer &server)
{
    ConnectionProfile profile = server.profile();
    profile.connectTimeoutMs = kTimeoutMs;
    profile.commandTimeoutMs = kTimeoutMs;
    return profile;
}

bool connectTo(RedisConnection &connection)
{
    return qs::test::connectAndSettle(connection).state == ConnectionState::Connected;
}

Outcome send(RedisConnection &connection, const QList<RedisCommand> &commands,
             LargeStrings largeStrings = LargeStrings::Refuse)
{
    auto outcome = std::make_shared<Outcome>();
    QObject context;
    QElapsedTimer clock;
    clock.start();
    connection.pipeline(
        commands, &context,
        [outcome, clock](const PipelineResult &result) {
            outcome->result = result;
            outcome->elapsedMs = clock.elapsed();
        },
        largeStrings);
    (void)QTest::qWaitFor([&] { return outcome->elapsedMs >= 0; }, 60'000);
    return *outcome;
}

} // namespace

class TestHostileServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tricklingReplyMeetsItsDeadline()
    {
        // One byte every 0.3 s: the old transport pushed the deadline on every byte.
        HostileServer server(QStringLiteral("trickle"), 0.3);
        QS_START_OR_FAIL(server);
        RedisConnection connection(hostileProfile(server), qs::test::noReconnect());
        QVERIFY(connectTo(connection));
        const Outcome outcome = send(connection, {{"INFO", "server"}});
        QCOMPARE(outcome.result.error.kind, Kind::CommandTimeout);
        QVERIFY2(outcome.result.error.message.contains(
                     QLatin1String("did not complete its reply within 2 s")),
                 qPrintable(outcome.result.error.message));
        QVERIFY2(outcome.elapsedMs < kTimeoutMs + kMarginMs,
                 qPrintable(QString::number(outcome.elapsedMs)));
    }

    void tricklingHandshakeMeetsTheConnectDeadline()
    {
        HostileServer server(QStringLiteral("trickle-all"), 0.3);
        QS_START_OR_FAIL(server);
        RedisConnection connection(hostileProfile(server), qs::test::noReconnect());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!connectTo(connection));
        QCOMPARE(connection.status().error.kind, Kind::ConnectTimeout);
        QVERIFY2(clock.elapsed() < kTimeoutMs + kMarginMs,
                 qPrintable(QString::number(clock.elapsed())));
    }

    void oversizedRepliesAreRefusedAtTheirHeader_data()
    {
        QTest::addColumn<QString>("behaviour");
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QString>("message");
        QTest::newRow("2 GB bulk string") << QStringLiteral("huge-bulk") << QByteArray("GET")
                                          << QStringLiteral("announced a 2.0 GB string in its "
                                                            "reply to GET; the limit for job data "
                                                            "is 64.0 MB");
        QTest::newRow("endless array") << QStringLiteral("endless-array") << QByteArray("LRANGE")
                                       << QStringLiteral("an array of 2,147,483,647 elements");
        QTest::newRow("200 MB INFO") << QStringLiteral("huge-info") << QByteArray("INFO")
                                     << QStringLiteral("the limit for server information is 32.0 "
                                                       "MB");
    }

    void oversizedRepliesAreRefusedAtTheirHeader()
    {
        QFETCH(QString, behaviour);
        QFETCH(QByteArray, command);
        QFETCH(QString, message);
        HostileServer server(behaviour);
        QS_START_OR_FAIL(server);
        RedisConnection connection(hostileProfile(server), qs::test::noReconnect());
        QVERIFY(connectTo(connection));
        const Outcome outcome = send(connection, {{command, "key", "0", "-1"}});
        QCOMPARE(outcome.result.error.kind, Kind::ReplyTooLarge);
        QVERIFY2(outcome.result.error.message.contains(message),
                 qPrintable(outcome.result.error.message));
        // Refused when announced, not after buffering: far quicker than the 2 s deadline.
        QVERIFY2(outcome.elapsedMs < kTimeoutMs, qPrintable(QString::number(outcome.elapsedMs)));
        QCOMPARE(connection.status().state, ConnectionState::Failed); // reset (no reconnect)
    }

    void protocolErrorsQuoteTheOffendingBytes_data()
    {
        QTest::addColumn<QString>("behaviour");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("garbage") << QStringLiteral("garbage")
                                 << QStringLiteral(
                                        "\"\\x00\\xffQUEUESCOPE-HOSTILE garbage \\x1b[2J");
        QTest::newRow("longer than announced")
            << QStringLiteral("lie-long") << QStringLiteral("\" world\\r\\n\"");
    }

    void protocolErrorsQuoteTheOffendingBytes()
    {
        QFETCH(QString, behaviour);
        QFETCH(QString, quoted);
        HostileServer server(behaviour);
        QS_START_OR_FAIL(server);
        RedisConnection connection(hostileProfile(server), qs::test::noReconnect());
        QVERIFY(connectTo(connection));
        const Outcome outcome = send(connection, {{"GET", "key"}});
        QCOMPARE(outcome.result.error.kind, Kind::BadReply);
        const QString message = outcome.result.error.message;
        QVERIFY2(message.contains(quoted), qPrintable(message));
        // Not the session's first bytes (the handshake's "+OK\r\n+PONG\r\n") as the quote.
        QVERIFY2(!message.contains(QLatin1String(": \"+OK")), qPrintable(message));
    }

    void shortOrCutRepliesEndInTimeOrAsLost_data()
    {
        QTest::addColumn<QString>("behaviour");
        QTest::addColumn<Kind>("kind");
        QTest::newRow("shorter than announced")
            << QStringLiteral("lie-short") << Kind::CommandTimeout;
        QTest::newRow("closed mid-reply") << QStringLiteral("close-mid") << Kind::ConnectionLost;
    }

    void shortOrCutRepliesEndInTimeOrAsLost()
    {
        QFETCH(QString, behaviour);
        QFETCH(Kind, kind);
        HostileServer server(behaviour);
        QS_START_OR_FAIL(server);
        RedisConnection connection(hostileProfile(server), qs::test::noReconnect());
        QVERIFY(connectTo(connection));
        const Outcome outcome = send(connection, {{"GET", "key"}});
        QCOMPARE(outcome.result.error.kind, kind);
        QVERIFY2(outcome.elapsedMs < kTimeoutMs + kMarginMs,
                 qPrintable(QString::number(outcome.elapsedMs)));
    }

    void longValuesAreRefusedOrKeptInPartForDisplay()
    {
        RedisServer server;
        QVERIFY(server.start());
        RedisConnection connection(server.profile(), qs::test::noReconnect());
        QVERIFY(connectTo(connection));
        const QByteArray value(70 * 1024 * 1024, 'v'); // over the 64 MB string limit
        QVERIFY(send(connection, {{"SET", "big", value}, {"SET", "small", "s"}}).result.ok());
        const QList<RedisCommand> reads = {{"GET", "big"}, {"GET", "small"}};

        const Outcome strict = send(connection, reads);
        QCOMPARE(strict.result.error.kind, Kind::ReplyTooLarge);
        QVERIFY2(strict.result.error.message.contains(QLatin1String("70.0 MB string")),
                 qPrintable(strict.result.error.message));

        RedisConnection reader(server.profile(), qs::test::noReconnect()); // the first was reset
        QVERIFY(connectTo(reader));
        const Outcome shown = send(reader, reads, LargeStrings::Truncate);
        QVERIFY2(shown.result.ok(), qPrintable(shown.result.error.message));
        QCOMPARE(shown.result.replies.at(0).string.size(), 64 * 1024 * 1024);
        QCOMPARE(shown.result.replies.at(0).truncatedFrom, value.size());
        QCOMPARE(shown.result.replies.at(1).string, QByteArray("s")); // framing went on
        QVERIFY(!shown.result.replies.at(1).isTruncated());
    }
};

QTEST_GUILESS_MAIN(TestHostileServer)
#include "tst_hostileserver.moc"
