#include "respencoder.h"

#include <charconv>
#include <cstring>

namespace qs::redis {

namespace {

// Room for "*<count>\r\n" / "$<length>\r\n": a marker, at most 19 digits, CR LF.
constexpr qsizetype kHeaderRoom = 24;

// Writes "*3\r\n" / "$5\r\n" at `at`, formatted in place: a poll encodes thousands of these
// (QByteArray::number allocated a buffer for each one, QByteArray::append checked aliasing).
char *writeHeader(char *at, char marker, qsizetype count)
{
    *at++ = marker;
    at = std::to_chars(at, at + kHeaderRoom - 3, count).ptr;
    *at++ = '\r';
    *at++ = '\n';
    return at;
}

qsizetype encodedSizeBound(const RedisCommand &command)
{
    qsizetype size = kHeaderRoom;
    for (const QByteArray &arg : command)
        size += kHeaderRoom + arg.size() + 2;
    return size;
}

char *writeCommand(char *at, const RedisCommand &command)
{
    at = writeHeader(at, '*', command.size());
    for (const QByteArray &arg : command) {
        at = writeHeader(at, '$', arg.size());
        if (!arg.isEmpty())
            std::memcpy(at, arg.constData(), size_t(arg.size()));
        at += arg.size();
        *at++ = '\r';
        *at++ = '\n';
    }
    return at;
}

} // namespace

void appendCommand(QByteArray &out, const RedisCommand &command)
{
    const qsizetype start = out.size();
    out.resize(start + encodedSizeBound(command));
    out.truncate(writeCommand(out.data() + start, command) - out.constData());
}

void appendArrayHeader(QByteArray &out, qsizetype count)
{
    const qsizetype start = out.size();
    out.resize(start + kHeaderRoom);
    out.truncate(writeHeader(out.data() + start, '*', count) - out.constData());
}

void appendArgument(QByteArray &out, const QList<QByteArray> &parts, QByteArrayView name)
{
    qsizetype length = name.size() * qMax<qsizetype>(0, parts.size() - 1);
    for (const QByteArray &part : parts)
        length += part.size();
    const qsizetype start = out.size();
    out.resize(start + kHeaderRoom + length + 2);
    char *at = writeHeader(out.data() + start, '$', length);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0)
            at = std::copy(name.cbegin(), name.cend(), at);
        at = std::copy(parts.at(i).cbegin(), parts.at(i).cend(), at);
    }
    *at++ = '\r';
    *at++ = '\n';
    out.truncate(at - out.constData());
}

QByteArray encodeCommands(const QList<RedisCommand> &commands)
{
    qsizetype size = 0;
    for (const RedisCommand &command : commands)
        size += encodedSizeBound(command);
    QByteArray out(size, Qt::Uninitialized);
    char *at = out.data();
    for (const RedisCommand &command : commands)
        at = writeCommand(at, command);
    out.truncate(at - out.constData());
    return out;
}

} // namespace qs::redis
