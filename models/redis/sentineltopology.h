#pragma once

#include "core/connectionprofile.h"
#include "infosnapshot.h"
#include "redisreply.h"
#include "topology.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace qs::redis {

class RedisConnection;

// What one sentinel says about a master: its replicas and the other sentinels, each with its
// state ("ok", or "down" when the sentinels flag it s_down / o_down / disconnected).
struct SentinelView
{
    QString askedSentinel;         // "host:port" of the sentinel that answered
    QList<TopologyNode> replicas;  // role "replica"
    QList<TopologyNode> sentinels; // role "sentinel", the asked one first
    QString problem;               // no sentinel answered: why; the lists are the last known
};

// SENTINEL REPLICAS <name>, SENTINEL SENTINELS <name>: one pipeline.
QList<RedisCommand> sentinelViewCommands(const QString &masterName);
SentinelView parseSentinelView(const QList<RedisReply> &replies, const QString &askedSentinel);

// The topology of a master found through Sentinel (mode Sentinel): the master at the address
// the connection reached with its INFO values, its replicas (INFO's offsets and lag, the
// sentinels' state), then the sentinels. A master address that changes between two polls is a
// failover (monitor::compareTopologies marks it).
Topology sentinelTopology(const InfoSnapshot &masterInfo, const QString &masterAddress,
                          const QString &masterName, const SentinelView &view);

// Keeps a SentinelView fresh for a poller: asks the profile's sentinels (the next one when one
// fails: at once until the first view, else at the next refresh) at most every refreshMs, on a
// connection of its own; never blocks.
class SentinelViewReader final : public QObject
{
    Q_OBJECT
public:
    explicit SentinelViewReader(core::ConnectionProfile profile, int refreshMs = 2'000,
                                QObject *parent = nullptr);
    ~SentinelViewReader() override;

    // The topology from the last view; asks the sentinels again when it is older than refreshMs.
    Topology topology(const InfoSnapshot &masterInfo, const QString &masterAddress);
    const SentinelView &view() const { return m_view; }
    // Asks now (once at the start, so that the first poll has a view).
    void refresh();
    // Whether a sentinel answered yet, or the asking failed (view().problem says why).
    bool hasAnswered() const { return m_answered; }

Q_SIGNALS:
    void answered(); // after each refresh, whatever its outcome

private:
    void connectTo(int index);

    core::ConnectionProfile m_profile;
    int m_refreshMs;
    int m_index = 0;
    RedisConnection *m_connection = nullptr;
    QElapsedTimer m_sinceAsked;
    bool m_asking = false;
    bool m_answered = false;
    qsizetype m_failedInRow = 0;
    SentinelView m_view;
};

} // namespace qs::redis
