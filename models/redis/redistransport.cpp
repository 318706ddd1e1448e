#include "redistransport.h"

#include "handshake.h"
#include "plainredisprobe.h"
#include "readonlypolicy.h"
#include "redislog.h"
#include "replyerrors.h"
#include "respencoder.h"
#include "sentinelfollower.h"
#include "tlsconfiguration.h"
#include "transporterrors.h"

#include <QLocalSocket>
#include <QSslSocket>

#include <utility>

namespace qs::redis {

namespace {

using Kind = RedisError::Kind;

// A TLS handshake still going after this long may be talking to a plain Redis port: ask it.
constexpr int plainProbeDelayMs = 500;

} // namespace

RedisTransport::RedisTransport(core::ConnectionProfile profile, TransportOptions options)
    : m_profile(std::move(profile))
    , m_options(std::move(options))
{
    m_clock.start();
    m_connectTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    m_deadlineTimer.setSingleShot(true);
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, &RedisTransport::probeForPlainRedis);
    connect(&m_connectTimer, &QTimer::timeout, this, &RedisTransport::onConnectTimeout);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisTransport::startAttempt);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RedisTransport::onCommandDeadline);
    connect(&m_pingTimer, &QTimer::timeout, this, &RedisTransport::pingSubscriber);
    setUpSentinel();
}

RedisTransport::~RedisTransport()
{
    teardownSocket();
}

void RedisTransport::open()
{
    if (m_wantOpen)
        return;
    m_wantOpen = true;
    m_status.attempt = 0;
    startAttempt();
}

void RedisTransport::close()
{
    m_wantOpen = false;
    m_connectTimer.stop();
    m_reconnectTimer.stop();
    stopSentinel();
    teardownSocket();
    const RedisError closed{Kind::NotConnected, QStringLiteral("the connection was closed")};
    failInflight(closed);
    failQueued(closed);
    setStatus(ConnectionState::Disconnected);
}

void RedisTransport::submit(quint64 id, const QList<RedisCommand> &commands,
                            LargeStrings largeStrings)
{
    Request request;
    request.id = id;
    request.commands = commands;
    request.expected = commands.size();
    request.largeStrings = largeStrings;
    if (m_profile.readOnly) {
        for (const RedisCommand &command : commands) {
            if (!isReadOnlyCommand(command)) {
                refuseWrite(request, command.value(0));
                return;
            }
        }
    }
    enqueue(std::move(request));
}

void RedisTransport::submit(quint64 id, const EncodedCommands &encoded)
{
    Request request;
    request.id = id;
    request.encoded = encoded;
    request.expected = encoded.size();
    if (m_profile.readOnly && !encoded.firstWrite().isEmpty()) {
        refuseWrite(request, encoded.firstWrite());
        return;
    }
    enqueue(std::move(request));
}

void RedisTransport::refuseWrite(Request &request, const QByteArray &command)
{
    complete(request, {Kind::ReadOnlyRefused,
                       QStringLiteral("refused: %1 writes, and profile '%2' is read-only; "
                                      "nothing was sent")
                           .arg(QString::fromUtf8(command).toUpper(), m_profile.name)});
}

void RedisTransport::enqueue(Request request)
{
    request.clock.start();
    request.deadline = m_clock.elapsed() + m_profile.commandTimeoutMs;
    if (request.expected == 0) {
        complete(request);
        return;
    }
    if (m_subscriber) {
        complete(request, {Kind::NotConnected, QStringLiteral("a subscriber takes no commands")});
        return;
    }
    if (m_status.state == ConnectionState::Failed || !m_wantOpen) {
        complete(request, m_status.state == ConnectionState::Failed
                              ? m_status.error
                              : RedisError{Kind::NotConnected,
                                           QStringLiteral("not connected: open the connection "
                                                          "first")});
        return;
    }
    if (m_phase == Phase::Ready && m_queued.empty()) {
        writeRequest(std::move(request));
    } else {
        m_queued.push_back(std::move(request));
        armDeadline();
    }
}

