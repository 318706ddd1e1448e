#pragma once

#include "pollsnapshot.h"
#include "queuemonitor.h"

#include "redis/redisreply.h"

#include "core/limits.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace qs::redis {
class RedisConnection;
class SentinelViewReader;
} // namespace qs::redis

namespace qs::monitor {

// Polls one server: ONE pipelined round trip per tick (INFO with the charted sections, plus the
// commands other layers add, e.g. queue counts); on a Redis Cluster one per node, all at once
// (clustertick.h). The next tick is armed only when the previous
// one completed or timed out, so a slow server never piles up requests. The ticks that read the
// queues' details (every few seconds) add a second pipelined step for reads that depend on the
// first one's replies (QueueCountResult::followUp). While the connection is
// down a tick records a gap at once instead of queueing behind the reconnect.
class Poller final : public QObject
{
    Q_OBJECT
public:
    static constexpr int minIntervalMs = core::limits::minPollIntervalMs;
    static constexpr int maxIntervalMs = core::limits::maxPollIntervalMs;
    // Through Sentinel, how long the first poll waits for the sentinels' view at most.
    static constexpr int firstViewWaitMs = 2'000;

    explicit Poller(redis::RedisConnection *connection, QObject *parent = nullptr);

    void setIntervalMs(int ms); // clamped to [minIntervalMs, maxIntervalMs]
    int intervalMs() const { return m_intervalMs; }
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    void pollNow(); // an extra tick now (F5, after an action); while one is in flight, right after

    // The INFO sections asked for. Redis < 7 accepts one section per INFO: the poller then falls
    // back to plain INFO (the default sections) by itself.
    void setInfoSections(const QList<QByteArray> &sections);
    // Adds every known queue's O(1) count commands to the same pipeline (not owned).
    void setQueueMonitor(QueueMonitor *queues) { m_queues = queues; }

Q_SIGNALS:
    void polled(const qs::monitor::PollSnapshot &snapshot);

private:
    void tick();
    bool waitsForFirstView(); // through Sentinel, before the first view: arms the timer
    void tickCluster(const QueueCountPlan &plan);
    void readCounts(PollSnapshot snapshot, const QueueCountPlan &plan,
                    const QList<redis::RedisReply> &replies, qsizetype first);
    void readFollowUp(PollSnapshot snapshot, QueueCountResult counts);
    void finishTick(PollSnapshot snapshot);
    redis::Topology topologyOf(const redis::InfoSnapshot &info);
    redis::RedisCommand infoCommand() const;

    redis::RedisConnection *m_connection = nullptr;
    QueueMonitor *m_queues = nullptr;
    redis::SentinelViewReader *m_sentinelView = nullptr; // through Sentinel: replicas, sentinels
    QTimer m_timer;
    QElapsedTimer m_tickClock;
    QElapsedTimer m_sinceViewAsked;
    QList<QByteArray> m_sections{"server",      "clients",     "memory", "stats",
                                 "persistence", "replication", "cpu",    "keyspace"};
    int m_intervalMs = core::limits::defaultPollIntervalMs;
    quint64 m_generation = 0; // bumped by stop(): replies of an older run are dropped
    bool m_running = false;
    bool m_inFlight = false;
    bool m_pollAgain = false;      // pollNow() while a tick was in flight
    bool m_waitingForView = false; // the first tick waits for the sentinels (waitsForFirstView)
    bool m_multiSectionInfo = true;
};

} // namespace qs::monitor
