// ReplyParser (hiredis's reader behind our wrapper) on arbitrary bytes from a server. Properties:
// the replies and the verdict do not depend on how the bytes were split into reads (all at
// once, one byte at a time, fuzzer-chosen chunks), a protocol error is final, and every reply
// written back as RESP parses to the same reply.
#include "fuzzcheck.h"
#include "redis/replyparser.h"

#include <QList>

using qs::redis::RedisReply;
using qs::redis::ReplyParser;

namespace {

struct Outcome
{
    QList<RedisReply> replies;
    bool protocolError = false;
    QString error;
};

void drain(ReplyParser &parser, Outcome &outcome)
{
    RedisReply reply;
    while (!outcome.protocolError) {
        const ReplyParser::Status status = parser.next(&reply);
        if (status == ReplyParser::Status::NeedMore)
            return;
        if (status != ReplyParser::Status::Reply) { // a protocol error (or a limit) is final
            outcome.protocolError = true;
            outcome.error = parser.errorString();
            FUZZ_CHECK(!outcome.error.isEmpty(), "an error without a message");
            FUZZ_CHECK(parser.next(&reply) == status, "the parser recovered after an error");
            return;
        }
        outcome.replies.append(reply);
    }
}

// Feeds `stream` in chunks of the given sizes (cycled), draining after each read as the
// transport does.
Outcome parseInChunks(const QByteArray &stream, const QList<qsizetype> &chunks)
{
    ReplyParser parser;
    Outcome outcome;
    qsizetype at = 0;
    for (qsizetype i = 0; at < stream.size() && !outcome.protocolError; ++i) {
        const qsizetype size = qMin(chunks.at(i % chunks.size()), stream.size() - at);
        parser.feed(stream.constData() + at, size);
        at += size;
        drain(parser, outcome);
    }
    return outcome;
}

void appendResp(QByteArray &out, const RedisReply &reply)
{
    switch (reply.type) {
    case RedisReply::Type::Nil:
        out += "$-1\r\n";
        break;
    case RedisReply::Type::Status:
        out += '+' + reply.string + "\r\n";
        break;
    case RedisReply::Type::Error:
        out += '-' + reply.string + "\r\n";
        break;
    case RedisReply::Type::Integer:
        out += ':' + QByteArray::number(reply.integer) + "\r\n";
        break;
    case RedisReply::Type::String:
        out += '$' + QByteArray::number(reply.string.size()) + "\r\n" + reply.string + "\r\n";
        break;
    case RedisReply::Type::Array:
        out += '*' + QByteArray::number(reply.elements.size()) + "\r\n";
        for (const RedisReply &element : reply.elements)
            appendResp(out, element);
        break;
    }
}

QString describe(const Outcome &a)
{
    return QStringLiteral("%1 replies, %2").arg(a.replies.size()).arg(a.error);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The first byte picks the chunk sizes (1-8 bytes, or bigger reads), the rest is the stream.
    if (size < 1)
        return 0;
    const QByteArray stream = qs::fuzz::bytesOf(data + 1, size - 1);
    QList<qsizetype> chunks;
    for (int bit = 0; bit < 8; ++bit)
        chunks.append((data[0] >> bit & 1) ? 1 + bit : 7 + 13 * bit);

    const Outcome whole = parseInChunks(stream, {qMax<qsizetype>(stream.size(), 1)});
    const Outcome bytes = parseInChunks(stream, {1});
    const Outcome chunked = parseInChunks(stream, chunks);
    for (const Outcome *other : {&bytes, &chunked}) {
        FUZZ_CHECK(other->replies == whole.replies && other->protocolError == whole.protocolError,
                   QStringLiteral("split reads changed the result: %1 vs %2 for %3")
                       .arg(describe(*other), describe(whole), qs::fuzz::preview(stream)));
    }

    // Re-encoding what was understood gives back the same replies (nil arrays read as nil).
    QByteArray written;
    for (const RedisReply &reply : whole.replies)
        appendResp(written, reply);
    const Outcome reread = parseInChunks(written, {qMax<qsizetype>(written.size(), 1)});
    FUZZ_CHECK(!reread.protocolError && reread.replies == whole.replies,
               QStringLiteral("a re-encoded reply parsed differently: %1")
                   .arg(qs::fuzz::preview(written)));
    return 0;
}
