#include "redis/readonlypolicy.h"
#include "redis/replyerrors.h"

#include <QTest>

using qs::redis::RedisCommand;
using qs::redis::RedisError;
using qs::redis::RedisReply;

class TestReplyErrors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errorKinds_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QList<QByteArray>>("command");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("noperm") << QByteArray("NOPERM this user has no permissions to run the "
                                              "'config|get' command")
                                << QList<QByteArray>{"config", "get", "maxmemory"}
                                << int(RedisError::Kind::NoPermission)
                                << "'alice' may not run CONFIG GET";
        QTest::newRow("renamed") << QByteArray("ERR unknown command 'CONFIG', with args beginning "
                                               "with: 'GET' 'maxmemory' ")
                                 << QList<QByteArray>{"CONFIG", "GET", "maxmemory"}
                                 << int(RedisError::Kind::UnknownCommand) << "renamed or disabled";
        QTest::newRow("loading") << QByteArray("LOADING Redis is loading the dataset in memory")
                                 << QList<QByteArray>{"INFO"} << int(RedisError::Kind::Loading)
                                 << "loading its dataset";
        QTest::newRow("busy") << QByteArray("BUSY Redis is busy running a script. You can only "
                                            "call SCRIPT KILL or SHUTDOWN NOSAVE.")
                              << QList<QByteArray>{"LLEN", "q"} << int(RedisError::Kind::Busy)
                              << "SCRIPT KILL";
        QTest::newRow("readonly replica")
            << QByteArray("READONLY You can't write against a read only replica.")
            << QList<QByteArray>{"HSET", "bull:q:meta", "paused", "1"}
            << int(RedisError::Kind::ReadOnlyReplica)
            << "HSET refused: this server is a read-only replica";
        QTest::newRow("wrongpass") << QByteArray("WRONGPASS invalid username-password pair or "
                                                 "user is disabled.")
                                   << QList<QByteArray>{"AUTH", "alice", "secret"}
                                   << int(RedisError::Kind::AuthFailed) << "user 'alice'";
        // The advice depends on how the target was given (a profile, a URL, the environment):
        // the caller adds it, so this message must not presume one.
        QTest::newRow("noauth") << QByteArray("NOAUTH Authentication required.")
                                << QList<QByteArray>{"SELECT", "3"}
                                << int(RedisError::Kind::AuthRequired)
                                << "the server requires a password (NOAUTH)";
        QTest::newRow("wrongtype") << QByteArray("WRONGTYPE Operation against a key holding the "
                                                 "wrong kind of value")
                                   << QList<QByteArray>{"LLEN", "h"}
                                   << int(RedisError::Kind::Server) << "LLEN failed: WRONGTYPE";
    }
    void errorKinds()
    {
        QFETCH(QByteArray, reply);
        QFETCH(QList<QByteArray>, command);
        QFETCH(int, kind);
        QFETCH(QString, mentions);
        const RedisError error =
            qs::redis::errorFromReply(RedisReply::error(reply), command, QStringLiteral("alice"));
        QCOMPARE(int(error.kind), kind);
        QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
        QVERIFY2(!error.message.contains(QLatin1String("secret")), qPrintable(error.message));
    }

    void noauthNamesNoTarget()
    {
        const RedisError error = qs::redis::errorFromReply(
            RedisReply::error("NOAUTH Authentication required."), {"PING"}, {});
        QCOMPARE(error.message, QStringLiteral("the server requires a password (NOAUTH)"));
    }

    void nonErrorIsNone()
    {
        QVERIFY(qs::redis::errorFromReply(RedisReply::status("OK"), {"PING"}, {}).isNone());
    }

    void readOnlyPolicy_data()
    {
        QTest::addColumn<QList<QByteArray>>("command");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("llen") << QList<QByteArray>{"llen", "q"} << true;
        QTest::newRow("info") << QList<QByteArray>{"INFO", "memory"} << true;
        QTest::newRow("scan") << QList<QByteArray>{"SCAN", "0", "MATCH", "bull:*:meta"} << true;
        QTest::newRow("config get") << QList<QByteArray>{"CONFIG", "GET", "maxmemory"} << true;
        QTest::newRow("config set")
            << QList<QByteArray>{"CONFIG", "SET", "maxmemory", "1"} << false;
        QTest::newRow("client list") << QList<QByteArray>{"CLIENT", "LIST"} << true;
        QTest::newRow("client kill") << QList<QByteArray>{"client", "kill", "id", "7"} << false;
        QTest::newRow("slowlog reset") << QList<QByteArray>{"SLOWLOG", "RESET"} << false;
        QTest::newRow("del") << QList<QByteArray>{"DEL", "k"} << false;
        QTest::newRow("lpush") << QList<QByteArray>{"LPUSH", "q", "1"} << false;
        QTest::newRow("eval") << QList<QByteArray>{"EVAL", "return 1", "0"} << false;
        QTest::newRow("evalsha") << QList<QByteArray>{"EVALSHA", "abc", "0"} << false;
        QTest::newRow("eval_ro") << QList<QByteArray>{"EVAL_RO", "return 1", "0"} << true;
        QTest::newRow("flushdb") << QList<QByteArray>{"FLUSHDB"} << false;
        QTest::newRow("unknown module cmd")
            << QList<QByteArray>{"JSON.SET", "k", "$", "1"} << false;
        QTest::newRow("renamed config")
            << QList<QByteArray>{"CONFIG_8f2a", "SET", "x", "y"} << false;
    }
    void readOnlyPolicy()
    {
        QFETCH(QList<QByteArray>, command);
        QFETCH(bool, allowed);
        QCOMPARE(qs::redis::isReadOnlyCommand(command), allowed);
    }
};

QTEST_GUILESS_MAIN(TestReplyErrors)
#include "tst_replyerrors.moc"
