#include "clusterrouter.h"

#include "clusterreplies.h"
#include "clusterslot.h"
#include "redislog.h"
#include "redistransport.h"

#include "core/clusteraddressmap.h"
#include "core/hostport.h"

#include <numeric>

namespace qs::redis {

namespace {

constexpr int kRefreshSoonMs = 100; // MOVED floods during resharding: one refresh for them all

bool isUnknownSubcommand(const RedisReply &reply)
{
    return reply.isError() &&
           (reply.string.contains("nknown subcommand") || reply.string.contains("unknown command"));
}

// The editor and the command line refuse a map that does not parse; one written into
// profiles.json by hand is said in the log and not used.
AddressMap addressMapOf(const core::ConnectionProfile &profile)
{
    auto map = core::parseClusterAddressMap(profile.clusterAddressMap);
    if (!map) {
        qCWarning(lcRedis).noquote() << "profile" << profile.name << map.error();
        return {};
    }
    return map.value();
}

QList<RedisCommand> withoutNodes(const QList<NodeCommand> &commands)
{
    QList<RedisCommand> plain;
    plain.reserve(commands.size());
    for (const NodeCommand &command : commands)
        plain.append(command.command);
    return plain;
}

QList<NodeCommand> routedBySlot(const QList<RedisCommand> &commands)
{
    QList<NodeCommand> routed;
    routed.reserve(commands.size());
    for (const RedisCommand &command : commands)
        routed.append(NodeCommand{QString(), command});
    return routed;
}

} // namespace

ClusterRouter::ClusterRouter(RedisTransport *seed, core::ConnectionProfile profile,
                             const TransportOptions &options)
    : m_seed(seed)
    , m_profile(std::move(profile))
    , m_options(std::make_unique<TransportOptions>(options))
    , m_addressMap(addressMapOf(m_profile))
{
    qRegisterMetaType<Topology>();
    connect(m_seed, &RedisTransport::statusChanged, this, &ClusterRouter::onSeedStatus);
    connect(m_seed, &RedisTransport::finished, this, &ClusterRouter::onTransportFinished);
    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ClusterRouter::refresh);
    m_refreshSoon.setSingleShot(true);
    connect(&m_refreshSoon, &QTimer::timeout, this, &ClusterRouter::refresh);
}

ClusterRouter::~ClusterRouter()
{
    for (RedisTransport *transport : std::as_const(m_nodes)) {
        transport->disconnect(this);
        delete transport;
    }
}

void ClusterRouter::open()
{
    m_seed->open();
}

void ClusterRouter::close()
{
    m_refreshTimer.stop();
    m_refreshSoon.stop();
    for (RedisTransport *transport : std::as_const(m_nodes))
        transport->close();
    m_seed->close();
    m_mode = Mode::Unknown;
    m_discovering = false;
    flushWaiting(); // to the closed seed: each fails as "the connection was closed"
}

void ClusterRouter::setSubscriber()
{
    m_subscriber = true;
}

void ClusterRouter::submit(quint64 id, const QList<NodeCommand> &commands,
                           LargeStrings largeStrings)
{
    if (goesDirect(commands.size())) {
        submitDirect(id, withoutNodes(commands), largeStrings); // the only node: pins are moot
        return;
    }
    Request request;
    request.commands = commands;
    request.largeStrings = largeStrings;
    request.replies.resize(commands.size());
    request.retries.resize(commands.size());
    Request &stored = m_requests.emplace(id, std::move(request)).first->second;
    if (m_mode == Mode::Unknown && m_seedStatus.state == ConnectionState::Connecting) {
        m_waiting.append(id); // the mode is known once connected
        return;
    }
    dispatch(id, prepare(stored));
}

void ClusterRouter::submit(quint64 id, const QList<RedisCommand> &commands,
                           LargeStrings largeStrings)
{
    if (goesDirect(commands.size()))
        submitDirect(id, commands, largeStrings);
    else
        submit(id, routedBySlot(commands), largeStrings);
}

void ClusterRouter::submit(quint64 id, const EncodedCommands &encoded)
{
    if (m_mode == Mode::Cluster) {
        PipelineResult refused;
        refused.error = {RedisError::Kind::Server,
                         QStringLiteral("the server is a cluster now: the next poll sends its "
                                        "commands to the nodes that own their keys")};
        Q_EMIT finished(id, refused);
        return;
    }
    // Standalone, or not known yet: the seed holds it until connected (a cluster found then
    // answers keys it does not own with MOVED, which the counts show for that one poll).
    m_seed->submit(directSubId(id, encoded.size()), encoded);
}

