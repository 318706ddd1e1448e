#pragma once

#include "redisserver.h"

#include <QList>
#include <QString>

#include <memory>

namespace qs::test {

// A throwaway Redis Cluster owned by one test: `masters` masters with `replicasPerMaster`
// replicas each (default 3 + 3), every node a RedisServer on a free loopback port with its
// cluster bus on another free port, joined by `redis-cli --cluster create`. start() returns once
// every node says cluster_state:ok and knows every other node; the destructor stops them all.
class RedisCluster
{
public:
    explicit RedisCluster(int masters = 3, int replicasPerMaster = 1);
    ~RedisCluster();
    RedisCluster(const RedisCluster &) = delete;
    RedisCluster &operator=(const RedisCluster &) = delete;

    bool start(QString *error = nullptr, int timeoutMs = 60'000);
    void stop();

    int size() const { return int(m_nodes.size()); }
    RedisServer &node(int index) const { return *m_nodes.at(index); }
    // A profile that reaches node `index` (any node will do: QueueScope finds the others).
    core::ConnectionProfile profile(int index = 0) const;

    // The node's current role as CLUSTER NODES says it ("master" or "replica"), from its own view.
    QString roleOf(int index) const;
    // Indexes of the nodes that currently are masters / replicas (asked of each live node).
    QList<int> masters() const;
    QList<int> replicas() const;
    // The index of the master that serves `key`'s slot now, -1 when unknown.
    int masterOf(const QByteArray &key) const;
    // The index of a replica of master `masterIndex`, -1 when none.
    int replicaOf(int masterIndex) const;

    // Waits until every running node says cluster_state:ok and, if `masterIndex` >= 0, until the
    // running nodes agree that node `masterIndex` is a master (after a failover).
    bool waitUntilOk(QString *error, int timeoutMs = 30'000, int masterIndex = -1) const;

    QString logTail(int maxLinesPerNode = 10) const;

private:
    bool createCluster(QString *error);

    int m_masters = 3;
    int m_replicasPerMaster = 1;
    std::vector<std::unique_ptr<RedisServer>> m_nodes;
};

} // namespace qs::test
