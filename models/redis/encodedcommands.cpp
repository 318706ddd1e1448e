#include "encodedcommands.h"

#include "readonlypolicy.h"
#include "respencoder.h"

namespace qs::redis {

namespace {

bool sameLimits(const ReplyLimits &a, const ReplyLimits &b)
{
    return a.command == b.command && a.kind == b.kind && a.maxBytes == b.maxBytes &&
           a.maxStringBytes == b.maxStringBytes && a.truncateStrings == b.truncateStrings;
}

} // namespace

EncodedCommands::EncodedCommands(const QList<RedisCommand> &commands, LargeStrings largeStrings)
{
    m_bytes = encodeCommands(commands);
    const QList<ReplyLimits> limits = pipelineReplyLimits(commands, largeStrings);
    for (const ReplyLimits &each : limits)
        appendLimits(each, 1);
    m_count = commands.size();
    for (const RedisCommand &command : commands) {
        if (!isReadOnlyCommand(command)) {
            m_firstWrite = command.value(0);
            break;
        }
    }
}

void EncodedCommands::append(const RedisCommand &command, LargeStrings largeStrings)
{
    appendCommand(m_bytes, command);
    appendLimits(replyLimitsFor(command, largeStrings), 1);
    ++m_count;
    if (m_firstWrite.isEmpty() && !isReadOnlyCommand(command))
        m_firstWrite = command.value(0);
}

void EncodedCommands::append(const EncodedCommands &more)
{
    if (more.isEmpty())
        return;
    if (isEmpty() && m_bytes.capacity() == 0) {
        *this = more; // shared, not copied
        return;
    }
    m_bytes.append(more.m_bytes);
    for (const LimitsRun &run : more.m_limits)
        appendLimits(run.limits, run.count);
    m_count += more.m_count;
    if (m_firstWrite.isEmpty())
        m_firstWrite = more.m_firstWrite;
}

void EncodedCommands::appendLimits(const ReplyLimits &limits, qsizetype count)
{
    if (!m_limits.isEmpty() && sameLimits(m_limits.constLast().limits, limits))
        m_limits.last().count += count;
    else
        m_limits.append({limits, count});
}

QList<ReplyLimits> EncodedCommands::replyLimits() const
{
    QList<ReplyLimits> all;
    all.reserve(m_count);
    for (const LimitsRun &run : m_limits) {
        for (qsizetype i = 0; i < run.count; ++i)
            all.append(run.limits);
    }
    return all;
}

} // namespace qs::redis