void RedisTransport::startAttempt()
{
    teardownSocket();
    m_parser = std::make_unique<ReplyParser>(unsolicitedReplyLimits());
    m_receivedAny = false;
    m_tlsError.clear();
    setStatus(ConnectionState::Connecting, m_status.error);
    if (m_sentinel)
        m_sentinel->resolve(); // then onMasterResolved or connectionFailed
    else
        connectSocket();
}

void RedisTransport::connectSocket()
{
    m_connectTimer.start(m_profile.connectTimeoutMs);
    createSocket();
    limitSubscriberReadBuffer();
}

void RedisTransport::createSocket()
{
    if (m_profile.usesUnixSocket()) {
        m_local = new QLocalSocket(this);
        m_io = m_local;
        connect(m_local, &QLocalSocket::connected, this, &RedisTransport::onTransportUp);
        connect(m_local, &QLocalSocket::readyRead, this, &RedisTransport::onReadyRead);
        connect(m_local, &QLocalSocket::errorOccurred, this,
                [this](QLocalSocket::LocalSocketError e) {
                    onSocketError(m_local ? m_local->errorString() : QString(), 1000 + int(e));
                });
        m_phase = Phase::TcpConnecting;
        m_local->connectToServer(m_profile.unixSocket);
        return;
    }
    m_tcp = new QSslSocket(this);
    m_io = m_tcp;
    m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_tcp->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    connect(m_tcp, &QSslSocket::readyRead, this, &RedisTransport::onReadyRead);
    connect(m_tcp, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        onSocketError(m_tcp ? m_tcp->errorString() : QString(), int(e));
    });
    m_phase = Phase::TcpConnecting;
    if (!m_profile.tls.enabled) {
        connect(m_tcp, &QSslSocket::connected, this, &RedisTransport::onTransportUp);
        m_tcp->connectToHost(m_profile.host, m_profile.port);
        return;
    }
    auto config = makeTlsConfiguration(m_profile.tls);
    if (!config) {
        connectionFailed({Kind::Tls, config.error()});
        return;
    }
    m_tcp->setSslConfiguration(config.value());
    connect(m_tcp, &QSslSocket::connected, this, [this] {
        m_phase = Phase::TlsHandshake;
        m_probeTimer.start(plainProbeDelayMs);
    });
    connect(m_tcp, &QSslSocket::encrypted, this, &RedisTransport::onTransportUp);
    connect(m_tcp, &QSslSocket::sslErrors, this, &RedisTransport::onSslErrors);
    const QString peerName =
        m_profile.tls.serverName.isEmpty() ? m_profile.host : m_profile.tls.serverName;
    m_tcp->connectToHostEncrypted(m_profile.host, m_profile.port, peerName);
}

void RedisTransport::teardownSocket()
{
    m_deadlineTimer.stop();
    m_probeTimer.stop();
    m_pingTimer.stop(); // a subscriber owes nothing once the phase is not Ready
    dropProbe();
    m_phase = Phase::Idle;
    m_io = nullptr;
    for (QIODevice *socket : {static_cast<QIODevice *>(m_tcp), static_cast<QIODevice *>(m_local)}) {
        if (!socket)
            continue;
        socket->disconnect(this);
        if (m_tcp == socket)
            m_tcp->abort();
        else
            m_local->abort();
        socket->deleteLater();
    }
    m_tcp = nullptr;
    m_local = nullptr;
}

void RedisTransport::onTransportUp()
{
    m_probeTimer.stop();
    dropProbe();
    m_phase = Phase::RedisHandshake;
    Request hello;
    hello.handshake = true;
    hello.commands = handshakeCommands(m_profile, m_options.clientName, m_sentinel != nullptr);
    hello.expected = hello.commands.size();
    hello.clock.start();
    writeRequest(std::move(hello));
}

void RedisTransport::dropProbe()
{
    // Later: this may run inside the probe's own signal (its answer failed the attempt).
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->deleteLater();
    }
    m_probe = nullptr;
}

void RedisTransport::probeForPlainRedis()
{
    if (m_phase != Phase::TlsHandshake || m_profile.usesUnixSocket())
        return;
    dropProbe();
    m_probe = new PlainRedisProbe(m_profile.host, m_profile.port, this);
    connect(m_probe, &PlainRedisProbe::plainRedisAnswered, this, [this] {
        connectionFailed({Kind::Tls, QStringLiteral("%1 speaks plain Redis, not TLS: use "
                                                    "redis:// (or turn TLS off in the profile)")
                                         .arg(m_profile.endpoint())});
    });
}

