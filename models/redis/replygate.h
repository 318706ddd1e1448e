#pragma once

#include "replylimits.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <deque>
#include <functional>
#include <optional>

namespace qs::redis {

// The doorkeeper in front of hiredis: follows the RESP2 framing of the incoming bytes, checks
// every header against the reply's limits before anything is allocated, checks that each bulk
// string ends where its header said, and takes bulk string bodies out of the stream (copied
// once, into the QByteArray the reply will hold) so that hiredis only sees headers.
// hiredis receives "$0\r\n\r\n" for each string and the parser swaps the body back in, in order.
// A reply that is an integer alone (a poll's counts: most of its replies) is read here and never
// passed on: the gate lists the replies as they end, each either passed on or read here.
class ReplyGate
{
public:
    enum class Failure { None, Protocol, TooLarge };

    struct BulkString
    {
        QByteArray bytes;
        qint64 fullSize = 0; // as announced; more than bytes.size() when truncated
    };

    explicit ReplyGate(ReplyLimits unexpected);
    ReplyGate(const ReplyGate &) = delete; // m_limits may point into itself
    ReplyGate &operator=(const ReplyGate &) = delete;

    // Limits of the next replies, in runs in order; together they may take sharedBytes.
    // Replies beyond what was announced get the `unexpected` limits.
    void expect(const ReplyLimitsRuns &replies, qint64 sharedBytes);
    // Changes the limits of replies nobody announced (between replies: a subscriber's pushes).
    void setUnexpected(const ReplyLimits &limits) { m_unexpected = limits; }
    // Checks data and appends what hiredis should parse to *forHiredis. False once failed.
    bool pass(const char *data, qsizetype size, QByteArray *forHiredis);
    // The next string body, in stream order (for each "$N" with N >= 0 passed on).
    BulkString takeString();
    // The replies ended so far and not yet taken, in order: an integer reply read here, or
    // nullopt for a reply passed on whole to hiredis.
    bool hasEnded() const { return !m_ended.empty(); }
    std::optional<qint64> takeEnded();

    Failure failure() const { return m_failure; }
    QString errorString() const { return m_error; }

private:
    struct Group
    {
        ReplyLimitsRuns runs;
        qint64 sharedBytes = 0;
        qint64 used = 0;
        qsizetype run = 0;   // the run of the next reply
        qsizetype inRun = 0; // replies of that run already read
    };
    enum class State { Line, Body, BodyEnd };

    void onLine(QByteArrayView line, qsizetype after, QByteArray *out);
    void beginReply();
    void remember(QByteArrayView bytes);
    bool charge(qint64 bytes, const std::function<QString()> &what);
    qint64 remaining() const;
    void itemDone();
    // Protocol failures quote the offending bytes and where they start in the session.
    // inChunk: where the offending bytes start in the current chunk (for what came before).
    void fail(Failure failure, const QString &why, QByteArrayView offending, qint64 where,
              qsizetype inChunk = 0);

    ReplyLimits m_unexpected;
    std::deque<Group> m_groups;
    std::deque<BulkString> m_strings;
    std::deque<std::optional<qint64>> m_ended; // see takeEnded()
    std::optional<qint64> m_integerReply;      // the reply being read is this integer alone
    // Of the reply being read: m_unexpected or an entry of m_groups.front() (valid while the
    // reply is read; the group is dropped only after its last reply).
    const ReplyLimits *m_limits = &m_unexpected;
    bool m_inReply = false;      // a top-level reply has begun and not ended
    bool m_replyInGroup = false; // it is the next reply of m_groups.front()
    qint64 m_replyUsed = 0;
    QList<qint64> m_openArrays; // elements still owed by each open array, outermost first
    State m_state = State::Line;
    QByteArray m_line;        // the header or simple line being read, with its type byte
    qint64 m_bodyLeft = 0;    // bytes of the current string body still to come
    qint64 m_keepLeft = 0;    // of which the reply keeps
    int m_terminatorSeen = 0; // bytes of the CRLF after a string body
    qint64 m_offset = 0;      // bytes of the session before the current chunk
    QByteArray m_recent;      // the last bytes of earlier chunks, for quoting an error
    QByteArrayView m_chunk;   // the chunk pass() is reading
    Failure m_failure = Failure::None;
    QString m_error;
};

} // namespace qs::redis
