#include "respencoder.h"

namespace qs::redis {

namespace {

void appendHeader(QByteArray &out, char marker, qsizetype count)
{
    out.append(marker);
    out.append(QByteArray::number(count));
    out.append("\r\n", 2);
}

qsizetype encodedSize(const RedisCommand &command)
{
    qsizetype size = 16;
    for (const QByteArray &arg : command)
        size += arg.size() + 16;
    return size;
}

} // namespace

void appendCommand(QByteArray &out, const RedisCommand &command)
{
    appendHeader(out, '*', command.size());
    for (const QByteArray &arg : command) {
        appendHeader(out, '$', arg.size());
        out.append(arg);
        out.append("\r\n", 2);
    }
}

QByteArray encodeCommands(const QList<RedisCommand> &commands)
{
    qsizetype size = 0;
    for (const RedisCommand &command : commands)
        size += encodedSize(command);
    QByteArray out;
    out.reserve(size);
    for (const RedisCommand &command : commands)
        appendCommand(out, command);
    return out;
}

} // namespace qs::redis