void RedisTransport::writeRequest(Request request)
{
    const QByteArray bytes =
        request.encoded.isEmpty() ? encodeCommands(request.commands) : request.encoded.bytes();
    request.bytesSent = bytes.size();
    request.clock.restart();
    // A fixed deadline from the write: bytes trickling in do not extend it. The handshake is
    // bounded by the connect timer instead (one deadline for TCP, TLS and handshake together).
    request.deadline = m_clock.elapsed() + m_profile.commandTimeoutMs;
    ReplyLimitsRuns limits;
    if (request.handshake)
        limits = {{handshakeReplyLimits(), request.commands.size()}};
    else if (!request.encoded.isEmpty())
        limits = request.encoded.replyLimits();
    else
        limits = pipelineReplyLimits(request.commands, request.largeStrings);
    request.encoded = {}; // written: only the count of replies matters from here on
    m_parser->expect(limits, requestByteBudget());
    m_inflight.push_back(std::move(request));
    m_io->write(bytes);
    armDeadline();
}

void RedisTransport::flushQueued()
{
    while (!m_queued.empty() && m_phase == Phase::Ready) {
        Request request = std::move(m_queued.front());
        m_queued.pop_front();
        writeRequest(std::move(request));
    }
}

void RedisTransport::onReadyRead()
{
    if (!m_io)
        return;
    const QByteArray data = m_io->readAll();
    if (data.isEmpty())
        return;
    m_receivedAny = true;
    m_parser->feed(data);
    noteReceived(data.size());
    RedisReply reply;
    for (;;) {
        const auto status = m_parser->next(&reply);
        if (status == ReplyParser::Status::NeedMore)
            break;
        if (status != ReplyParser::Status::Reply) {
            onUnreadableReply(status);
            return;
        }
        handleReply(std::move(reply));
        if (!m_io) // the reply closed the connection (failed handshake)
            return;
    }
    armDeadline();
}

void RedisTransport::handleReply(RedisReply reply)
{
    if (m_subscriber && m_phase == Phase::Ready) {
        onPush(reply);
        return;
    }
    if (m_inflight.empty()) {
        // Redis sends an error and closes for "max number of clients reached" or protected mode.
        qCWarning(lcRedis) << "unsolicited reply from" << m_profile.endpoint() << reply.string;
        connectionFailed(errorFromReply(reply, {"(none)"}, m_profile.username));
        return;
    }
    Request &front = m_inflight.front();
    if (front.replies.isEmpty())
        front.replies.reserve(front.expected);
    front.replies.append(std::move(reply));
    if (front.replies.size() < front.expected)
        return;
    Request done = std::move(front);
    m_inflight.pop_front();
    if (done.handshake)
        finishHandshake(done);
    else
        completeFromMaster(done);
}

void RedisTransport::onUnreadableReply(ReplyParser::Status status)
{
    const QString endpoint = m_profile.endpoint();
    const QString why = m_parser->errorString();
    RedisError error;
    if (status == ReplyParser::Status::TooLarge)
        error = {Kind::ReplyTooLarge,
                 QStringLiteral("%1: %2; the connection is reset").arg(endpoint, why)};
    else if (m_phase != Phase::Ready)
        error = {Kind::NotRedis, QStringLiteral("%1 answered, but not in the Redis protocol: %2. "
                                                "Is this the right host and port?")
                                     .arg(endpoint, why)};
    else
        error = {Kind::BadReply,
                 QStringLiteral("%1 sent a reply that is not valid Redis protocol: %2; the "
                                "connection is reset")
                     .arg(endpoint, why)};
    failFront(error);
}

void RedisTransport::failFront(const RedisError &error)
{
    // The unreadable or overdue reply is the front request's; the replies still owed to the
    // others would be matched to the wrong requests, so the connection is reset.
    if (m_phase == Phase::Ready && !m_inflight.empty() && !m_inflight.front().handshake) {
        Request request = std::move(m_inflight.front());
        m_inflight.pop_front();
        complete(request, error);
        connectionFailed(lostError(m_profile.endpoint(), qsizetype(m_inflight.size()),
                                   QStringLiteral("reset after: %1").arg(error.message)));
        return;
    }
    connectionFailed(error);
}

