#pragma once

#include "clustermap.h"
#include "clustersplitread.h"
#include "connectionstatus.h"
#include "core/connectionprofile.h"
#include "encodedcommands.h"
#include "replylimits.h"
#include "topology.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>

namespace qs::redis {

class RedisTransport;
struct TransportOptions;

// Sits between RedisConnection and its sockets, on the I/O thread (DESIGN.md section 8:
// topology sits between the session and the connections). A standalone server: every pipeline
// goes to the one transport, unchanged (straight through: no copy of its commands or replies,
// only its id is swapped). A Redis Cluster node (the handshake's CLUSTER MYID
// answered): the router asks it for the cluster (CLUSTER SHARDS, CLUSTER SLOTS before Redis 7),
// opens a transport per node, splits each pipeline by its commands' key slots into one
// sub-pipeline per owning node, sends them all at once and puts the replies back in order. A
// read over keys on several slots (MGET, EXISTS) is split per slot and its replies joined, as a
// cluster client does; any other command over several slots is refused in words (CROSSSLOT).
// MOVED updates the slot map and retries once on the named node, ASK retries once with ASKING
// on the target; what still fails becomes an error reply that says what happened in words.
// The topology is read again every few seconds and after MOVED or a lost node (failover,
// resharding), so nothing needs a restart.
class ClusterRouter final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRefreshIntervalMs = 5'000;

    ClusterRouter(RedisTransport *seed, core::ConnectionProfile profile,
                  const TransportOptions &options);
    ~ClusterRouter() override;

    void open();
    void close();
    void setSubscriber(); // a subscriber's connection: no cluster discovery, the seed only
    void submit(quint64 id, const QList<NodeCommand> &commands, LargeStrings largeStrings);
    void submit(quint64 id, const QList<RedisCommand> &commands, LargeStrings largeStrings);
    // Commands encoded beforehand go to the seed as they are: they cannot be routed by key, so a
    // cluster refuses them (the caller sends commands to a cluster, RedisConnection::isCluster).
    void submit(quint64 id, const EncodedCommands &encoded);

Q_SIGNALS:
    void statusChanged(const qs::redis::ConnectionStatus &status);
    void finished(quint64 id, const qs::redis::PipelineResult &result);
    void topologyChanged(const qs::redis::Topology &topology);

private:
    enum class Mode { Unknown, Standalone, Cluster };
    struct Request
    {
        QList<NodeCommand> commands;
        LargeStrings largeStrings = LargeStrings::Refuse;
        QList<RedisReply> replies;
        QList<int> retries;
        RedisError error;
        int pending = 0; // sub-pipelines in flight
        int dispatching = 0;
        int roundTrips = 0;
        qint64 bytesSent = 0;
        qint64 bytesReceived = 0;
        qint64 elapsedUs = 0;               // the slowest sub-pipeline's: they run side by side
        std::optional<SplitPipeline> split; // cross-slot reads, split per slot to be joined
    };
    struct Part
    {
        quint64 request = 0;
        QString node;
        QList<int> indexes;
        bool asking = false;
    };
    struct Direct // a standalone server's pipeline, passed straight to the seed
    {
        quint64 request = 0;
        qsizetype commandCount = 0;
    };
    using InternalCallback = std::function<void(const PipelineResult &)>;

    void onSeedStatus(const ConnectionStatus &status);
    void onNodeStatus(const QString &address, const ConnectionStatus &status);
    void onTransportFinished(quint64 subId, const PipelineResult &result);
    bool goesDirect(qsizetype commandCount) const;
    void submitDirect(quint64 id, const QList<RedisCommand> &commands, LargeStrings largeStrings);
    quint64 directSubId(quint64 id, qsizetype commandCount); // a direct pipeline's, noted
    void finishDirect(const Direct &direct, const PipelineResult &result);
    QList<int> prepare(Request &request) const; // every index, after splitting cross-slot reads
    void dispatch(quint64 id, const QList<int> &indexes);
    void sendPart(quint64 id, const QString &node, const QList<int> &indexes, bool asking);
    void readPart(const Part &part, Request &request, const PipelineResult &result);
    void finishIfDone(quint64 id);
    void flushWaiting();
    void discover(RedisTransport *via, bool useSlots);
    void applyMap(ClusterMap map);
    void refreshSoon();
    void refresh();
    void updateStatus();
    void markNodeProblems(Topology &topology) const;
    QString targetOf(const NodeCommand &command, RedisReply *refusal) const;
    QString mapped(const QString &announced) const;
    RedisTransport *nodeTransport(const QString &address);
    RedisTransport *transportOf(const QString &address) const; // the seed in standalone mode
    void submitInternal(RedisTransport *transport, const RedisCommand &command,
                        InternalCallback callback);

    RedisTransport *m_seed = nullptr;
    core::ConnectionProfile m_profile;
    std::unique_ptr<TransportOptions> m_options;
    AddressMap m_addressMap;
    Mode m_mode = Mode::Unknown;
    bool m_subscriber = false;
    bool m_discovering = false;
    bool m_refreshAgain = false;
    bool m_useSlots = false; // Redis < 7: CLUSTER SLOTS
    ConnectionStatus m_seedStatus;
    ConnectionStatus m_shownStatus;
    ClusterMap m_map;
    QHash<QString, RedisTransport *> m_nodes;
    QHash<QString, ConnectionStatus> m_nodeStatus;
    std::map<quint64, Request> m_requests;
    QList<quint64> m_waiting; // submitted before the mode was known
    QHash<quint64, Part> m_parts;
    QHash<quint64, Direct> m_direct; // by sub-pipeline id
    QHash<quint64, InternalCallback> m_internal;
    quint64 m_nextSubId = 1;
    QTimer m_refreshTimer{this};
    QTimer m_refreshSoon{this};
};

} // namespace qs::redis