// A standalone server's pipeline skips the requests and parts of a cluster's: in that mode they
// pass every reply through unchanged. Its mode lasts until close(), which fails what is in flight
// first. An empty pipeline takes the general path, which answers it without the transport.
bool ClusterRouter::goesDirect(qsizetype commandCount) const
{
    return m_mode == Mode::Standalone && commandCount > 0;
}

void ClusterRouter::submitDirect(quint64 id, const QList<RedisCommand> &commands,
                                 LargeStrings largeStrings)
{
    m_seed->submit(directSubId(id, commands.size()), commands, largeStrings); // may finish at once
}

quint64 ClusterRouter::directSubId(quint64 id, qsizetype commandCount)
{
    const quint64 subId = m_nextSubId++;
    m_direct.insert(subId, Direct{id, commandCount});
    return subId;
}

// What finishIfDone() makes of a one-part request: one reply per command, none on an error.
void ClusterRouter::finishDirect(const Direct &direct, const PipelineResult &result)
{
    PipelineResult answer = result;
    if (!answer.ok())
        answer.replies.clear();
    else if (answer.replies.size() != direct.commandCount)
        answer.replies.resize(direct.commandCount);
    answer.roundTrips = 1;
    Q_EMIT finished(direct.request, answer);
}

QList<int> ClusterRouter::prepare(Request &request) const
{
    if (m_mode == Mode::Cluster && !request.split) {
        request.split = splitCrossSlotReads(request.commands);
        if (request.split) {
            request.commands = std::exchange(request.split->commands, {});
            request.replies.resize(request.commands.size());
            request.retries.resize(request.commands.size());
        }
    }
    QList<int> all(request.commands.size());
    std::iota(all.begin(), all.end(), 0);
    return all;
}

void ClusterRouter::flushWaiting()
{
    for (const quint64 id : std::exchange(m_waiting, {})) {
        const auto it = m_requests.find(id);
        if (it != m_requests.end())
            dispatch(id, prepare(it->second));
    }
}

RedisTransport *ClusterRouter::transportOf(const QString &address) const
{
    if (m_mode != Mode::Cluster)
        return m_seed;
    return m_nodes.value(address);
}

QString ClusterRouter::mapped(const QString &announced) const
{
    return m_addressMap.value(announced, announced);
}

QString ClusterRouter::targetOf(const NodeCommand &command, RedisReply *refusal) const
{
    if (m_mode != Mode::Cluster)
        return {};
    if (!command.node.isEmpty())
        return command.node;
    const int slot = commandSlot(command.command);
    if (slot == kCrossSlot) {
        *refusal = crossSlotReply(command.command);
        return {};
    }
    if (slot == kNoSlot)
        return m_map.anyMaster();
    const QString owner = m_map.ownerOf(slot);
    if (owner.isEmpty())
        *refusal = RedisReply::error(
            QStringLiteral("CLUSTERDOWN no cluster node serves slot %1 (cluster state: %2)")
                .arg(slot)
                .arg(m_map.topology.clusterState.isEmpty() ? QStringLiteral("unknown")
                                                           : m_map.topology.clusterState)
                .toUtf8());
    return owner;
}

void ClusterRouter::dispatch(quint64 id, const QList<int> &indexes)
{
    auto it = m_requests.find(id);
    if (it == m_requests.end())
        return;
    Request &request = it->second;
    QList<QString> order;
    QHash<QString, QList<int>> groups;
    for (const int index : indexes) {
        RedisReply refusal;
        const QString target = targetOf(request.commands.at(index), &refusal);
        if (refusal.isError()) {
            request.replies[index] = refusal;
            continue;
        }
        if (!groups.contains(target))
            order.append(target);
        groups[target].append(index);
    }
    ++request.dispatching;
    for (const QString &node : std::as_const(order))
        sendPart(id, node, groups.value(node), false);
    --request.dispatching;
    finishIfDone(id);
}