void RedisTransport::finishHandshake(const Request &request)
{
    if (const RedisError error = handshakeError(m_profile, request.commands, request.replies);
        !error.isNone()) {
        connectionFailed(error);
        return;
    }
    m_connectTimer.stop();
    m_phase = Phase::Ready;
    m_status.attempt = 0;
    m_status.cluster = handshakeFoundCluster(request.commands, request.replies);
    m_status.tls =
        m_tcp && m_tcp->isEncrypted() ? describeSession(*m_tcp, m_profile.tls) : QString();
    noteMasterReached();
    qCInfo(lcRedis) << "connected to" << m_profile.displayUrl();
    setStatus(ConnectionState::Connected);
    flushQueued();
    if (m_subscriber)
        startSubscription();
}

void RedisTransport::complete(Request &request, const RedisError &error)
{
    PipelineResult result;
    result.error = error;
    if (error.isNone())
        result.replies = std::move(request.replies);
    result.bytesSent = request.bytesSent;
    result.bytesReceived = request.bytesReceived;
    result.elapsedUs = request.clock.isValid() ? request.clock.nsecsElapsed() / 1000 : 0;
    Q_EMIT finished(request.id, result);
}

void RedisTransport::onSslErrors(const QList<QSslError> &errors)
{
    const QString expected =
        m_profile.tls.serverName.isEmpty() ? m_profile.host : m_profile.tls.serverName;
    m_tlsError = describeTlsErrors(errors, m_tcp ? m_tcp->peerCertificate() : QSslCertificate(),
                                   m_profile.endpoint(), expected);
    // Not ignored: the handshake aborts and onSocketError reports m_tlsError.
}

void RedisTransport::onSocketError(const QString &description, int qtError)
{
    if (!m_tlsError.isEmpty()) {
        connectionFailed({Kind::Tls, m_tlsError});
        return;
    }
    connectionFailed(describeSocketError(m_profile, m_phase, m_receivedAny,
                                         qsizetype(m_inflight.size()), description, qtError));
}

void RedisTransport::onConnectTimeout()
{
    connectionFailed(describeConnectTimeout(m_profile, m_phase));
}

void RedisTransport::connectionFailed(const RedisError &error)
{
    m_connectTimer.stop();
    const bool wasReady = m_phase == Phase::Ready;
    teardownSocket();
    failInflight(
        error.kind == Kind::ConnectionLost || !wasReady
            ? error
            : lostError(m_profile.endpoint(), qsizetype(m_inflight.size()), error.message));
    qCDebug(lcRedis) << m_profile.endpoint() << error.code() << error.message;
    if (!m_wantOpen) {
        failQueued(error);
        setStatus(ConnectionState::Disconnected, error);
        return;
    }
    if (error.isPermanent() || error.kind == Kind::BadDatabase || !m_options.autoReconnect) {
        m_wantOpen = false;
        failQueued(error);
        setStatus(ConnectionState::Failed, error);
        return;
    }
    const int shift = qMin(m_status.attempt, 10);
    const int delay = qMin(m_options.maxBackoffMs, m_options.firstBackoffMs << shift);
    m_status.attempt += 1;
    setStatus(ConnectionState::Reconnecting, error, delay);
    m_reconnectTimer.start(delay);
    armDeadline();
}

void RedisTransport::failInflight(const RedisError &error)
{
    for (Request &request : std::exchange(m_inflight, {})) {
        if (!request.handshake)
            complete(request, error);
    }
}

void RedisTransport::failQueued(const RedisError &error)
{
    for (Request &request : std::exchange(m_queued, {}))
        complete(request, error);
}

void RedisTransport::setStatus(ConnectionState state, const RedisError &error, int reconnectInMs)
{
    m_status.state = state;
    m_status.error = error;
    m_status.reconnectInMs = reconnectInMs;
    Q_EMIT statusChanged(m_status);
}

} // namespace qs::redis
