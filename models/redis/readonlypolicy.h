#pragma once

#include "redisreply.h"

namespace qs::redis {

// The commands a read-only profile may send. An allow-list, not a deny-list: a command this
// client has never heard of (a module's, a renamed one) is treated as a write.
bool isReadOnlyCommand(const RedisCommand &command);

} // namespace qs::redis
