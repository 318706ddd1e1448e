#pragma once

#include "redisreply.h"

#include <QByteArrayView>

namespace qs::redis {

constexpr int kClusterSlots = 16384;

// The cluster slot of a key: CRC16 (XMODEM) of the key, or of its {hash tag} when it has a
// non-empty one, modulo 16384 (as Redis Cluster computes it).
int keyHashSlot(QByteArrayView key);

// The keys a command touches, in the places Redis looks for them: the first argument for most
// commands; none for server commands (INFO, SCAN, CLIENT, ...); every argument for MGET, DEL,
// EXISTS...; numkeys then keys for EVAL, EVALSHA and FCALL; the third word for MEMORY USAGE,
// OBJECT, XINFO.
QList<QByteArray> commandKeys(const RedisCommand &command);

constexpr int kNoSlot = -1;    // a keyless command: any node answers it
constexpr int kCrossSlot = -2; // keys on several slots: no single node can run it

// The one slot of a command's keys, kNoSlot or kCrossSlot.
int commandSlot(const RedisCommand &command);

// The one slot of these keys, kNoSlot (none) or kCrossSlot.
int keysSlot(const QList<QByteArray> &keys);

} // namespace qs::redis
