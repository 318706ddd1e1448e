#include "redis/encodedcommands.h"
#include "redis/replyparser.h"
#include "redis/respencoder.h"

#include <QTest>

#include <limits>

using qs::redis::RedisReply;
using qs::redis::ReplyLimits;
using qs::redis::ReplyParser;
using Status = ReplyParser::Status;

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

    // Once a poll's replies are read, the parser lets go of hiredis's read buffer (it kept the
    // room of the largest read until the next one): never while a reply is half read, and the
    // replies after it read as before.
    void repliesReadOnAcrossTheReleaseOfTheReadBuffer()
    {
        ReplyParser parser;
        RedisReply reply;
        QByteArray integers;
        for (int i = 0; i < 5'000; ++i) // 40 KB: more than the parser keeps between reads
            integers += ":" + QByteArray::number(10'000 + i) + "\r\n";
        parser.feed(integers + "*3\r\n:1\r\n*2\r\n:2"); // the array is cut inside
        for (int i = 0; i < 5'000; ++i) {
            QCOMPARE(parser.next(&reply), ReplyParser::Status::Reply);
            QCOMPARE(reply.integer, 10'000 + i);
        }
        QCOMPARE(parser.next(&reply), ReplyParser::Status::NeedMore); // half an array pending
        parser.feed(QByteArray("\r\n$1\r\nx\r\n:3\r\n"));
        QCOMPARE(parser.next(&reply), ReplyParser::Status::Reply);
        QCOMPARE(reply.elements.size(), 3);
        QCOMPARE(reply.elements.at(1).elements.size(), 2);
        QCOMPARE(reply.elements.at(1).elements.at(0).integer, 2);
        QCOMPARE(reply.elements.at(1).elements.at(1).string, QByteArray("x"));
        QCOMPARE(reply.elements.at(2).integer, 3);
        QCOMPARE(parser.next(&reply), ReplyParser::Status::NeedMore); // all read: released
        parser.feed(QByteArray(":7\r\n+OK\r\n"));
        QCOMPARE(parser.next(&reply), ReplyParser::Status::Reply);
        QCOMPARE(reply.integer, 7);
        QCOMPARE(parser.next(&reply), ReplyParser::Status::Reply);
        QCOMPARE(reply.string, QByteArray("OK"));
        QCOMPARE(parser.next(&reply), ReplyParser::Status::NeedMore);
    }

    void announcedHugeStringIsRefusedBeforeItArrives()
    {
        ReplyParser parser;
        parser.expect({{qs::redis::replyLimitsFor({"INFO"}, qs::redis::LargeStrings::Refuse)}},
                      qs::redis::requestByteBudget());
        parser.feed(QByteArray("$2147483648\r\n") + QByteArray(65536, 'x'));
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::TooLarge);
        QCOMPARE(parser.errorString(),
                 QStringLiteral("the server announced a 2.0 GB string in its reply to INFO; the "
                                "limit for server information is 32.0 MB"));
        parser.feed(QByteArray("+OK\r\n"));
        QCOMPARE(parser.next(&reply), Status::TooLarge);
    }

    // A pipeline's limits reuse the limits of the command before when it has the same name
    // (static words): each command still gets the limits of its own kind, by name.
    void pipelineLimitsAreEachCommandsOwn()
    {
        static const QByteArray llen = QByteArrayLiteral("LLEN");
        const QList<qs::redis::RedisCommand> commands{
            {llen, "a"}, {llen, "b"},   {"INFO"}, {"hgetall", "h"}, {"HGETALL", "h"},
            {llen, "c"}, {"LLEN", "d"}, {},       {"ZCARD", "z"}};
        for (const auto largeStrings :
             {qs::redis::LargeStrings::Refuse, qs::redis::LargeStrings::Truncate}) {
            const QList<qs::redis::ReplyLimits> limits =
                qs::redis::perReply(qs::redis::pipelineReplyLimits(commands, largeStrings));
            QCOMPARE(limits.size(), commands.size());
            for (qsizetype i = 0; i < commands.size(); ++i) {
                const qs::redis::ReplyLimits one =
                    qs::redis::replyLimitsFor(commands.at(i), largeStrings);
                QCOMPARE(limits.at(i).command, one.command);
                QCOMPARE(limits.at(i).kind, one.kind);
                QCOMPARE(limits.at(i).maxBytes, one.maxBytes);
                QCOMPARE(limits.at(i).maxStringBytes, one.maxStringBytes);
                QCOMPARE(limits.at(i).truncateStrings, one.truncateStrings);
            }
            QCOMPARE(limits.at(1).kind, QStringLiteral("counts"));
            QCOMPARE(limits.at(2).kind, QStringLiteral("server information"));
            QCOMPARE(limits.at(3).command, QByteArray("HGETALL"));
        }
        // A poll's count commands, named by one static word: one run, not a record per reply.
        QList<qs::redis::RedisCommand> poll;
        for (int i = 0; i < 1400; ++i)
            poll.append({llen, "q" + QByteArray::number(i)});
        const qs::redis::ReplyLimitsRuns runs =
            qs::redis::pipelineReplyLimits(poll, qs::redis::LargeStrings::Refuse);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().count, 1400);
    }

    // Integer replies (a poll's counts) are read by the gate, not hiredis: they keep their place
    // among strings, arrays (whose integer elements hiredis still reads), nils and errors, at the
    // extremes of 64 bits, whole or fed byte by byte.
    void integerRepliesKeepTheirPlace()
    {
        const QByteArray stream = ":0\r\n$3\r\nabc\r\n:-9223372036854775808\r\n*2\r\n:5\r\n$-1\r\n"
                                  ":9223372036854775807\r\n-ERR no\r\n:42\r\n$-1\r\n:7\r\n";
        const QList<RedisReply> expected{RedisReply::number(0),
                                         RedisReply::bulk("abc"),
                                         RedisReply::number(std::numeric_limits<qint64>::min()),
                                         RedisReply::array({RedisReply::number(5), RedisReply{}}),
                                         RedisReply::number(std::numeric_limits<qint64>::max()),
                                         RedisReply::error("ERR no"),
                                         RedisReply::number(42),
                                         RedisReply{},
                                         RedisReply::number(7)};
        for (const bool byteByByte : {false, true}) {
            ReplyParser parser;
            QList<RedisReply> got;
            RedisReply reply;
            const auto take = [&] {
                while (parser.next(&reply) == Status::Reply)
                    got.append(reply);
            };
            if (byteByByte) {
                for (char c : stream) {
                    parser.feed(&c, 1);
                    take();
                }
            } else {
                parser.feed(stream);
                take();
            }
            QCOMPARE(got, expected);
            QCOMPARE(parser.next(&reply), Status::NeedMore);
        }
    }

    // Each reply is held to the limits of its own run: a string the run before allowed is
    // refused in the next, and a run after it allows it again.
    void eachReplyTakesTheLimitsOfItsRun()
    {
        ReplyLimits small;
        small.command = "LLEN";
        small.maxStringBytes = 10;
        ReplyLimits large;
        large.command = "GET";
        ReplyLimits tight = small;
        tight.command = "ZCARD";
        const QByteArray twenty = "$20\r\n" + QByteArray(20, 'x') + "\r\n";
        ReplyParser parser;
        parser.expect({{small, 2}, {large, 1}, {tight, 1}}, 1 << 20);
        parser.feed("$5\r\nhello\r\n:3\r\n" + twenty + twenty);
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(reply.string, QByteArray("hello"));
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(reply.integer, 3);
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(reply.string, QByteArray(20, 'x'));
        QCOMPARE(parser.next(&reply), Status::TooLarge);
        QVERIFY2(parser.errorString().contains(QLatin1String("ZCARD")),
                 qPrintable(parser.errorString()));
    }

    // Encoded beforehand (the poll's counts): the bytes the commands encode to, and the same
    // limits for each reply, whether built whole or appended piece by piece.
    void encodedCommandsAreTheCommandsAsSent()
    {
        static const QByteArray llen = QByteArrayLiteral("LLEN");
        const QList<qs::redis::RedisCommand> commands{
            {llen, "a"}, {llen, "b"}, {"INFO"}, {"HGETALL", "h"}, {"ZCARD", "z\r\n\0"}};
        qs::redis::EncodedCommands pieces;
        for (const auto &command : commands)
            pieces.append(qs::redis::EncodedCommands({command}));
        for (const qs::redis::EncodedCommands &encoded :
             {qs::redis::EncodedCommands(commands), pieces}) {
            QCOMPARE(encoded.size(), commands.size());
            QCOMPARE(encoded.bytes(), qs::redis::encodeCommands(commands));
            const QList<qs::redis::ReplyLimits> limits = qs::redis::perReply(encoded.replyLimits());
            const QList<qs::redis::ReplyLimits> expected = qs::redis::perReply(
                qs::redis::pipelineReplyLimits(commands, qs::redis::LargeStrings::Refuse));
            QCOMPARE(limits.size(), expected.size());
            for (qsizetype i = 0; i < limits.size(); ++i) {
                QCOMPARE(limits.at(i).command, expected.at(i).command);
                QCOMPARE(limits.at(i).kind, expected.at(i).kind);
                QCOMPARE(limits.at(i).maxBytes, expected.at(i).maxBytes);
            }
            QVERIFY(encoded.firstWrite().isEmpty());
        }
        qs::redis::EncodedCommands writes(commands);
        writes.append(qs::redis::EncodedCommands({{"DEL", "a"}, {"SET", "b", "1"}}));
        QCOMPARE(writes.firstWrite(), QByteArray("DEL"));
    }

    // A shape of commands built for a placeholder name, filled in with a queue's name, is the
    // commands built for that name, byte for byte, with the same limits and first write: names of
    // any length (the RESP lengths change), binary and unicode, several places in one argument.
    void aTemplateFilledInIsTheCommandsBuiltForTheName()
    {
        const QByteArray placeholder = "\x1f<name>\x1f";
        const auto commandsFor = [](const QByteArray &name) {
            return QList<qs::redis::RedisCommand>{{"LLEN", "bull:" + name + ":wait"},
                                                  {"INFO"},
                                                  {"HGET", "bull:" + name + ":meta", "paused"},
                                                  {"SINTER", name + "|" + name, "literal"},
                                                  {"ZCARD", name}};
        };
        const qs::redis::EncodedTemplate shape(commandsFor(placeholder), placeholder);
        QCOMPARE(shape.size(), 5);
        for (const QByteArray &name :
             {QByteArray("q"), QByteArray(""), QByteArray(200, 'x'),
              QByteArray("r\xc3\xa9\r\n\0 q", 9), QByteArray("émails").toUpper()}) {
            const qs::redis::EncodedCommands filled = shape.filledIn(name);
            const qs::redis::EncodedCommands built(commandsFor(name));
            QCOMPARE(filled.bytes(), built.bytes());
            QCOMPARE(filled.size(), built.size());
            const QList<qs::redis::ReplyLimits> filledLimits =
                qs::redis::perReply(filled.replyLimits());
            const QList<qs::redis::ReplyLimits> builtLimits =
                qs::redis::perReply(built.replyLimits());
            QCOMPARE(filledLimits.size(), builtLimits.size());
            for (qsizetype i = 0; i < built.size(); ++i)
                QCOMPARE(filledLimits.at(i).command, builtLimits.at(i).command);
        }
        // Appended after other commands, with a write in the shape.
        const qs::redis::EncodedTemplate writes({{"DEL", "k:" + placeholder}}, placeholder);
        qs::redis::EncodedCommands plan(QList<qs::redis::RedisCommand>{{"PING"}});
        plan.append(writes, "a");
        plan.append(shape, "b");
        QCOMPARE(plan.bytes(),
                 qs::redis::encodeCommands(
                     QList<qs::redis::RedisCommand>{{"PING"}, {"DEL", "k:a"}} + commandsFor("b")));
        QCOMPARE(plan.firstWrite(), QByteArray("DEL"));
        QCOMPARE(plan.size(), 7);
    }

    // Encoded commands keep one limits record per distinct name for the life of the process:
    // however many names come, the records stay bounded and the limits stay the same.
    void encodedLimitsRecordsAreBounded()
    {
        QList<qs::redis::RedisCommand> commands;
        for (int i = 0; i < 2000; ++i)
            commands.append({"X" + QByteArray::number(i), "key"});
        const QList<qs::redis::ReplyLimits> limits =
            qs::redis::perReply(qs::redis::EncodedCommands(commands).replyLimits());
        QCOMPARE(limits.size(), commands.size());
        QCOMPARE(limits.first().command, QByteArray("X0"));
        QCOMPARE(limits.last().command, QByteArray("reply"));
        const qs::redis::ReplyLimits data =
            qs::redis::replyLimitsFor(commands.last(), qs::redis::LargeStrings::Refuse);
        QCOMPARE(limits.last().maxBytes, data.maxBytes);
        QCOMPARE(limits.last().maxStringBytes, data.maxStringBytes);
    }

    void endlessArrayIsRefusedAtItsHeader()
    {
        ReplyParser parser;
        parser.feed(QByteArray("*2147483647\r\n:1\r\n:1\r\n"));
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::TooLarge);
        QVERIFY2(parser.errorString().contains(QLatin1String("2,147,483,647 elements")),
                 qPrintable(parser.errorString()));
    }

    void longStringsAreTruncatedWhenAskedAndFramingContinues()
    {
        ReplyLimits limits;
        limits.maxStringBytes = 10;
        limits.truncateStrings = true;
        ReplyParser parser;
        parser.expect({{limits, 2}}, 1 << 20);
        const QByteArray stream = "*2\r\n$20\r\n0123456789abcdefghij\r\n$3\r\nabc\r\n:7\r\n";
        for (char c : stream) // byte by byte: the kept part and the skipped part both span chunks
            parser.feed(&c, 1);
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(reply.elements.size(), 2);
        QCOMPARE(reply.elements.at(0).string, QByteArray("0123456789"));
        QCOMPARE(reply.elements.at(0).truncatedFrom, 20);
        QVERIFY(reply.elements.at(0).isTruncated());
        QCOMPARE(reply.elements.at(1).string, QByteArray("abc"));
        QVERIFY(!reply.elements.at(1).isTruncated());
        QCOMPARE(parser.next(&reply), Status::Reply); // the unexpected :7 after the group
        QCOMPARE(reply.integer, 7);
        QCOMPARE(parser.next(&reply), Status::NeedMore);
    }

    void requestBudgetIsSharedAcrossItsReplies()
    {
        ReplyLimits limits;
        limits.command = "GET";
        limits.kind = QStringLiteral("job data");
        limits.maxBytes = 1000;
        ReplyParser parser;
        parser.expect({{limits, 3}}, 1500);
        const QByteArray value(600, 'v');
        QByteArray stream;
        for (int i = 0; i < 3; ++i)
            stream += "$600\r\n" + value + "\r\n";
        parser.feed(stream);
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(parser.next(&reply), Status::TooLarge);
        QVERIFY2(parser.errorString().contains(QLatin1String("may take 1.5 KB together")),
                 qPrintable(parser.errorString()));
    }

    void unexpectedRepliesGetTheSmallLimits()
    {
        ReplyParser parser(qs::redis::handshakeReplyLimits());
        parser.feed(QByteArray("$2000000\r\n"));
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::TooLarge);
    }

    void protocolErrorQuotesTheOffendingBytesNotTheSessionStart()
    {
        ReplyParser parser;
        parser.feed(QByteArray("+OK\r\n+PONG\r\n"));
        parser.feed(QByteArray("\x00\xffNOT RESP \x1b[2J\r\n", 17));
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::Reply); // replies before the error still arrive
        QCOMPARE(parser.next(&reply), Status::Reply);
        QCOMPARE(parser.next(&reply), Status::ProtocolError);
        QCOMPARE(parser.errorString(),
                 QStringLiteral("expected a reply type (+ - : $ *) at byte 12 of the replies: "
                                "\"\\x00\\xffNOT RESP \\x1b[2J\\r\\n\" (after "
                                "\"+OK\\r\\n+PONG\\r\\n\")"));
    }

    void lengthLiesAreProtocolErrors_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("longer than announced")
            << QByteArray("$5\r\nhello world\r\n") << QStringLiteral("\" world\\r\\n\"");
        QTest::newRow("negative length") << QByteArray("$-2\r\n") << QStringLiteral("\"$-2");
        QTest::newRow("not a number") << QByteArray("*1x\r\n") << QStringLiteral("\"*1x");
        QTest::newRow("integer") << QByteArray(":12a\r\n") << QStringLiteral("\":12a");
        QTest::newRow("LF without CR") << QByteArray("+OK\n") << QStringLiteral("\"+OK\\n");
        QTest::newRow("too deep") << QByteArray("*1\r\n").repeated(8)
                                  << QStringLiteral("nested more than 7");
    }

    void lengthLiesAreProtocolErrors()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, quoted);
        ReplyParser parser;
        parser.feed(stream);
        RedisReply reply;
        QCOMPARE(parser.next(&reply), Status::ProtocolError);
        QVERIFY2(parser.errorString().contains(quoted), qPrintable(parser.errorString()));
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
