#pragma once

#include "redisreply.h"

namespace qs::redis {

// Appends one command as a RESP multi-bulk array ("*N\r\n$len\r\narg\r\n..."): binary safe.
void appendCommand(QByteArray &out, const RedisCommand &command);
QByteArray encodeCommands(const QList<RedisCommand> &commands);

// A command in parts (EncodedTemplate): its "*<count>\r\n", and one argument made of `parts`
// with `name` written between each two of them ("$<length>\r\n...\r\n"; one part: no name).
void appendArrayHeader(QByteArray &out, qsizetype count);
void appendArgument(QByteArray &out, const QList<QByteArray> &parts, QByteArrayView name);

} // namespace qs::redis
