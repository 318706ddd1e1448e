#include "encodedcommands.h"

#include "readonlypolicy.h"
#include "respencoder.h"

#include "core/bytesplit.h"

#include <QMutex>

#include <map>
#include <tuple>

namespace qs::redis {

namespace {

// The limits of a command's reply, one record per distinct (name, kind), kept for the life of the
// process (std::map: a record stays where it is): a run of commands holds a pointer, copied and
// compared as one. The names are the product's own words (the poll's counts), a few dozen; past
// kMaxInterned distinct records a command shares its kind's record under the name "reply" (the same
// limits, a vaguer message).
const ReplyLimits *internedLimits(const RedisCommand &command, LargeStrings largeStrings)
{
    constexpr size_t kMaxInterned = 512;
    using Key = std::tuple<QByteArray, QString, bool>; // name, kind, truncated
    static QMutex mutex;
    // Never destroyed: a pipeline may still be written while the process exits.
    static auto *interned = new std::map<Key, ReplyLimits>;
    ReplyLimits limits = replyLimitsFor(command, largeStrings);
    Key key{limits.command, limits.kind, limits.truncateStrings};
    const QMutexLocker lock(&mutex);
    if (const auto found = interned->find(key); found != interned->end())
        return &found->second;
    if (interned->size() >= kMaxInterned) {
        limits.command = QByteArrayLiteral("reply");
        std::get<0>(key) = limits.command;
    }
    return &interned->try_emplace(std::move(key), std::move(limits)).first->second;
}

} // namespace

EncodedCommands::EncodedCommands(const QList<RedisCommand> &commands, LargeStrings largeStrings)
{
    m_bytes.reserve(commands.size() * 48);
    for (const RedisCommand &command : commands)
        append(command, largeStrings);
}

void EncodedCommands::append(const RedisCommand &command, LargeStrings largeStrings)
{
    appendCommand(m_bytes, command);
    appendLimits(internedLimits(command, largeStrings), 1);
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
    appendAccountOf(more);
}

void EncodedCommands::appendAccountOf(const EncodedCommands &more)
{
    for (const LimitsRun &run : more.m_limits)
        appendLimits(run.limits, run.count);
    m_count += more.m_count;
    if (m_firstWrite.isEmpty())
        m_firstWrite = more.m_firstWrite;
}

void EncodedCommands::append(const EncodedTemplate &shape, QByteArrayView name)
{
    for (const EncodedTemplate::Segment &segment : shape.m_segments) {
        if (segment.parts.isEmpty())
            m_bytes.append(segment.literal);
        else
            appendArgument(m_bytes, segment.parts, name);
    }
    appendAccountOf(shape.m_shape);
}

void EncodedCommands::squeeze()
{
    m_bytes.squeeze();
    m_limits.squeeze();
}

void EncodedCommands::appendLimits(const ReplyLimits *limits, qsizetype count)
{
    if (!m_limits.isEmpty() && m_limits.constLast().limits == limits)
        m_limits.last().count += count;
    else
        m_limits.append({limits, count});
}

ReplyLimitsRuns EncodedCommands::replyLimits() const
{
    ReplyLimitsRuns runs;
    runs.reserve(m_limits.size());
    for (const LimitsRun &run : m_limits)
        runs.append({*run.limits, run.count});
    return runs;
}

EncodedTemplate::EncodedTemplate(const QList<RedisCommand> &commands, QByteArrayView placeholder,
                                 LargeStrings largeStrings)
    : m_shape(commands, largeStrings)
{
    Q_ASSERT(!placeholder.isEmpty());
    const auto literal = [this]() -> QByteArray & {
        if (m_segments.isEmpty() || !m_segments.constLast().parts.isEmpty())
            m_segments.append(Segment{});
        return m_segments.last().literal;
    };
    for (const RedisCommand &command : commands) {
        appendArrayHeader(literal(), command.size());
        for (const QByteArray &arg : command) {
            QList<QByteArray> parts = core::splitOn(arg, placeholder);
            if (parts.size() == 1)
                appendArgument(literal(), parts, {});
            else
                m_segments.append(Segment{{}, std::move(parts)});
        }
    }
    for (Segment &segment : m_segments)
        segment.literal.squeeze();
    m_shape.m_bytes.clear(); // only its limits, count and first write are read
    m_shape.m_bytes.squeeze();
}

EncodedCommands EncodedTemplate::filledIn(QByteArrayView name) const
{
    EncodedCommands commands;
    commands.append(*this, name);
    return commands;
}

} // namespace qs::redis
