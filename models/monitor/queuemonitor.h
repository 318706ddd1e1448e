#pragma once

#include "queues/queueadapter.h"
#include "queues/queuecounts.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace qs::redis {
class RedisConnection;
}
namespace qs::queues {
class QueueDiscovery;
}

namespace qs::monitor {

// The commands one poll sends for the queues, and how to read their replies back. Captured when
// the tick is built, so a queue discovered while the poll is in flight cannot shift the replies.
struct QueueCountPlan
{
    struct Part
    {
        int adapter = -1;       // index into the monitor's adapters
        queues::QueueRef queue; // unset for server-wide parts
        bool serverWide = false;
        int commands = 0;
    };
    QList<redis::RedisCommand> commands;
    QList<Part> parts;
};

struct QueueCountResult
{
    QList<queues::QueueCounts> queues;
    QList<queues::ServerCounts> servers;
};

// Knows the queues of one server: runs discovery (at start, then on demand) and builds and
// reads the count commands that the Poller adds to its single pipeline.
class QueueMonitor final : public QObject
{
    Q_OBJECT
public:
    QueueMonitor(redis::RedisConnection *connection,
                 QList<std::shared_ptr<const queues::QueueAdapter>> adapters,
                 QObject *parent = nullptr);
    ~QueueMonitor() override;

    // Adapters for every framework with its default prefix ("bull", "rq", Sidekiq without a
    // namespace, Celery without a key prefix).
    static QList<std::shared_ptr<const queues::QueueAdapter>> defaultAdapters();

    void discover(); // a full discovery pass (ignored while one runs)
    bool isDiscovering() const;
    int lastScanCalls() const; // SCAN calls of the last (or current) discovery pass
    // When to look for new queues again after a pass: soon on a small server, rarely on a huge
    // one (1M keys: ~3,000 SCAN calls, ~2.4 s of Redis time). 200 ms per SCAN call of the last
    // pass, between 30 s and 10 min.
    int rediscoveryDelayMs() const;
    QList<queues::QueueRef> queues() const { return m_queues; }
    const QList<std::shared_ptr<const queues::QueueAdapter>> &adapters() const
    {
        return m_adapters;
    }
    const queues::QueueAdapter *adapterFor(queues::Framework framework) const;

    QueueCountPlan planCounts(qint64 nowMs) const;
    QueueCountResult readCounts(const QueueCountPlan &plan,
                                const QList<redis::RedisReply> &replies);

Q_SIGNALS:
    void queuesChanged();
    void discoveryFinished(const QString &error);

private:
    QList<std::shared_ptr<const queues::QueueAdapter>> m_adapters;
    queues::QueueDiscovery *m_discovery = nullptr;
    QList<queues::QueueRef> m_queues;
    QHash<int, queues::ServerCounts> m_lastServer; // per adapter, for carried hints
    // Per queue (same order as m_queues): its adapter and, where the commands do not depend on
    // the clock, the commands themselves: a tick then copies them instead of building keys.
    struct CachedCounts
    {
        int adapter = -1;
        QList<redis::RedisCommand> commands;
        bool usesClock = false;
    };
    mutable QList<CachedCounts> m_countCache;
};

} // namespace qs::monitor
