#pragma once

#include "redis/topology.h"

#include <QHash>
#include <QStringList>
#include <QtNumeric>

#include <deque>

namespace qs::monitor {

// The recent values of each node of a topology that is polled node by node (a cluster, a
// Sentinel group): memory, ops/sec and clients per poll, for the per-node charts. Bounded: the
// newest `capacity` polls, at most maxNodes nodes (the first seen). A node absent from a poll,
// or one whose values were not read, gets a gap (NaN) so its line breaks.
class NodeHistory
{
public:
    static constexpr int defaultCapacity = 3600; // an hour of 1 s polls
    static constexpr int maxNodes = 1000;

    struct Sample
    {
        qint64 atMs = 0;
        double usedMemory = qQNaN();
        double opsPerSec = qQNaN();
        double connectedClients = qQNaN();
    };

    explicit NodeHistory(int capacity = defaultCapacity)
        : m_capacity(capacity)
    {
    }

    void append(qint64 timestampMs, const redis::Topology &topology);
    void clear();

    // Nodes with at least one value, in the order first seen.
    const QStringList &nodes() const { return m_order; }
    const std::deque<Sample> &samples(const QString &address) const;
    QString role(const QString &address) const { return m_roles.value(address); }
    qint64 newestMs() const { return m_newestMs; }

private:
    int m_capacity;
    QStringList m_order;
    QHash<QString, std::deque<Sample>> m_samples;
    QHash<QString, QString> m_roles;
    qint64 m_newestMs = 0;
};

} // namespace qs::monitor
