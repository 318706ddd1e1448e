#include "monitor/nodehistory.h"

#include <QSet>

#include <cmath>

namespace qs::monitor {

namespace {

template <typename T> double valueOf(const std::optional<T> &value)
{
    return value ? double(*value) : qQNaN();
}

} // namespace

void NodeHistory::append(qint64 timestampMs, const redis::Topology &topology)
{
    m_newestMs = timestampMs;
    QSet<QString> seen;
    for (const redis::TopologyNode &node : topology.nodes) {
        if (node.role == u"sentinel" || (!node.usedMemory && !node.opsPerSec))
            continue; // nothing of its own was read: nothing to draw
        if (!m_samples.contains(node.address)) {
            if (m_order.size() >= maxNodes)
                continue;
            m_order.append(node.address);
        }
        std::deque<Sample> &samples = m_samples[node.address];
        samples.push_back({timestampMs, valueOf(node.usedMemory), valueOf(node.opsPerSec),
                           valueOf(node.connectedClients)});
        m_roles.insert(node.address, node.role);
        seen.insert(node.address);
    }
    for (auto it = m_samples.begin(); it != m_samples.end(); ++it) {
        if (!seen.contains(it.key()) && !it->empty() && !std::isnan(it->back().usedMemory))
            it->push_back({timestampMs}); // a gap where the node went missing
        while (it->size() > size_t(m_capacity))
            it->pop_front();
    }
}

void NodeHistory::clear()
{
    m_order.clear();
    m_samples.clear();
    m_roles.clear();
    m_newestMs = 0;
}

const std::deque<NodeHistory::Sample> &NodeHistory::samples(const QString &address) const
{
    static const std::deque<Sample> none;
    const auto it = m_samples.constFind(address);
    return it == m_samples.cend() ? none : *it;
}

} // namespace qs::monitor
