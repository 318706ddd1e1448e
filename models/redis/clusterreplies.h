#pragma once

#include "redisreply.h"

#include <QString>

namespace qs::redis {

// A cluster redirection in an error reply: "MOVED 3999 127.0.0.1:6381" / "ASK ...".
struct Redirection
{
    enum class Kind { None, Moved, Ask };
    Kind kind = Kind::None;
    int slot = -1;
    QString address;
};
Redirection redirectionOf(const RedisReply &reply);

// The error reply a user sees instead of a raw cluster error (MOVED/ASK after the one retry,
// CROSSSLOT, TRYAGAIN, CLUSTERDOWN): what happened in words; other replies unchanged.
RedisReply explainedClusterReply(const RedisReply &reply, const RedisCommand &command);

// The error reply for a command whose keys lie on several slots (it is never sent).
RedisReply crossSlotReply(const RedisCommand &command);

// The one sentence for a node the cluster announces at an address QueueScope cannot reach.
QString unreachableNodeProblem(const QString &address, const QString &announced,
                               const QString &why);
// Whether `reply` is the error a command pinned to an unreachable node answers with (the
// sentence above), rather than the node's own.
bool isUnreachableNodeReply(const RedisReply &reply);

} // namespace qs::redis
