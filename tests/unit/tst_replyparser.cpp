#include "redis/replyparser.h"
#include "redis/respencoder.h"

#include <QTest>

using qs::redis::RedisReply;
using qs::redis::ReplyParser;

namespace {

// Feeds `bytes` in the given chunks and collects every complete reply.
QList<RedisReply> parseInChunks(const QByteArray &bytes, qsizetype split, bool *protocolError)
{
    ReplyParser parser;
    QList<RedisReply> replies;
    *protocolError = false;
    auto drain = [&] {
        RedisReply reply;
        for (;;) {
            const auto status = parser.next(&reply);
            if (status == ReplyParser::Status::Reply)
                replies.append(reply);
            else {
                *protocolError |= status == ReplyParser::Status::ProtocolError;
                return;
            }
        }
    };
    parser.feed(bytes.left(split));
    drain();
    parser.feed(bytes.mid(split));
    drain();
    return replies;
}

QByteArray sampleStream()
{
    return QByteArray("+OK\r\n"
                      "-NOPERM this user has no permissions to run the 'flushall' command\r\n"
                      ":-42\r\n"
                      "$-1\r\n"
                      "$0\r\n\r\n"
                      "*-1\r\n"
                      "*0\r\n") +
           QByteArray("$6\r\n\x00\r\n\xff\xfe\x01\r\n", 12) // binary with CR LF inside
           + QByteArray("*3\r\n$5\r\nemail\r\n*2\r\n:1\r\n$10\r\n\xc3\xa9t\xc3\xa9 "
                        "\xf0\x9f\x9a\x80\r\n$-1\r\n");
}

QList<RedisReply> expectedReplies()
{
    return {RedisReply::status("OK"),
            RedisReply::error("NOPERM this user has no permissions to run the 'flushall' command"),
            RedisReply::number(-42),
            RedisReply{},
            RedisReply::bulk(QByteArray("")),
            RedisReply{},
            RedisReply::array({}),
            RedisReply::bulk(QByteArray("\x00\r\n\xff\xfe\x01", 6)),
            RedisReply::array(
                {RedisReply::bulk("email"),
                 RedisReply::array({RedisReply::number(1),
                                    RedisReply::bulk("\xc3\xa9t\xc3\xa9 \xf0\x9f\x9a\x80")}),
                 RedisReply{}})};
}

} // namespace

class TestReplyParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitAtEveryByteBoundary()
    {
        const QByteArray stream = sampleStream();
        const QList<RedisReply> expected = expectedReplies();
        for (qsizetype split = 0; split <= stream.size(); ++split) {
            bool protocolError = false;
            const QList<RedisReply> replies = parseInChunks(stream, split, &protocolError);
            QVERIFY2(!protocolError, qPrintable(QStringLiteral("split at %1").arg(split)));
            QCOMPARE(replies.size(), expected.size());
            QCOMPARE(replies, expected);
        }
    }

    void oneByteAtATime()
    {
        ReplyParser parser;
        QList<RedisReply> replies;
        const QByteArray stream = sampleStream();
        for (char c : stream) {
            parser.feed(&c, 1);
            RedisReply reply;
            while (parser.next(&reply) == ReplyParser::Status::Reply)
                replies.append(reply);
        }
        QCOMPARE(replies, expectedReplies());
    }

    void largeBulkReply()
    {
        const QByteArray payload(10 * 1024 * 1024, 'x');
        QByteArray stream = "$" + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n";
        ReplyParser parser;
        RedisReply reply;
        for (qsizetype at = 0; at < stream.size(); at += 65536) {
            QCOMPARE(parser.next(&reply), ReplyParser::Status::NeedMore);
            parser.feed(stream.constData() + at, qMin<qsizetype>(65536, stream.size() - at));
        }
        QCOMPARE(parser.next(&reply), ReplyParser::Status::Reply);
        QCOMPARE(reply.string.size(), payload.size());
    }

    void notRedisIsAProtocolErrorWithPreview()
    {
        ReplyParser parser;
        parser.feed(QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
        RedisReply reply;
        QCOMPARE(parser.next(&reply), ReplyParser::Status::ProtocolError);
        QVERIFY2(parser.errorString().contains(QLatin1String("HTTP/1.1 400 Bad Request")),
                 qPrintable(parser.errorString()));
        // The stream is unusable afterwards, even with valid bytes.
        parser.feed(QByteArray("+OK\r\n"));
        QCOMPARE(parser.next(&reply), ReplyParser::Status::ProtocolError);
    }

    void encoderIsBinarySafeAndRoundTrips()
    {
        const qs::redis::RedisCommand command{"SET", QByteArray("k\x00\r\n", 4), "v\xc3\xa9"};
        const QByteArray encoded = qs::redis::encodeCommands({command});
        QCOMPARE(encoded, QByteArray("*3\r\n$3\r\nSET\r\n$4\r\n") + command.at(1) +
                              QByteArray("\r\n$3\r\nv\xc3\xa9\r\n"));
        // A multi-bulk request is itself valid RESP: parse it back.
        ReplyParser parser;
        parser.feed(encoded);
        RedisReply reply;
        QCOMPARE(parser.next(&reply), ReplyParser::Status::Reply);
        QCOMPARE(reply.elements.size(), 3);
        QCOMPARE(reply.elements.at(1).string, command.at(1));
    }

    void integerConversions()
    {
        QCOMPARE(RedisReply::bulk("123").toInteger(), 123);
        QCOMPARE(RedisReply::bulk("abc").toInteger(-1), -1);
        QCOMPARE(RedisReply{}.toInteger(7), 7);
        QCOMPARE(RedisReply::error("WRONGPASS invalid").errorCode(), QByteArray("WRONGPASS"));
    }
};

QTEST_GUILESS_MAIN(TestReplyParser)
#include "tst_replyparser.moc"
