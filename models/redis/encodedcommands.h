#pragma once

#include "replylimits.h"

namespace qs::redis {

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
    void reserve(qsizetype bytes) { m_bytes.reserve(bytes); }
    // Frees the room left by growth: for commands kept for as long as their queue is watched.
    void squeeze();

    qsizetype size() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    const QByteArray &bytes() const { return m_bytes; }
    // The name of the first command that writes (a read-only profile refuses the pipeline),
    // empty when every command only reads.
    const QByteArray &firstWrite() const { return m_firstWrite; }
    // One entry per command, in order (what the transport's reply gate expects).
    QList<ReplyLimits> replyLimits() const;

private:
    struct LimitsRun // consecutive commands of the same word share one record
    {
        const ReplyLimits *limits = nullptr; // interned: one record per word, never freed
        qsizetype count = 0;
    };
    void appendLimits(const ReplyLimits *limits, qsizetype count);

    QByteArray m_bytes;
    QList<LimitsRun> m_limits;
    qsizetype m_count = 0;
    QByteArray m_firstWrite;
};

} // namespace qs::redis
