#include "replyparser.h"

#include <hiredis/hiredis.h>

namespace qs::redis {

// hiredis's object callbacks, building RedisReply values in place: an element is constructed
// inside its parent's list (sized when the array header arrived), the root on the heap.
struct ReplyBuilder
{
    static RedisReply *place(const redisReadTask *task, RedisReply value)
    {
        if (!task->parent) {
            auto *parser = static_cast<ReplyParser *>(task->privdata);
            if (!parser->m_spareRoot)
                return new RedisReply(std::move(value));
            RedisReply *root = parser->m_spareRoot.release();
            *root = std::move(value);
            return root;
        }
        auto *parent = static_cast<RedisReply *>(task->parent->obj);
        RedisReply &slot = parent->elements[task->idx];
        slot = std::move(value);
        return &slot;
    }

    static void *createString(const redisReadTask *task, char *str, size_t len)
    {
        RedisReply value;
        if (task->type == REDIS_REPLY_STRING) {
            // The gate passed "$0\r\n\r\n" in place of the body: take the body it kept.
            auto *parser = static_cast<ReplyParser *>(task->privdata);
            ReplyGate::BulkString string = parser->m_gate.takeString();
            value.type = RedisReply::Type::String;
            if (string.fullSize > string.bytes.size())
                value.truncatedFrom = string.fullSize;
            value.string = std::move(string.bytes);
        } else {
            value.type = task->type == REDIS_REPLY_ERROR ? RedisReply::Type::Error
                                                         : RedisReply::Type::Status;
            value.string = QByteArray(str, qsizetype(len));
        }
        return place(task, std::move(value));
    }

    static void *createArray(const redisReadTask *task, int elements)
    {
        RedisReply value;
        value.type = RedisReply::Type::Array;
        value.elements.resize(qMax(0, elements));
        return place(task, std::move(value));
    }

    static void *createInteger(const redisReadTask *task, long long integer)
    {
        return place(task, RedisReply::number(integer));
    }

    static void *createNil(const redisReadTask *task) { return place(task, RedisReply{}); }

    // hiredis frees only the root (on errors and in redisReaderFree); elements live inside it.
    static void freeObject(void *root) { delete static_cast<RedisReply *>(root); }
};

namespace {

redisReplyObjectFunctions replyFunctions = {ReplyBuilder::createString, ReplyBuilder::createArray,
                                            ReplyBuilder::createInteger, ReplyBuilder::createNil,
                                            ReplyBuilder::freeObject};

} // namespace

ReplyParser::ReplyParser(ReplyLimits unexpected)
    : m_gate(std::move(unexpected))
    , m_reader(createReader(this))
{
}

redisReader *ReplyParser::createReader(ReplyParser *owner)
{
    redisReader *reader = redisReaderCreateWithFunctions(&replyFunctions);
    Q_CHECK_PTR(reader);
    reader->privdata = owner;
    return reader;
}

void ReplyParser::releaseSpentReader()
{
    // Nothing buffered and no reply half built (hiredis's task index is -1 between replies).
    if (m_fedBytes < kSpentReaderBytes || m_reader->pos != m_reader->len || m_reader->ridx != -1)
        return;
    redisReader *fresh = createReader(this);
    redisReaderFree(m_reader);
    m_reader = fresh;
    m_fedBytes = 0;
}

ReplyParser::~ReplyParser()
{
    redisReaderFree(m_reader);
}

void ReplyParser::expect(const ReplyLimitsRuns &replies, qint64 sharedBytes)
{
    m_gate.expect(replies, sharedBytes);
}

void ReplyParser::feed(const char *data, qsizetype size)
{
    if (size <= 0 || m_gate.failure() != ReplyGate::Failure::None || m_failed != Status::NeedMore)
        return;
    // What hiredis gets is this chunk with string bodies taken out, plus at most the end of a
    // line begun in the chunk before: room for it at once, not grown by doubling.
    QByteArray headers;
    headers.reserve(size + kCarriedLineRoom);
    m_gate.pass(data, size, &headers);
    if (!headers.isEmpty()) {
        redisReaderFeed(m_reader, headers.constData(), size_t(headers.size()));
        m_fedBytes += headers.size();
    }
}

ReplyParser::Status ReplyParser::next(RedisReply *reply)
{
    if (m_failed != Status::NeedMore)
        return m_failed;
    if (!m_gate.hasEnded())
        return noReplyYet();
    if (const std::optional<qint64> integer = m_gate.takeEnded()) {
        *reply = RedisReply::number(*integer);
        return Status::Reply;
    }
    void *raw = nullptr;
    const bool read = redisReaderGetReply(m_reader, &raw) == REDIS_OK;
    if (!read || !raw) {
        // The gate lets only well-formed RESP through and ended this reply; this is a last line
        // of defence.
        m_error = QStringLiteral("unreadable reply (%1)")
                      .arg(read ? QStringLiteral("no reply where the stream ended one")
                                : QString::fromLatin1(m_reader->errstr));
        m_failed = Status::ProtocolError;
        return m_failed;
    }
    std::unique_ptr<RedisReply> root(static_cast<RedisReply *>(raw));
    *reply = std::move(*root);
    *root = RedisReply{}; // nothing of this reply stays behind in the spare
    m_spareRoot = std::move(root);
    return Status::Reply;
}

ReplyParser::Status ReplyParser::noReplyYet()
{
    if (m_gate.failure() == ReplyGate::Failure::None) {
        releaseSpentReader();
        return Status::NeedMore;
    }
    m_error = m_gate.errorString();
    m_failed =
        m_gate.failure() == ReplyGate::Failure::TooLarge ? Status::TooLarge : Status::ProtocolError;
    return m_failed;
}

} // namespace qs::redis
