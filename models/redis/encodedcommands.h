#pragma once

#include "replylimits.h"

namespace qs::redis {

class EncodedTemplate;

// Commands encoded once as RESP, with the limits of their replies, and sent as they are
// (RedisConnection::pipeline). A poll's count commands are the same on every tick: QueueMonitor
// keeps them encoded per queue, so that a server of 10,000 queues does not build, copy, encode
// and free 90,000 commands on every poll.
class EncodedCommands
{
public:
    EncodedCommands() = default;
    explicit EncodedCommands(const QList<RedisCommand> &commands,
                             LargeStrings largeStrings = LargeStrings::Refuse);

    void append(const RedisCommand &command, LargeStrings largeStrings = LargeStrings::Refuse);
    void append(const EncodedCommands &more);
    // The commands of `shape` with `name` written in at each of its places.
    void append(const EncodedTemplate &shape, QByteArrayView name);
    void reserve(qsizetype bytes) { m_bytes.reserve(bytes); }
    // Frees the room left by growth: for commands kept for as long as their queue is watched.
    void squeeze();

    qsizetype size() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    const QByteArray &bytes() const { return m_bytes; }
    // The name of the first command that writes (a read-only profile refuses the pipeline),
    // empty when every command only reads.
    const QByteArray &firstWrite() const { return m_firstWrite; }
    // The limits of the replies, in order, in runs (what the transport's reply gate expects).
    ReplyLimitsRuns replyLimits() const;

private:
    friend class EncodedTemplate;
    struct LimitsRun // consecutive commands of the same word share one record
    {
        const ReplyLimits *limits = nullptr; // interned: one record per word, never freed
        qsizetype count = 0;
    };
    void appendLimits(const ReplyLimits *limits, qsizetype count);
    // What `more` adds besides its bytes: its replies' limits, its count, its first write.
    void appendAccountOf(const EncodedCommands &more);

    QByteArray m_bytes;
    QList<LimitsRun> m_limits;
    qsizetype m_count = 0;
    QByteArray m_firstWrite;
};

// Commands that differ from one queue to the next only by the queue's name in their arguments
// (a framework's count commands: LLEN bull:<name>:wait, ...): built once with a placeholder for
// the name, encoded around it, and written for a queue by EncodedCommands::append(shape, name).
// A server of 10,000 queues keeps one shape per framework and prefix instead of each queue's
// commands (840 bytes a BullMQ queue).
class EncodedTemplate
{
public:
    // `commands` as built for a queue named `placeholder` (bytes no queue name holds).
    EncodedTemplate(const QList<RedisCommand> &commands, QByteArrayView placeholder,
                    LargeStrings largeStrings = LargeStrings::Refuse);

    qsizetype size() const { return m_shape.size(); }
    // The commands for a queue named `name`, encoded.
    EncodedCommands filledIn(QByteArrayView name) const;

private:
    friend class EncodedCommands;
    // RESP that holds no name, or one argument: its parts around each place of the name.
    struct Segment
    {
        QByteArray literal;
        QList<QByteArray> parts; // at least two when the segment is an argument
    };
    QList<Segment> m_segments;
    EncodedCommands m_shape; // as built with the placeholder: the replies' limits, the first write
};

} // namespace qs::redis
