#pragma once

#include "redisreply.h"

namespace qs::redis {

// Appends one command as a RESP multi-bulk array ("*N\r\n$len\r\narg\r\n..."): binary safe.
void appendCommand(QByteArray &out, const RedisCommand &command);
QByteArray encodeCommands(const QList<RedisCommand> &commands);

} // namespace qs::redis
