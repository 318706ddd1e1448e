#pragma once

#include "clientlist.h"
#include "slowlog.h"

#include "redis/nodecommand.h"
#include "redis/topology.h"

#include <QStringList>

#include <functional>

namespace qs::monitor {

// One ServerInspector refresh on a Redis Cluster, without I/O (sent by
// RedisConnection::pipelineOnNodes). Every live node keeps its own slow log and its own clients
// (a replica too: reads sent to it, its replication link), so SLOWLOG GET and CLIENT LIST are
// pinned to each live master and replica; INFO goes where a keyless command goes (one master).
// read(): the nodes' slow logs merged newest first and their clients, each entry and client
// labelled with its node (a client id is unique per node only). A node that refuses a part
// names itself in that part's error; the other nodes' rows stay.
struct ClusterInspection
{
    QStringList nodes; // asked, in topology order
    QList<redis::NodeCommand> commands;

    static ClusterInspection plan(const redis::Topology &topology,
                                  const redis::RedisCommand &slowLog,
                                  const redis::RedisCommand &clients,
                                  const redis::RedisCommand &info);

    struct Read
    {
        QList<SlowLogEntry> slowLog;
        QList<ClientInfo> clients;
        redis::RedisReply info;
        QString slowLogError; // "h:1: NOPERM ..." per node that refused, joined
        QString clientsError;
    };
    // `replies`: one per command. `errorOf` says what a reply refused (empty when it did not).
    Read read(const QList<redis::RedisReply> &replies,
              const std::function<QString(const redis::RedisReply &, int part)> &errorOf) const;
};

// Newest first across nodes: by time, then by node, then by id (one node's order).
void sortSlowLogNewestFirst(QList<SlowLogEntry> &entries);

} // namespace qs::monitor
