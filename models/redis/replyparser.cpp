#include "replyparser.h"

#include <hiredis/hiredis.h>

namespace qs::redis {

namespace {

RedisReply convert(const redisReply *r)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.append(convert(r->element[i]));
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

QString printable(const QByteArray &bytes)
{
    QString out;
    for (char c : bytes.left(40)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace

ReplyParser::ReplyParser()
    : m_reader(redisReaderCreate())
{
}

ReplyParser::~ReplyParser()
{
    redisReaderFree(m_reader);
}

void ReplyParser::feed(const char *data, qsizetype size)
{
    if (m_firstBytes.size() < 64)
        m_firstBytes.append(data, qMin<qsizetype>(size, 64 - m_firstBytes.size()));
    if (size > 0 && m_error.isEmpty())
        redisReaderFeed(m_reader, data, size_t(size));
}

ReplyParser::Status ReplyParser::next(RedisReply *reply)
{
    if (!m_error.isEmpty())
        return Status::ProtocolError;
    void *raw = nullptr;
    if (redisReaderGetReply(m_reader, &raw) != REDIS_OK) {
        m_error = QStringLiteral("%1 (received \"%2\")")
                      .arg(QString::fromLatin1(m_reader->errstr), printable(m_firstBytes));
        return Status::ProtocolError;
    }
    if (!raw)
        return Status::NeedMore;
    *reply = convert(static_cast<redisReply *>(raw));
    freeReplyObject(raw);
    return Status::Reply;
}

} // namespace qs::redis
