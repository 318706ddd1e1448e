#pragma once

// Queues for the benchmarks that poll: BullMQ queues as BullMQ 6 lays them out, written by one
// EVAL (the Lua script runs inside the server: no per-key trips).

#include "redisserver.h"

namespace qs::bench {

// `queues` BullMQ queues bull:q0..: a meta hash with version and opts.maxLenEvents, an id key,
// 3 ids waiting, 2 failed, 4 completed, and job 3's hash.
inline void populateBullmqQueues(const test::RedisServer &server, int queues)
{
    static const char *script = R"lua(
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  local b = 'bull:q' .. i .. ':'
  redis.call('HSET', b .. 'meta', 'version', 'bullmq:6.7.0', 'opts.maxLenEvents', '10000')
  redis.call('SET', b .. 'id', tostring(10 + i % 7))
  redis.call('RPUSH', b .. 'wait', '1', '2', '3')
  redis.call('ZADD', b .. 'failed', 1, 'f1', 2, 'f2')
  redis.call('ZADD', b .. 'completed', 1, 'c1', 2, 'c2', 3, 'c3', 4, 'c4')
  redis.call('HSET', b .. '3', 'name', 'job', 'timestamp', '1700000000000', 'delay', '0')
end
return n
)lua";
    int exitCode = -1;
    const QByteArray out = server.cli({QStringLiteral("EVAL"), QString::fromUtf8(script),
                                       QStringLiteral("0"), QString::number(queues)},
                                      &exitCode);
    if (exitCode != 0 || out.trimmed() != QByteArray::number(queues))
        qFatal("populate failed: %s", out.constData());
}

} // namespace qs::bench
