#include "queuemonitor.h"

#include "queues/adapterfactory.h"

#include "queues/bulladapter.h"
#include "queues/bullmqadapter.h"
#include "queues/celeryadapter.h"
#include "queues/queuediscovery.h"
#include "queues/rqadapter.h"
#include "queues/sidekiqadapter.h"

#include <QSet>

#include <algorithm>

namespace qs::monitor {

QueueMonitor::QueueMonitor(redis::RedisConnection *connection,
                           QList<std::shared_ptr<const queues::QueueAdapter>> adapters,
                           QObject *parent)
    : QObject(parent)
    , m_adapters(std::move(adapters))
    , m_discovery(new queues::QueueDiscovery(connection, m_adapters, this))
{
    connect(m_discovery, &queues::QueueDiscovery::queuesFound, this,
            [this](const QList<queues::QueueRef> &found) {
                m_queues.append(found);
                m_countCache.clear();
                std::sort(m_queues.begin(), m_queues.end(),
                          [](const queues::QueueRef &a, const queues::QueueRef &b) {
                              return a.id() < b.id();
                          });
                Q_EMIT queuesChanged();
            });
    connect(m_discovery, &queues::QueueDiscovery::finished, this, &QueueMonitor::discoveryFinished);
}

QueueMonitor::~QueueMonitor() = default;

QList<std::shared_ptr<const queues::QueueAdapter>> QueueMonitor::defaultAdapters()
{
    return queues::adaptersFor({});
}

void QueueMonitor::discover()
{
    m_discovery->start();
}

int QueueMonitor::lastScanCalls() const
{
    return m_discovery->scanCalls();
}

int QueueMonitor::rediscoveryDelayMs() const
{
    return qBound(30'000, lastScanCalls() * 200, 600'000);
}

bool QueueMonitor::isDiscovering() const
{
    return m_discovery->isRunning();
}

const queues::QueueAdapter *QueueMonitor::adapterFor(queues::Framework framework) const
{
    for (const auto &adapter : m_adapters) {
        if (adapter->framework() == framework)
            return adapter.get();
    }
    return nullptr;
}

QueueCountPlan QueueMonitor::planCounts(qint64 nowMs) const
{
    if (m_countCache.size() != m_queues.size()) {
        m_countCache.clear();
        for (const queues::QueueRef &queue : m_queues) {
            CachedCounts cached;
            for (int i = 0; i < m_adapters.size() && cached.adapter < 0; ++i) {
                if (m_adapters.at(i)->framework() == queue.framework)
                    cached.adapter = i;
            }
            if (cached.adapter >= 0) {
                const queues::QueueAdapter &adapter = *m_adapters.at(cached.adapter);
                cached.usesClock = adapter.countsUseClock();
                if (!cached.usesClock)
                    cached.commands = adapter.countCommands(queue, nowMs);
            }
            m_countCache.append(cached);
        }
    }
    QueueCountPlan plan;
    for (qsizetype q = 0; q < m_queues.size(); ++q) {
        const CachedCounts &cached = m_countCache.at(q);
        if (cached.adapter < 0)
            continue;
        const QList<redis::RedisCommand> commands =
            cached.usesClock ? m_adapters.at(cached.adapter)->countCommands(m_queues.at(q), nowMs)
                             : cached.commands;
        plan.commands.append(commands);
        plan.parts.append({cached.adapter, m_queues.at(q), false, int(commands.size())});
    }
    QSet<int> present; // framework-wide reads only for frameworks that have a queue here
    for (const QueueCountPlan::Part &part : plan.parts)
        present.insert(part.adapter);
    for (int i = 0; i < m_adapters.size(); ++i) {
        if (!present.contains(i))
            continue;
        const auto commands = m_adapters.at(i)->serverCountCommands(nowMs, m_lastServer.value(i));
        if (commands.isEmpty())
            continue;
        plan.commands.append(commands);
        plan.parts.append({i, {}, true, int(commands.size())});
    }
    return plan;
}

QueueCountResult QueueMonitor::readCounts(const QueueCountPlan &plan,
                                          const QList<redis::RedisReply> &replies)
{
    QueueCountResult result;
    qsizetype at = 0;
    for (const QueueCountPlan::Part &part : plan.parts) {
        const QList<redis::RedisReply> mine = replies.mid(at, part.commands);
        at += part.commands;
        if (mine.size() != part.commands)
            break; // a short reply list: the plan no longer matches; drop the rest
        const queues::QueueAdapter &adapter = *m_adapters.at(part.adapter);
        if (part.serverWide) {
            queues::ServerCounts counts = adapter.parseServerCounts(mine);
            m_lastServer.insert(part.adapter, counts);
            result.servers.append(counts);
        } else {
            result.queues.append(adapter.parseCounts(part.queue, mine));
        }
    }
    return result;
}

} // namespace qs::monitor
