#pragma once

#include "nodecommand.h"
#include "redisreply.h"

#include <QHash>

#include <optional>

namespace qs::redis {

// A read over keys on several cluster slots (MGET, EXISTS), which no single node can run,
// split into one command per slot; each is routed to the node owning its slot and their replies
// are joined into the reply the one command would have given. Only reads are split: a write over
// several slots (DEL, MSET, ...) stays refused, since its parts would not be atomic together.
struct SplitRead
{
    enum class Join { ByPosition, Sum }; // MGET: values in key order; EXISTS: a count

    Join join = Join::ByPosition;
    qsizetype keyCount = 0;
    QList<RedisCommand> parts;
    QList<QList<qsizetype>> positions; // for each part, where its keys were in the command
};

// The split of `command`, or nothing when it is not a splittable read or its keys share a slot.
std::optional<SplitRead> splitCrossSlotRead(const RedisCommand &command);

// The one command's reply from its parts' replies (in the order of SplitRead::parts). A part that
// failed makes the whole reply that error, as one command would have failed.
RedisReply joinSplitRead(const SplitRead &split, const QList<RedisReply> &partReplies);

// A pipeline whose cross-slot reads are split: `commands` is what goes to the nodes; the replies
// to them are joined back into one per command of the pipeline as it was submitted.
struct SplitPipeline
{
    QList<NodeCommand> commands;
    QList<qsizetype> firstOf;          // each submitted command's first index in `commands`
    QHash<qsizetype, SplitRead> reads; // by submitted index: the commands that were split
};

// Nothing when no command of the pipeline is a cross-slot read (the usual case, checked without
// allocating). Commands pinned to a node are never split: they ask that node.
std::optional<SplitPipeline> splitCrossSlotReads(const QList<NodeCommand> &commands);

// One reply per submitted command from the replies to SplitPipeline::commands.
QList<RedisReply> joinSplitReplies(const SplitPipeline &split, const QList<RedisReply> &replies);

} // namespace qs::redis
