#pragma once

#include "redis/redisreply.h"
#include "workerinfo.h"

#include <QHash>

namespace qs::queues {

// What the worker readers (WorkerReader) of every framework share to read their replies and to
// carry what the previous scan knew.

// CLIENT LIST of every master of a Redis Cluster reaches a reader as ONE text (the scanner reads
// it on each master, monitor/clusterworkerstep.h): each node's lines, each with the field
// "qs-node=<host:port>" appended, the node that listed that client. Redis sends no such field:
// on a standalone server no line has it.
inline constexpr char kClientNodeField[] = "qs-node";
QByteArray withClientNode(const QByteArray &clientList, const QString &node);

// A HGETALL reply as field -> value; empty for nil, an error or an odd reply.
QHash<QByteArray, QByteArray> hashFromReply(const redis::RedisReply &reply);

// "workers unknown: SMEMBERS processes refused (NOPERM ...)": why a framework's workers could
// not be read, for WorkerScan::unknown. The server's message is kept to its first line.
QString refusedReason(const redis::RedisCommand &command, const redis::RedisReply &reply);

// The worker of `scan` with that identity, or nullptr (no scan, or not in it).
const WorkerInfo *findWorker(const WorkerScan *scan, Framework framework, const QByteArray &prefix,
                             const QString &id);
// When the same job was already stuck in `scan`: since when, so that its age keeps growing
// across scans; nullopt otherwise.
std::optional<qint64> stuckSince(const WorkerScan *scan, const StuckJob &job);

} // namespace qs::queues
