#include "redisconnection.h"

#include "replyerrors.h"

#include <QThread>

namespace qs::redis {

RedisConnection::RedisConnection(core::ConnectionProfile profile, TransportOptions options,
                                 QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_options(std::move(options))
{
    qRegisterMetaType<ConnectionStatus>();
    qRegisterMetaType<PipelineResult>();
    qRegisterMetaType<PushMessage>();
    qRegisterMetaType<RedisError>();
    qRegisterMetaType<Topology>();
    m_transport = new RedisTransport(m_profile, m_options);
    m_router = new ClusterRouter(m_transport, m_profile, m_options);
    if (m_options.ownThread) {
        m_thread = new QThread(this);
        m_thread->setObjectName(QStringLiteral("redis-io"));
        m_transport->moveToThread(m_thread);
        m_router->moveToThread(m_thread);
    }
    connect(m_router, &ClusterRouter::finished, this, &RedisConnection::onFinished,
            Qt::QueuedConnection);
    connect(m_router, &ClusterRouter::statusChanged, this, &RedisConnection::onStatusChanged,
            Qt::QueuedConnection);
    connect(
        m_router, &ClusterRouter::topologyChanged, this,
        [this](const Topology &topology) {
            m_topology = topology;
            Q_EMIT topologyChanged(topology);
        },
        Qt::QueuedConnection);
    connect(m_transport, &RedisTransport::pushed, this, &RedisConnection::onPushed,
            Qt::QueuedConnection);
    connect(m_transport, &RedisTransport::subscribed, this, &RedisConnection::onSubscribed,
            Qt::QueuedConnection);
    if (m_thread)
        m_thread->start();
}

RedisConnection::~RedisConnection()
{
    if (!m_thread) {     // they live on this thread
        delete m_router; // and the cluster nodes' transports
        delete m_transport;
        return;
    }
    // The transport and its socket must die on their own thread; this is quick (no network).
    RedisTransport *transport = m_transport;
    ClusterRouter *router = m_router;
    QMetaObject::invokeMethod(
        transport,
        [transport, router] {
            delete router; // and the cluster nodes' transports
            delete transport;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void RedisConnection::open()
{
    QMetaObject::invokeMethod(m_router, &ClusterRouter::open, Qt::QueuedConnection);
}

void RedisConnection::close()
{
    QMetaObject::invokeMethod(m_router, &ClusterRouter::close, Qt::QueuedConnection);
}

RedisConnection *RedisConnection::clone(const QString &clientName, QObject *parent) const
{
    TransportOptions options = m_options;
    options.clientName = clientName;
    return new RedisConnection(m_profile, options, parent);
}

quint64 RedisConnection::addPending(QObject *context, PipelineCallback callback)
{
    const quint64 id = m_nextId++;
    m_pending.insert(id, Pending{context, context != nullptr, std::move(callback)});
    return id;
}

template <typename Command>
void RedisConnection::submitToRouter(const QList<Command> &commands, QObject *context,
                                     PipelineCallback callback, LargeStrings largeStrings)
{
    const quint64 id = addPending(context, std::move(callback));
    ClusterRouter *router = m_router;
    QMetaObject::invokeMethod(
        router,
        [router, id, commands, largeStrings] { router->submit(id, commands, largeStrings); },
        Qt::QueuedConnection);
}

void RedisConnection::pipeline(const QList<RedisCommand> &commands, QObject *context,
                               PipelineCallback callback, LargeStrings largeStrings)
{
    submitToRouter(commands, context, std::move(callback), largeStrings);
}

void RedisConnection::pipeline(const EncodedCommands &encoded, QObject *context,
                               PipelineCallback callback)
{
    const quint64 id = addPending(context, std::move(callback));
    ClusterRouter *router = m_router;
    QMetaObject::invokeMethod(
        router, [router, id, encoded] { router->submit(id, encoded); }, Qt::QueuedConnection);
}

void RedisConnection::pipelineOnNodes(const QList<NodeCommand> &commands, QObject *context,
                                      PipelineCallback callback, LargeStrings largeStrings)
{
    submitToRouter(commands, context, std::move(callback), largeStrings);
}

void RedisConnection::command(const RedisCommand &command, QObject *context, ReplyCallback callback)
{
    const QString user = m_profile.username;
    pipeline({command}, context,
             [command, user, callback = std::move(callback)](const PipelineResult &result) {
                 if (!result.ok()) {
                     callback(RedisReply{}, result.error);
                     return;
                 }
                 const RedisReply &reply = result.replies.first();
                 callback(reply, errorFromReply(reply, command, user));
             });
}

void RedisConnection::psubscribe(const QList<QByteArray> &patterns, QObject *context,
                                 MessageCallback onMessage, SubscribedCallback onSubscribed)
{
    m_subscriberContext = context;
    m_hasSubscriberContext = context != nullptr;
    m_onMessage = std::move(onMessage);
    m_onSubscribed = std::move(onSubscribed);
    RedisTransport *transport = m_transport;
    ClusterRouter *router = m_router;
    QMetaObject::invokeMethod(
        transport,
        [transport, router, patterns] {
            router->setSubscriber(); // published messages reach every node: the seed will do
            transport->subscribe(patterns);
        },
        Qt::QueuedConnection);
}

void RedisConnection::onPushed(const PushMessage &message)
{
    if (m_onMessage && !subscriberGone())
        m_onMessage(message);
}

void RedisConnection::onSubscribed(const RedisError &error)
{
    if (m_onSubscribed && !subscriberGone())
        m_onSubscribed(error);
}

void RedisConnection::onFinished(quint64 id, const PipelineResult &result)
{
    const Pending pending = m_pending.take(id);
    if (!pending.callback || (pending.hasContext && !pending.context))
        return; // the requester is gone: drop the late reply
    pending.callback(result);
}

void RedisConnection::onStatusChanged(const ConnectionStatus &status)
{
    m_status = status;
    Q_EMIT statusChanged(status);
}

} // namespace qs::redis
