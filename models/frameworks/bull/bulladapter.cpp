#include "bulladapter.h"

#include "frameworks/bullfamily/bullkeys.h"

namespace qs::queues {

namespace {

// countCommands() order; parseCounts() relies on it.
enum BullCount { Wait, Paused, Active, Delayed, Completed, Failed, MetaPaused, CommandCount };
static_assert(CommandCount == 7, "keep in step with countCommands()");

// confirmCommands() order: the id counter's type, bullkeys::ownershipReads() (2 replies), and
// how many of Bull's state keys exist.
enum BullConfirm { IdType, OwnerMeta, OwnerEvents, StateKeys, ConfirmCount };

} // namespace

// <q>:id is INCRed by every add and never deleted by Bull (only obliterate removes it), so it
// finds idle queues whose jobs were all removed. Bull does not forbid ':' in queue names; such
// names are confirmed more strictly (confirmQueue).
BullAdapter::BullAdapter(QByteArray prefix)
    : BullFamilyAdapter(std::move(prefix), {"id", "string", true})
{
}

QList<redis::RedisCommand> BullAdapter::confirmCommands(const QueueRef &candidate) const
{
    auto key = [&candidate](QByteArrayView suffix) {
        return bullkeys::queueKey(candidate.prefix, candidate.name, suffix);
    };
    QList<redis::RedisCommand> reads{{"TYPE", key("id")}};
    reads += bullkeys::ownershipReads(candidate.prefix, candidate.name);
    reads.append({"EXISTS", key("wait"), key("paused"), key("active"), key("delayed"),
                  key("completed"), key("failed"), key("priority"), key("meta-paused")});
    return reads;
}

bool BullAdapter::confirmQueue(const QueueRef &candidate,
                               const QList<redis::RedisReply> &replies) const
{
    if (replies.size() != ConfirmCount)
        return false;
    // Without SCAN ... TYPE (Redis 5) the pattern also matched hashes such as a job with the
    // custom id "id"; the counter is a string.
    const redis::RedisReply &idType = replies.at(IdType);
    if (!idType.isError() && idType.string != "string")
        return false;
    // BullMQ queues (meta.version, meta.opts.maxLenEvents or an events stream) belong to
    // BullMqAdapter. When the reads are refused (ACL), the queue is shown rather than hidden.
    if (bullkeys::owner(replies.mid(OwnerMeta, 2)) == bullkeys::Owner::BullMQ)
        return false;
    // A name with ':' may be a deeper key that merely ends in ":id" (BullMQ's dedup key
    // "<q>:de:<id>", a key of a longer prefix): require some Bull state key next to it.
    const redis::RedisReply &stateKeys = replies.at(StateKeys);
    if (candidate.name.contains(':') && stateKeys.isInteger() && stateKeys.integer == 0)
        return false;
    return true;
}

QList<redis::RedisCommand> BullAdapter::countCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs);
    auto key = [&queue](QByteArrayView suffix) {
        return bullkeys::queueKey(queue.prefix, queue.name, suffix);
    };
    // Prioritized jobs are inside "wait" (Bull LINSERTs them; <q>:priority is only an index),
    // so they are not counted again. While paused, "wait" has been RENAMEd to "paused".
    return {
        {"LLEN", key("wait")},          {"LLEN", key("paused")},     {"LLEN", key("active")},
        {"ZCARD", key("delayed")},      {"ZCARD", key("completed")}, {"ZCARD", key("failed")},
        {"EXISTS", key("meta-paused")},
    };
}

QueueCounts BullAdapter::parseCounts(const QueueRef &queue, redis::ReplyRun replies) const
{
    QueueCounts counts;
    counts.queue = queue;
    bullkeys::ReplyReader reader([this, &queue] { return countCommands(queue, 0); }, replies);
    if (replies.size() != CommandCount) {
        counts.note = QStringLiteral("expected %1 replies to the Bull counts, got %2")
                          .arg(int(CommandCount))
                          .arg(replies.size());
        return counts;
    }
    // Bull's own getJobCounts() shows "paused" apart; the unified vocabulary has one waiting
    // number and a paused flag, and a job in "paused" waits just like one in "wait".
    static const std::pair<QString, int> plain[] = {
        {QStringLiteral("active"), Active},
        {QStringLiteral("delayed"), Delayed},
        {QStringLiteral("completed"), Completed},
        {QStringLiteral("failed"), Failed},
    };
    bullkeys::appendStateCounts(reader, counts.counts, Wait, Paused, plain);
    counts.paused = reader.integer(MetaPaused).value_or(0) > 0;
    counts.note = reader.note();
    return counts;
}

const QList<QPair<QString, UnifiedState>> &BullAdapter::states() const
{
    static const QList<QPair<QString, UnifiedState>> states{
        {QStringLiteral("waiting"), UnifiedState::Waiting},
        {QStringLiteral("active"), UnifiedState::Active},
        {QStringLiteral("delayed"), UnifiedState::Delayed},
        {QStringLiteral("completed"), UnifiedState::Completed},
        {QStringLiteral("failed"), UnifiedState::Failed},
    };
    return states;
}

QList<redis::RedisCommand> BullAdapter::existenceCommands(const QueueRef &queue) const
{
    return confirmCommands(queue);
}

bool BullAdapter::queueExists(const QueueRef &queue, const QList<redis::RedisReply> &replies) const
{
    // The id counter outlives every job (only obliterate removes it); a state key will do for
    // a queue whose counter was deleted. A BullMQ queue of the same name is not a Bull one.
    if (replies.size() != ConfirmCount || !confirmQueue(queue, replies))
        return false;
    const redis::RedisReply &stateKeys = replies.at(StateKeys);
    return replies.at(IdType).string == "string" ||
           (stateKeys.isInteger() && stateKeys.integer > 0);
}

} // namespace qs::queues