void ClusterRouter::sendPart(quint64 id, const QString &node, const QList<int> &indexes,
                             bool asking)
{
    Request &request = m_requests.at(id);
    RedisTransport *transport = m_mode == Mode::Cluster ? nodeTransport(node) : m_seed;
    QList<RedisCommand> commands;
    for (const int index : indexes) {
        if (asking)
            commands.append({"ASKING"});
        commands.append(request.commands.at(index).command);
    }
    const quint64 subId = m_nextSubId++;
    m_parts.insert(subId, Part{id, node, indexes, asking});
    ++request.pending;
    ++request.roundTrips;
    const ConnectionStatus status = m_nodeStatus.value(node);
    if (m_mode == Mode::Cluster && (status.state == ConnectionState::Reconnecting ||
                                    status.state == ConnectionState::Failed)) {
        PipelineResult down; // fail at once instead of waiting out the deadline in its queue
        down.error = status.error.isNone() ? RedisError{RedisError::Kind::NotConnected,
                                                        QStringLiteral("not connected")}
                                           : status.error;
        onTransportFinished(subId, down);
        return;
    }
    transport->submit(subId, commands, request.largeStrings); // may finish at once
}

void ClusterRouter::onTransportFinished(quint64 subId, const PipelineResult &result)
{
    if (const auto direct = m_direct.find(subId); direct != m_direct.end()) {
        const Direct finishedDirect = direct.value();
        m_direct.erase(direct);
        finishDirect(finishedDirect, result);
        return;
    }
    if (const auto internal = m_internal.find(subId); internal != m_internal.end()) {
        const InternalCallback callback = internal.value();
        m_internal.erase(internal);
        callback(result);
        return;
    }
    const auto partIt = m_parts.find(subId);
    if (partIt == m_parts.end())
        return;
    const Part part = partIt.value();
    m_parts.erase(partIt);
    const auto it = m_requests.find(part.request);
    if (it == m_requests.end())
        return;
    Request &request = it->second;
    --request.pending;
    request.bytesSent += result.bytesSent;
    request.bytesReceived += result.bytesReceived;
    request.elapsedUs = qMax(request.elapsedUs, result.elapsedUs);
    ++request.dispatching;
    readPart(part, request, result);
    --request.dispatching;
    finishIfDone(part.request);
}

void ClusterRouter::readPart(const Part &part, Request &request, const PipelineResult &result)
{
    const bool allPinned =
        std::all_of(part.indexes.cbegin(), part.indexes.cend(),
                    [&request](int index) { return !request.commands.at(index).node.isEmpty(); });
    if (!result.ok() && m_mode == Mode::Cluster && allPinned) {
        const TopologyNode *node = m_map.node(part.node);
        const QByteArray problem =
            unreachableNodeProblem(part.node, node ? node->announced : QString(),
                                   result.error.message)
                .toUtf8();
        for (const int index : part.indexes)
            request.replies[index] = RedisReply::error(problem);
        refreshSoon(); // a node lost: a failover may follow
        return;
    }
    if (!result.ok()) {
        if (request.error.isNone()) {
            request.error = result.error;
            if (m_mode == Mode::Cluster && !result.error.message.contains(part.node))
                request.error.message =
                    QStringLiteral("cluster node %1: %2").arg(part.node, result.error.message);
        }
        if (m_mode == Mode::Cluster)
            refreshSoon(); // a node lost: a failover may follow
        return;
    }
    QList<int> moved;
    QHash<QString, QList<int>> asked;
    const int stride = part.asking ? 2 : 1;
    for (qsizetype k = 0; k < part.indexes.size(); ++k) {
        const int index = part.indexes.at(k);
        static const RedisReply missing;
        const qsizetype at = k * stride + stride - 1;
        const RedisReply &reply = at < result.replies.size() ? result.replies.at(at) : missing;
        const Redirection redirect = m_mode == Mode::Cluster ? redirectionOf(reply) : Redirection{};
        if (redirect.kind != Redirection::Kind::None && request.retries.at(index) == 0) {
            request.retries[index] = 1;
            const QString target = mapped(redirect.address);
            if (redirect.kind == Redirection::Kind::Moved) {
                m_map.moveSlot(redirect.slot, target);
                moved.append(index);
                refreshSoon();
            } else {
                asked[target].append(index);
            }
            continue;
        }
        request.replies[index] =
            m_mode == Mode::Cluster
                ? explainedClusterReply(reply, request.commands.at(index).command)
                : reply;
    }
    const quint64 id = part.request;
    if (!moved.isEmpty()) {
        for (const int index : std::as_const(moved))
            request.commands[index].node.clear(); // a pinned command follows its slot too
        dispatch(id, moved);
    }
    for (auto it = asked.cbegin(); it != asked.cend(); ++it)
        sendPart(id, it.key(), it.value(), true);
}

