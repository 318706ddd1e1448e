#include "queuemonitor.h"

#include "frameworks/registry.h"
#include "queues/queuediscovery.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace qs::monitor {

namespace {

std::optional<qint64> waitingOf(const queues::QueueCounts &counts,
                                const queues::QueueAdapter &adapter)
{
    std::optional<qint64> waiting;
    for (const auto &[state, meaning] : adapter.states()) {
        if (meaning != queues::UnifiedState::Waiting)
            continue;
        const std::optional<qint64> n = counts.count(state);
        if (!n)
            return std::nullopt; // a part unread: the sum would be made up
        waiting = waiting.value_or(0) + *n;
    }
    return waiting;
}

// The age of the oldest waiting job from the last details, unless the counts already tell
// (Sidekiq): 0 when nothing waits now, unknown when jobs wait but the last read found none.
void applyDetails(queues::QueueCounts &counts, const queues::QueueDetails &details,
                  const queues::QueueAdapter &adapter, qint64 nowMs)
{
    counts.details = details;
    if (counts.oldestWaitingAgeMs)
        return;
    const std::optional<qint64> waiting = waitingOf(counts, adapter);
    if (waiting == 0)
        counts.oldestWaitingAgeMs = 0;
    else if (waiting && details.oldestWaitingSinceMs)
        counts.oldestWaitingAgeMs = qMax<qint64>(0, nowMs - *details.oldestWaitingSinceMs);
}

} // namespace

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
                // Sorted by id, each id built once: a comparator building both ids made some
                // 30 million strings while 10,000 queues arrived in 100 batches.
                QList<std::pair<QString, queues::QueueRef>> byId;
                byId.reserve(m_queues.size());
                for (const queues::QueueRef &queue : std::as_const(m_queues))
                    byId.append({queue.id(), queue});
                std::sort(byId.begin(), byId.end(),
                          [](const auto &a, const auto &b) { return a.first < b.first; });
                for (qsizetype i = 0; i < byId.size(); ++i)
                    m_queues[i] = std::move(byId[i].second);
                Q_EMIT queuesChanged();
            });
    connect(m_discovery, &queues::QueueDiscovery::finished, this, &QueueMonitor::discoveryFinished);
}

QueueMonitor::~QueueMonitor() = default;

QList<std::shared_ptr<const queues::QueueAdapter>> QueueMonitor::defaultAdapters()
{
    return frameworks::adaptersFor({});
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
            cached.id = queue.id();
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
    plan.nowMs = nowMs;
    const bool detailsDue =
        m_detailsEnabled &&
        (m_lastDetailsMs == 0 || nowMs - m_lastDetailsMs >= qint64(m_detailIntervalMs));
    plan.allDetails = detailsDue;
    for (qsizetype q = 0; q < m_queues.size(); ++q) {
        CachedCounts &cached = m_countCache[q];
        if (cached.adapter < 0)
            continue;
        const queues::QueueAdapter &adapter = *m_adapters.at(cached.adapter);
        const queues::QueueRef &queue = m_queues.at(q);
        const QList<redis::RedisCommand> commands =
            cached.usesClock ? adapter.countCommands(queue, nowMs) : cached.commands;
        plan.commands.append(commands);
        QueueCountPlan::Part part{cached.adapter,       queue, false,
                                  int(commands.size()), -1,    cached.id};
        if (detailsDue || (m_detailsEnabled && !m_details.contains(cached.id))) {
            if (!cached.detailsBuilt) {
                cached.details = adapter.detailCommands(queue, nowMs);
                cached.detailsBuilt = true;
            } else {
                adapter.setDetailsClock(cached.details, nowMs);
            }
            plan.commands.append(cached.details);
            part.details = int(cached.details.size());
        }
        plan.parts.append(part);
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
                                          const QList<redis::RedisReply> &replies, qsizetype first)
{
    QueueCountResult result;
    result.queues.reserve(plan.parts.size());
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qsizetype at = first;
    for (const QueueCountPlan::Part &part : plan.parts) {
        const qsizetype size = part.commands + qMax(0, part.details);
        if (replies.size() - at < size)
            break; // a short reply list: the plan no longer matches; drop the rest
        // The counts' replies and the details' apart (one copy of each part, not of the whole).
        const QList<redis::RedisReply> mine = replies.mid(at, part.commands);
        const qsizetype detailsAt = at + part.commands;
        at += size;
        const queues::QueueAdapter &adapter = *m_adapters.at(part.adapter);
        if (part.serverWide) {
            queues::ServerCounts counts = adapter.parseServerCounts(mine);
            m_lastServer.insert(part.adapter, counts);
            result.servers.append(counts);
            continue;
        }
        queues::QueueCounts counts = adapter.parseCounts(part.queue, mine);
        const QString &id = part.id;
        counts.id = id;
        if (part.details >= 0) {
            queues::QueueDetails details;
            details.readAtMs = plan.nowMs;
            const QList<redis::RedisCommand> reads = adapter.parseDetails(
                part.queue, replies.mid(detailsAt, part.details), counts, details);
            m_details.insert(id, details);
            if (!reads.isEmpty()) {
                result.followUp.append(reads);
                result.followUpParts.append({int(result.queues.size()), int(reads.size())});
            }
        }
        if (const auto details = m_details.constFind(id); details != m_details.constEnd())
            applyDetails(counts, *details, adapter, nowMs);
        result.queues.append(std::move(counts));
    }
    if (plan.allDetails)
        m_lastDetailsMs = plan.nowMs;
    return result;
}

void QueueMonitor::readDetailReads(QueueCountResult &result,
                                   const QList<redis::RedisReply> &replies)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qsizetype at = 0;
    for (const QueueCountResult::FollowUp &part : result.followUpParts) {
        const QList<redis::RedisReply> mine = replies.mid(at, part.commands);
        at += part.commands;
        queues::QueueCounts &counts = result.queues[part.queue];
        const queues::QueueAdapter *adapter = adapterFor(counts.queue.framework);
        const auto details = m_details.find(counts.queueId());
        if (!adapter || details == m_details.end())
            continue;
        if (mine.size() != part.commands) {
            details->oldestWaitingWhy = tr("The oldest waiting job could not be read.");
            continue;
        }
        adapter->parseDetailReads(counts.queue, mine, *details);
        applyDetails(counts, *details, *adapter, nowMs);
    }
}

} // namespace qs::monitor
