#pragma once

#include "clusterrouter.h"
#include "connectionstatus.h"
#include "core/connectionprofile.h"
#include "redistransport.h"
#include "topology.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

class QThread;

namespace qs::redis {

// The one facade to a Redis server. Lives on the caller's thread (usually the GUI thread); the
// socket lives on a private I/O thread, so nothing here ever blocks on the network. Results come
// back as values through callbacks on the caller's thread; a callback whose context object has
// been destroyed is dropped, so a late reply never lands on a page that is gone.
// A Redis Cluster is found by itself (any node will do): pipeline() then splits each pipeline by
// its keys' slots into one sub-pipeline per node, sent side by side, the replies back in order
// (clusterrouter.h); callers that need every node use topology() and pipelineOnNodes().
class RedisConnection final : public QObject
{
    Q_OBJECT
public:
    using PipelineCallback = std::function<void(const PipelineResult &)>;
    using ReplyCallback = std::function<void(const RedisReply &, const RedisError &)>;
    using MessageCallback = std::function<void(const PushMessage &)>;
    using SubscribedCallback = std::function<void(const RedisError &)>;

    explicit RedisConnection(core::ConnectionProfile profile, TransportOptions options = {},
                             QObject *parent = nullptr);
    ~RedisConnection() override;

    void open();
    void close();
    // A second, independent connection to the same server (for a poller, so that browsing and
    // actions never queue behind a poll and vice versa).
    RedisConnection *clone(const QString &clientName, QObject *parent = nullptr) const;

    const core::ConnectionProfile &profile() const { return m_profile; }
    const ConnectionStatus &status() const { return m_status; }
    bool isConnected() const { return m_status.state == ConnectionState::Connected; }

    // Sends all commands in one write; the callback gets one reply per command, in order.
    // Replies are bounded (replylimits.h): over a limit the request fails with ReplyTooLarge,
    // or, for display-only reads that ask for it, long strings are kept in part (truncatedFrom).
    void pipeline(const QList<RedisCommand> &commands, QObject *context, PipelineCallback callback,
                  LargeStrings largeStrings = LargeStrings::Refuse);
    // Commands pinned to nodes (NodeCommand::node, from topology()) or routed by key (empty
    // node), in one pipeline per node; replies in the order given. A standalone server ignores
    // the pins (it is the only node).
    void pipelineOnNodes(const QList<NodeCommand> &commands, QObject *context,
                         PipelineCallback callback,
                         LargeStrings largeStrings = LargeStrings::Refuse);
    // Commands encoded beforehand (the poll's counts), written as they are. For a standalone
    // server only: a cluster refuses them (send it commands, which it routes by key).
    void pipeline(const EncodedCommands &encoded, QObject *context, PipelineCallback callback);
    // One command; `error` is set for transport failures and for error replies alike.
    void command(const RedisCommand &command, QObject *context, ReplyCallback callback);

    // Subscriber mode, for a connection of its own (a clone): PSUBSCRIBE <patterns> now and
    // after every reconnect; each published message comes to onMessage, each confirmation (no
    // error) or refusal (NOPERM: an ACL without those channels) to onSubscribed, on this thread.
    // Messages arm no deadline (a quiet subscription is normal); a PING every
    // TransportOptions::subscriberPingMs finds a dead link, which is reset and subscribed again.
    // A message over subscriberMessageLimits() arrives as droppedSize, its payload never held.
    // A subscriber takes no commands. PSUBSCRIBE reads: read-only profiles may subscribe.
    // Calling it again adds patterns; the callbacks are replaced.
    void psubscribe(const QList<QByteArray> &patterns, QObject *context, MessageCallback onMessage,
                    SubscribedCallback onSubscribed = {});

    // Standalone until a cluster is found; then every node with its role, slots and state
    // (kept current: failover, resharding, unreachable nodes with a problem sentence).
    const Topology &topology() const { return m_topology; }
    bool isCluster() const { return m_topology.mode == TopologyMode::Cluster; }

Q_SIGNALS:
    void statusChanged(const qs::redis::ConnectionStatus &status);
    void topologyChanged(const qs::redis::Topology &topology);

private:
    struct Pending
    {
        QPointer<QObject> context;
        bool hasContext = false;
        PipelineCallback callback;
    };
    quint64 addPending(QObject *context, PipelineCallback callback); // the request's id
    template <typename Command>                                      // RedisCommand, or NodeCommand
    void submitToRouter(const QList<Command> &commands, QObject *context, PipelineCallback callback,
                        LargeStrings largeStrings);
    void onFinished(quint64 id, const PipelineResult &result);
    void onStatusChanged(const ConnectionStatus &status);
    void onPushed(const PushMessage &message);
    void onSubscribed(const RedisError &error);
    bool subscriberGone() const { return m_hasSubscriberContext && !m_subscriberContext; }

    core::ConnectionProfile m_profile;
    TransportOptions m_options;
    QThread *m_thread = nullptr;
    RedisTransport *m_transport = nullptr;
    ClusterRouter *m_router = nullptr; // between this facade and the sockets, on the I/O thread
    Topology m_topology;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextId = 1;
    ConnectionStatus m_status;
    QPointer<QObject> m_subscriberContext;
    bool m_hasSubscriberContext = false;
    MessageCallback m_onMessage;
    SubscribedCallback m_onSubscribed;
};

} // namespace qs::redis
