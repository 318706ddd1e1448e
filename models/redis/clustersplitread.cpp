#include "clustersplitread.h"

#include "clusterslot.h"

#include <QMap>

#include <algorithm>

namespace qs::redis {

namespace {

std::optional<SplitRead::Join> joinOf(const QByteArray &name)
{
    if (name.compare("MGET", Qt::CaseInsensitive) == 0)
        return SplitRead::Join::ByPosition;
    if (name.compare("EXISTS", Qt::CaseInsensitive) == 0)
        return SplitRead::Join::Sum;
    return std::nullopt;
}

bool mayBeSplit(const NodeCommand &command)
{
    return command.node.isEmpty() && command.command.size() >= 3 &&
           joinOf(command.command.first()).has_value();
}

RedisReply malformedPart(const RedisCommand &part)
{
    return RedisReply::error("ERR the reply to " + part.value(0) + " over " +
                             QByteArray::number(part.size() - 1) +
                             " keys of one cluster slot did not have the expected shape");
}

} // namespace

std::optional<SplitRead> splitCrossSlotRead(const RedisCommand &command)
{
    if (command.size() < 3)
        return std::nullopt;
    const std::optional<SplitRead::Join> join = joinOf(command.first());
    if (!join)
        return std::nullopt;
    QMap<int, qsizetype> partOfSlot; // parts in the order of their slots: deterministic
    SplitRead split;
    split.join = *join;
    split.keyCount = command.size() - 1;
    for (qsizetype i = 1; i < command.size(); ++i) {
        const int slot = keyHashSlot(command.at(i));
        auto it = partOfSlot.find(slot);
        if (it == partOfSlot.end()) {
            it = partOfSlot.insert(slot, split.parts.size());
            split.parts.append(RedisCommand{command.first()});
            split.positions.append(QList<qsizetype>());
        }
        split.parts[*it].append(command.at(i));
        split.positions[*it].append(i - 1);
    }
    if (split.parts.size() < 2)
        return std::nullopt;
    return split;
}

RedisReply joinSplitRead(const SplitRead &split, const QList<RedisReply> &partReplies)
{
    QList<RedisReply> values(split.join == SplitRead::Join::ByPosition ? split.keyCount : 0);
    qint64 sum = 0;
    for (qsizetype p = 0; p < split.parts.size(); ++p) {
        const RedisReply reply = partReplies.value(p);
        if (reply.isError())
            return reply;
        const QList<qsizetype> &positions = split.positions.at(p);
        if (split.join == SplitRead::Join::Sum) {
            if (!reply.isInteger())
                return malformedPart(split.parts.at(p));
            sum += reply.integer;
            continue;
        }
        if (!reply.isArray() || reply.elements.size() != positions.size())
            return malformedPart(split.parts.at(p));
        for (qsizetype k = 0; k < positions.size(); ++k)
            values[positions.at(k)] = reply.elements.at(k);
    }
    return split.join == SplitRead::Join::Sum ? RedisReply::number(sum)
                                              : RedisReply::array(std::move(values));
}

std::optional<SplitPipeline> splitCrossSlotReads(const QList<NodeCommand> &commands)
{
    if (std::none_of(commands.cbegin(), commands.cend(), mayBeSplit))
        return std::nullopt;
    SplitPipeline split;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const NodeCommand &command = commands.at(i);
        split.firstOf.append(split.commands.size());
        std::optional<SplitRead> read =
            mayBeSplit(command) ? splitCrossSlotRead(command.command) : std::nullopt;
        if (!read) {
            split.commands.append(command);
            continue;
        }
        for (const RedisCommand &part : std::as_const(read->parts))
            split.commands.append({QString(), part});
        split.reads.insert(i, *std::move(read));
    }
    if (split.reads.isEmpty())
        return std::nullopt;
    return split;
}

QList<RedisReply> joinSplitReplies(const SplitPipeline &split, const QList<RedisReply> &replies)
{
    QList<RedisReply> joined;
    joined.reserve(split.firstOf.size());
    for (qsizetype i = 0; i < split.firstOf.size(); ++i) {
        const qsizetype first = split.firstOf.at(i);
        const auto read = split.reads.constFind(i);
        if (read == split.reads.cend()) {
            joined.append(replies.value(first));
            continue;
        }
        joined.append(joinSplitRead(*read, replies.mid(first, read->parts.size())));
    }
    return joined;
}

} // namespace qs::redis
