#pragma once

#include "redisreply.h"

#include <QMetaType>
#include <QString>

namespace qs::redis {

// One command and where it goes: `node` ("host:port" of the topology) pins it to that node;
// empty sends it where its key's slot lives (keyless commands: to a master). Pinned commands ask
// about that node: when it cannot be reached they answer with an error reply saying so (see
// unreachableNodeProblem) and the rest of the pipeline goes on; a command routed by its slot to
// an unreachable node fails the pipeline (its answer lives nowhere else).
struct NodeCommand
{
    QString node;
    RedisCommand command;
};

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::NodeCommand)
