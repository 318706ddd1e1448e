#pragma once

#include "redisreply.h"
#include "replygate.h"

#include <QString>

#include <memory>

struct redisReader;

namespace qs::redis {

// Incremental RESP2 parser: feed bytes as they arrive, in chunks of any size, and take complete
// replies out in order. A ReplyGate checks each reply against its limits before anything is
// buffered and hands string bodies over without copying them twice; hiredis's redisReader
// builds the RedisReply values. After an error the stream cannot be resynchronised: the caller
// drops the connection and uses a new parser.
class ReplyParser
{
public:
    // `unexpected`: the limits of replies nobody announced with expect() (generous by default,
    // for tests and tools that feed bytes without a request).
    explicit ReplyParser(ReplyLimits unexpected = {});
    ~ReplyParser();
    ReplyParser(const ReplyParser &) = delete;
    ReplyParser &operator=(const ReplyParser &) = delete;

    enum class Status { NeedMore, Reply, ProtocolError, TooLarge };

    // The limits of the next replies, in order, sharing sharedBytes (see ReplyGate::expect).
    void expect(const ReplyLimitsRuns &replies, qint64 sharedBytes);
    void setUnexpectedLimits(const ReplyLimits &limits) { m_gate.setUnexpected(limits); }
    void feed(const char *data, qsizetype size);
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }
    // Replies complete before an error are still returned, then the error.
    Status next(RedisReply *reply);
    // What went wrong: for protocol errors with a printable quote of the offending bytes and
    // where they are in the stream; for limits, what was announced and which limit it broke.
    QString errorString() const { return m_error; }

private:
    friend struct ReplyBuilder;
    static redisReader *createReader(ReplyParser *owner);
    // hiredis keeps its read buffer at the largest size it grew to until a later feed finds it
    // empty: between polls each of an exporter's 50 connections held the room of its last
    // poll's replies (2 MB in all). Once nothing is pending and at least kSpentReaderBytes were
    // fed to it (a poll of 200 queues feeds about 8 KB of headers), the reader is made again,
    // which frees that room now; one small allocation per poll.
    void releaseSpentReader();
    // next() when no reply has ended: more bytes are needed, or the gate's failure.
    Status noReplyYet();
    static constexpr qsizetype kSpentReaderBytes = 4 * 1024;
    // Room in each feed's buffer for hiredis for a reply line begun in the chunk before.
    static constexpr qsizetype kCarriedLineRoom = 64;
    ReplyGate m_gate;
    redisReader *m_reader = nullptr;
    qsizetype m_fedBytes = 0; // to m_reader since it was made
    QString m_error;
    Status m_failed = Status::NeedMore; // the error status once failed
    // The last root reply handed back by next(), emptied, for the next root: one allocation less
    // per reply (a poll reads thousands). hiredis owns a root while it builds it (and deletes it
    // on an error); next() takes it back.
    std::unique_ptr<RedisReply> m_spareRoot;
};

} // namespace qs::redis
