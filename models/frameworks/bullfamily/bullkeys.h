#pragma once

#include "queues/queueadapter.h"

#include <QByteArrayView>
#include <QStringList>

#include <functional>
#include <optional>
#include <span>

namespace qs::queues {

// Key layout and reply reading shared by the BullMQ and Bull adapters: both keep a queue under
// "<prefix>:<name>:<suffix>" and share the default prefix.
namespace bullkeys {

// The prefix BullMQ and Bull use when a Queue is given none (their registry entries hand it out).
inline constexpr char kDefaultPrefix[] = "bull";

QByteArray queueKey(const QByteArray &prefix, const QByteArray &name, QByteArrayView suffix);
// Escapes SCAN MATCH glob characters (* ? [ ] \) so that a prefix is matched literally.
QByteArray globEscaped(const QByteArray &text);
// The <name> of "<prefix>:<name>:<suffix>"; nullopt when the key has another form, the name
// is empty, or (allowColon false) the name contains ':'.
std::optional<QByteArray> nameFromKey(const QByteArray &key, const QByteArray &prefix,
                                      QByteArrayView suffix, bool allowColon);

// Who owns a queue key base that both frameworks could have written. BullMQ writes
// meta.version / meta.opts.maxLenEvents with every Queue object and keeps an events stream;
// Bull writes neither (its meta hash, when present, only holds "paused").
enum class Owner { BullMQ, NotBullMQ, Unknown };
QList<redis::RedisCommand> ownershipReads(const QByteArray &prefix, const QByteArray &name);
// replies: one per command of ownershipReads(). Unknown when a read failed (e.g. NOPERM).
Owner owner(redis::ReplyRun replies);

// Reads count replies one by one; an error or an unexpected type yields no number and a note
// naming command and key. Repeats of one error on one command verb are folded.
class ReplyReader
{
public:
    // The commands are built only when a note needs them (an error): counting stays cheap.
    ReplyReader(std::function<QList<redis::RedisCommand>()> commands, redis::ReplyRun replies);
    std::optional<qint64> integer(int index);
    const redis::RedisReply *reply(int index); // nullptr (and a note) on an error reply
    void addNote(const QString &text) { m_extra.append(text); }
    QString note() const;

private:
    void failed(int index, const QByteArray &what);

    struct Folded
    {
        QByteArray what, verb;
        QString first;
        int more = 0;
    };

    std::function<QList<redis::RedisCommand>()> m_commands;
    std::optional<QList<redis::RedisCommand>> m_built;
    redis::ReplyRun m_replies; // read in place: they outlive the reader
    QList<Folded> m_notes;
    QStringList m_extra;
};

// A Bull-family queue's counts into `counts`: "waiting" as the sum of the replies at waitIndex
// and pausedIndex (left out when either was not read: half a sum would be made up; the reader
// notes why), then each state of `plain` once, in order, from the reply at its index.
void appendStateCounts(ReplyReader &reader, QList<QPair<QString, qint64>> &counts, int waitIndex,
                       int pausedIndex, std::span<const std::pair<QString, int>> plain);

} // namespace bullkeys

} // namespace qs::queues
