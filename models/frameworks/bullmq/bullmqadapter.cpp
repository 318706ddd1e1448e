#include "bullmqadapter.h"

#include "frameworks/bullfamily/bullkeys.h"

namespace qs::queues {

namespace {

// countCommands() order; parseCounts() relies on it.
enum BullMqCount {
    Wait,
    LegacyPaused,
    Active,
    Prioritized,
    Delayed,
    Completed,
    Failed,
    WaitingChildren,
    Meta,
    CommandCount
};
static_assert(CommandCount == 9, "keep in step with countCommands()");

} // namespace

// Every `new Queue()` (and every add/finish script) writes <q>:meta, so it finds idle queues.
// BullMQ rejects ':' in queue names, so "bull:a:b:meta" is no BullMQ queue of "bull" (it may be
// one of the prefix "bull:a", or a job hash with the custom id "meta").
BullMqAdapter::BullMqAdapter(QByteArray prefix)
    : BullFamilyAdapter(std::move(prefix), {"meta", "hash", false})
{
}

QList<redis::RedisCommand> BullMqAdapter::confirmCommands(const QueueRef &candidate) const
{
    return bullkeys::ownershipReads(candidate.prefix, candidate.name);
}

bool BullMqAdapter::confirmQueue(const QueueRef &candidate,
                                 const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(candidate);
    // A paused Bull queue's meta hash (only "paused") is rejected here. When the reads are not
    // allowed (ACL) the queue is shown anyway: a key "<p>:<q>:meta" of type hash is strong enough
    // evidence, and hiding a queue is worse than showing one the counts will then flag.
    return bullkeys::owner(replies) != bullkeys::Owner::NotBullMQ;
}

QList<redis::RedisCommand> BullMqAdapter::countCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs);
    auto key = [&queue](QByteArrayView suffix) {
        return bullkeys::queueKey(queue.prefix, queue.name, suffix);
    };
    // "paused" is the list BullMQ < 6 RENAMEs "wait" to while paused. It is read on every poll
    // because meta.version only names the last client that constructed a Queue: with v5 clients
    // still running, a v6-looking queue can hold its waiting jobs there.
    // Kept for every queue (QueueMonitor's cache): the constant words are static data.
    static const QByteArray llen = QByteArrayLiteral("LLEN"), zcard = QByteArrayLiteral("ZCARD"),
                            hmget = QByteArrayLiteral("HMGET"),
                            paused = QByteArrayLiteral("paused"),
                            version = QByteArrayLiteral("version");
    return {
        {llen, key("wait")},
        {llen, key("paused")},
        {llen, key("active")},
        {zcard, key("prioritized")},
        {zcard, key("delayed")},
        {zcard, key("completed")},
        {zcard, key("failed")},
        {zcard, key("waiting-children")},
        {hmget, key("meta"), paused, version},
    };
}

namespace {

// The queues of a server mostly run one version: the string of the last one read, shared by the
// next equal one, instead of one converted for each queue on each poll.
QString versionOf(const QByteArray &bytes)
{
    thread_local QByteArray lastBytes;
    thread_local QString last;
    if (bytes != lastBytes || lastBytes.isNull() != bytes.isNull()) {
        lastBytes = bytes;
        last = QString::fromUtf8(bytes);
    }
    return last;
}

} // namespace

QueueCounts BullMqAdapter::parseCounts(const QueueRef &queue, redis::ReplyRun replies) const
{
    QueueCounts counts;
    counts.queue = queue;
    bullkeys::ReplyReader reader([this, &queue] { return countCommands(queue, 0); }, replies);
    if (replies.size() != CommandCount) {
        counts.note = QStringLiteral("expected %1 replies to the BullMQ counts, got %2")
                          .arg(int(CommandCount))
                          .arg(replies.size());
        return counts;
    }
    static const std::pair<QString, int> plain[] = {
        {QStringLiteral("active"), Active},
        {QStringLiteral("delayed"), Delayed},
        {QStringLiteral("prioritized"), Prioritized},
        {QStringLiteral("completed"), Completed},
        {QStringLiteral("failed"), Failed},
        {QStringLiteral("waiting-children"), WaitingChildren},
    };
    bullkeys::appendStateCounts(reader, counts.counts, Wait, LegacyPaused, plain);
    if (const redis::RedisReply *meta = reader.reply(Meta)) {
        if (meta->isArray() && meta->elements.size() == 2) {
            // BullMQ's isPaused() is HEXISTS meta paused: any value means paused.
            counts.paused = !meta->elements.at(0).isNil();
            counts.version = versionOf(meta->elements.at(1).string);
        } else {
            reader.addNote(QStringLiteral("unexpected reply to HMGET meta"));
        }
    }
    counts.note = reader.note();
    return counts;
}

const QList<QPair<QString, UnifiedState>> &BullMqAdapter::states() const
{
    static const QList<QPair<QString, UnifiedState>> states{
        {QStringLiteral("waiting"), UnifiedState::Waiting},
        {QStringLiteral("active"), UnifiedState::Active},
        {QStringLiteral("delayed"), UnifiedState::Delayed},
        {QStringLiteral("prioritized"), UnifiedState::Prioritized},
        {QStringLiteral("completed"), UnifiedState::Completed},
        {QStringLiteral("failed"), UnifiedState::Failed},
        {QStringLiteral("waiting-children"), UnifiedState::Other},
    };
    return states;
}

QList<redis::RedisCommand> BullMqAdapter::existenceCommands(const QueueRef &queue) const
{
    // meta is written by every Queue constructor and every add/finish script and outlives the
    // jobs; its BullMQ fields (or the events stream) tell it from a paused Bull queue's meta.
    return bullkeys::ownershipReads(queue.prefix, queue.name);
}

bool BullMqAdapter::queueExists(const QueueRef &queue,
                                const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(queue);
    return bullkeys::owner(replies) == bullkeys::Owner::BullMQ;
}

} // namespace qs::queues