void ClusterRouter::finishIfDone(quint64 id)
{
    const auto it = m_requests.find(id);
    if (it == m_requests.end() || it->second.pending > 0 || it->second.dispatching > 0)
        return;
    Request request = std::move(it->second);
    m_requests.erase(it);
    PipelineResult result;
    result.error = request.error;
    if (result.ok())
        result.replies = request.split ? joinSplitReplies(*request.split, request.replies)
                                       : std::move(request.replies);
    result.bytesSent = request.bytesSent;
    result.bytesReceived = request.bytesReceived;
    result.elapsedUs = request.elapsedUs;
    result.roundTrips = qMax(1, request.roundTrips);
    Q_EMIT finished(id, result);
}

void ClusterRouter::submitInternal(RedisTransport *transport, const RedisCommand &command,
                                   InternalCallback callback)
{
    const quint64 subId = m_nextSubId++;
    m_internal.insert(subId, std::move(callback));
    transport->submit(subId, {command});
}

void ClusterRouter::onSeedStatus(const ConnectionStatus &status)
{
    m_seedStatus = status;
    if (m_mode == Mode::Cluster) {
        updateStatus();
        return;
    }
    if (m_mode == Mode::Unknown && status.state == ConnectionState::Connected) {
        if (status.cluster && !m_subscriber) {
            discover(m_seed, m_useSlots); // Connected is shown once the cluster is known
            return;
        }
        m_mode = Mode::Standalone;
    }
    m_shownStatus = status;
    Q_EMIT statusChanged(status);
    if (status.state != ConnectionState::Connecting)
        flushWaiting();
}

void ClusterRouter::discover(RedisTransport *via, bool useSlots)
{
    if (m_discovering)
        return;
    m_discovering = true;
    const RedisCommand command =
        useSlots ? RedisCommand{"CLUSTER", "SLOTS"} : RedisCommand{"CLUSTER", "SHARDS"};
    const QString askedHost = via == m_seed ? m_profile.host : QString();
    submitInternal(via, command, [this, via, useSlots, askedHost](const PipelineResult &result) {
        m_discovering = false;
        const RedisReply reply = result.replies.value(0);
        if (result.ok() && !useSlots && isUnknownSubcommand(reply)) {
            m_useSlots = true; // Redis < 7
            discover(via, true);
            return;
        }
        std::optional<ClusterMap> map;
        if (result.ok())
            map = useSlots
                      ? parseClusterSlots(reply, m_addressMap, askedHost)
                      : parseClusterShards(reply, m_addressMap, askedHost, m_profile.tls.enabled);
        if (map && !map->isEmpty()) {
            applyMap(std::move(*map));
        } else if (m_mode == Mode::Unknown) {
            // The cluster cannot be read (an ACL without CLUSTER, a cluster without slots):
            // talk to this node alone, as before cluster support.
            qCWarning(lcRedis) << "cluster topology unreadable, using" << m_profile.endpoint()
                               << "alone:"
                               << (result.ok() ? QString::fromUtf8(reply.string)
                                               : result.error.message);
            m_mode = Mode::Standalone;
            m_shownStatus = m_seedStatus;
            Q_EMIT statusChanged(m_seedStatus);
            flushWaiting();
        }
        if (std::exchange(m_refreshAgain, false))
            refreshSoon();
    });
}

void ClusterRouter::applyMap(ClusterMap map)
{
    const bool first = m_mode != Mode::Cluster;
    const QString clusterState = m_map.topology.clusterState;
    m_map = std::move(map);
    m_map.topology.clusterState = m_map.topology.slotsCovered == kClusterSlots
                                      ? QStringLiteral("ok")
                                      : QStringLiteral("fail");
    if (!clusterState.isEmpty() && clusterState != m_map.topology.clusterState)
        qCInfo(lcRedis) << "cluster state" << clusterState << "->" << m_map.topology.clusterState;
    m_mode = Mode::Cluster;
    // The topology first: whoever sees Connected (a node's status below) finds it known.
    Topology topology = m_map.topology;
    markNodeProblems(topology);
    Q_EMIT topologyChanged(topology);
    for (const TopologyNode &node : std::as_const(m_map.topology.nodes))
        nodeTransport(node.address);
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (!m_map.node(it.key()))
            it.value()->close(); // forgotten by the cluster; reopened if it comes back
    }
    if (first) {
        m_refreshTimer.start();
        updateStatus();
        flushWaiting();
    }
}

RedisTransport *ClusterRouter::nodeTransport(const QString &address)
{
    if (RedisTransport *existing = m_nodes.value(address)) {
        existing->open(); // no-op while open
        return existing;
    }
    core::ConnectionProfile profile = m_profile;
    profile.unixSocket.clear();
    if (const auto hostPort = core::parseHostPort(address, std::nullopt)) {
        profile.host = hostPort->first;
        profile.port = hostPort->second;
    } else {
        qCWarning(lcRedis) << "cluster node address" << hostPort.error();
    }
    auto *transport = new RedisTransport(profile, *m_options);
    m_nodes.insert(address, transport);
    connect(transport, &RedisTransport::finished, this, &ClusterRouter::onTransportFinished);
    connect(transport, &RedisTransport::statusChanged, this,
            [this, address](const ConnectionStatus &status) { onNodeStatus(address, status); });
    transport->open();
    return transport;
}

void ClusterRouter::onNodeStatus(const QString &address, const ConnectionStatus &status)
{
    const ConnectionState before = m_nodeStatus.value(address).state;
    m_nodeStatus.insert(address, status);
    updateStatus();
    if (before == status.state || m_mode != Mode::Cluster)
        return;
    if (status.state != ConnectionState::Connecting)
        refreshSoon(); // a node lost or back: the topology says what changed
}

void ClusterRouter::markNodeProblems(Topology &topology) const
{
    for (TopologyNode &node : topology.nodes) {
        const ConnectionStatus status = m_nodeStatus.value(node.address);
        const bool down = status.state == ConnectionState::Reconnecting ||
                          status.state == ConnectionState::Failed;
        if (!down || status.error.isNone())
            continue;
        // What the cluster says of a node we cannot reach ("ok", "loading") is not what the
        // operator meets; only the cluster's own "fail" says more.
        if (node.state != QLatin1String("fail"))
            node.state = QStringLiteral("unreachable");
        node.problem = unreachableNodeProblem(node.address, node.announced, status.error.message);
    }
}

void ClusterRouter::updateStatus()
{
    if (m_mode != Mode::Cluster)
        return;
    ConnectionStatus status = m_seedStatus;
    bool anyUp = m_seedStatus.state == ConnectionState::Connected;
    for (const ConnectionStatus &node : std::as_const(m_nodeStatus))
        anyUp = anyUp || node.state == ConnectionState::Connected;
    if (anyUp) {
        status.state = ConnectionState::Connected;
        status.error = {};
        status.reconnectInMs = 0;
        status.cluster = true;
    }
    if (status.state == m_shownStatus.state && status.error.message == m_shownStatus.error.message)
        return;
    m_shownStatus = status;
    Q_EMIT statusChanged(status);
}

void ClusterRouter::refreshSoon()
{
    if (m_mode == Mode::Cluster && !m_refreshSoon.isActive())
        m_refreshSoon.start(kRefreshSoonMs);
}

void ClusterRouter::refresh()
{
    if (m_mode != Mode::Cluster)
        return;
    if (m_discovering) {
        m_refreshAgain = true;
        return;
    }
    // Ask a node that is up, masters first (they are listed first).
    RedisTransport *via = nullptr;
    for (const TopologyNode &node : std::as_const(m_map.topology.nodes)) {
        if (m_nodeStatus.value(node.address).state == ConnectionState::Connected &&
            node.state != QLatin1String("fail")) {
            via = m_nodes.value(node.address);
            break;
        }
    }
    if (!via && m_seedStatus.state == ConnectionState::Connected)
        via = m_seed;
    if (!via) {
        Topology topology = m_map.topology; // nobody to ask: at least say who is unreachable
        markNodeProblems(topology);
        Q_EMIT topologyChanged(topology);
        return;
    }
    discover(via, m_useSlots);
}

} // namespace qs::redis
