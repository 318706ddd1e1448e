#include "redistransport.h"

#include "readonlypolicy.h"
#include "redislog.h"
#include "replyerrors.h"
#include "respencoder.h"
#include "tlsconfiguration.h"

#include <QLocalSocket>
#include <QSslSocket>

namespace qs::redis {

namespace {

using Kind = RedisError::Kind;

RedisError lostError(const QString &endpoint, qsizetype inflight, const QString &why)
{
    if (inflight == 0)
        return {Kind::ConnectionLost,
                QStringLiteral("connection to %1 lost (%2)").arg(endpoint, why)};
    return {Kind::ConnectionLost,
            QStringLiteral("connection to %1 lost (%2) with %3 request(s) in flight; they may or "
                           "may not have run")
                .arg(endpoint, why, QString::number(inflight))};
}

bool isAuthReplyHarmless(const RedisReply &reply)
{
    // A password sent to a server that has none: Redis 5 says "Client sent AUTH, but no password
    // is set", Redis 6+ "AUTH <password> called without any password configured". The
    // connection works; many REDIS_URLs carry a password the dev server does not need.
    return reply.isError() && (reply.string.contains("no password is set") ||
                               reply.string.contains("without any password configured"));
}

} // namespace

RedisTransport::RedisTransport(core::ConnectionProfile profile, TransportOptions options)
    : m_profile(std::move(profile))
    , m_options(std::move(options))
{
    m_clock.start();
    m_connectTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    m_deadlineTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &RedisTransport::onConnectTimeout);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisTransport::startAttempt);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RedisTransport::onCommandDeadline);
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
    teardownSocket();
    const RedisError closed{Kind::NotConnected, QStringLiteral("the connection was closed")};
    failInflight(closed);
    failQueued(closed);
    setStatus(ConnectionState::Disconnected);
}

void RedisTransport::submit(quint64 id, const QList<RedisCommand> &commands)
{
    Request request;
    request.id = id;
    request.commands = commands;
    request.clock.start();
    request.deadline = m_clock.elapsed() + m_profile.commandTimeoutMs;
    if (m_profile.readOnly) {
        for (const RedisCommand &command : commands) {
            if (isReadOnlyCommand(command))
                continue;
            const QString name = QString::fromUtf8(command.value(0)).toUpper();
            complete(request, {Kind::ReadOnlyRefused,
                               QStringLiteral("refused: %1 writes, and profile '%2' is read-only; "
                                              "nothing was sent")
                                   .arg(name, m_profile.name)});
            return;
        }
    }
    if (commands.isEmpty()) {
        complete(request);
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
    m_parser = std::make_unique<ReplyParser>();
    m_receivedAny = false;
    m_tlsError.clear();
    setStatus(ConnectionState::Connecting, m_status.error);
    m_connectTimer.start(m_profile.connectTimeoutMs);
    createSocket();
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
    connect(m_tcp, &QSslSocket::connected, this, [this] { m_phase = Phase::TlsHandshake; });
    connect(m_tcp, &QSslSocket::encrypted, this, &RedisTransport::onTransportUp);
    connect(m_tcp, &QSslSocket::sslErrors, this, &RedisTransport::onSslErrors);
    const QString peerName =
        m_profile.tls.serverName.isEmpty() ? m_profile.host : m_profile.tls.serverName;
    m_tcp->connectToHostEncrypted(m_profile.host, m_profile.port, peerName);
}

void RedisTransport::teardownSocket()
{
    m_deadlineTimer.stop();
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
    m_phase = Phase::RedisHandshake;
    Request hello;
    hello.handshake = true;
    hello.commands = handshakeCommands();
    hello.clock.start();
    writeRequest(std::move(hello));
}

QList<RedisCommand> RedisTransport::handshakeCommands() const
{
    QList<RedisCommand> commands;
    if (!m_profile.password.isEmpty()) {
        if (m_profile.username.isEmpty())
            commands.append({"AUTH", m_profile.password.toUtf8()});
        else
            commands.append({"AUTH", m_profile.username.toUtf8(), m_profile.password.toUtf8()});
    }
    if (m_profile.db != 0)
        commands.append({"SELECT", QByteArray::number(m_profile.db)});
    commands.append({"CLIENT", "SETNAME", m_options.clientName.toUtf8()});
    commands.append({"PING"});
    return commands;
}

void RedisTransport::writeRequest(Request request)
{
    const QByteArray bytes = encodeCommands(request.commands);
    request.bytesSent = bytes.size();
    request.clock.restart();
    request.deadline = m_clock.elapsed() + (request.handshake ? m_profile.connectTimeoutMs
                                                              : m_profile.commandTimeoutMs);
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
    if (!m_inflight.empty()) {
        // Bytes are arriving: the front request is slow, not stuck. Timeouts measure silence.
        m_inflight.front().bytesReceived += data.size();
        if (!m_inflight.front().handshake)
            m_inflight.front().deadline = m_clock.elapsed() + m_profile.commandTimeoutMs;
    }
    RedisReply reply;
    for (;;) {
        const auto status = m_parser->next(&reply);
        if (status == ReplyParser::Status::NeedMore)
            break;
        if (status == ReplyParser::Status::ProtocolError) {
            const QString endpoint = m_profile.endpoint();
            connectionFailed({Kind::NotRedis,
                              QStringLiteral("%1 answered, but not in the Redis protocol: %2. Is "
                                             "this the right host and port?")
                                  .arg(endpoint, m_parser->errorString())});
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
    if (m_inflight.empty()) {
        // Redis sends an error and closes for "max number of clients reached" or protected mode.
        qCWarning(lcRedis) << "unsolicited reply from" << m_profile.endpoint() << reply.string;
        connectionFailed(errorFromReply(reply, {"(none)"}, m_profile.username));
        return;
    }
    Request &front = m_inflight.front();
    front.replies.append(std::move(reply));
    if (front.replies.size() < front.commands.size())
        return;
    Request done = std::move(front);
    m_inflight.pop_front();
    if (done.handshake)
        finishHandshake(done);
    else
        complete(done);
}

void RedisTransport::finishHandshake(const Request &request)
{
    for (qsizetype i = 0; i < request.commands.size(); ++i) {
        const RedisCommand &command = request.commands.at(i);
        const RedisReply &reply = request.replies.at(i);
        if (!reply.isError())
            continue;
        const QByteArray name = command.first();
        if (name == "AUTH" && isAuthReplyHarmless(reply)) {
            qCInfo(lcRedis) << m_profile.endpoint() << "needs no password; connected anyway";
            continue;
        }
        if (name == "CLIENT")
            continue; // SETNAME is a courtesy; ACL users often may not run it
        if (name == "PING" && reply.errorCode() == "NOPERM")
            continue; // it answered in RESP after AUTH succeeded: good enough
        RedisError error = errorFromReply(reply, command, m_profile.username);
        if (name == "AUTH" && error.kind == Kind::Server) {
            const bool legacy = reply.string.contains("wrong number of arguments");
            error = {Kind::AuthFailed,
                     legacy ? QStringLiteral("authentication failed: this server (Redis < 6) "
                                             "has no ACL users; remove the user name")
                            : QStringLiteral("authentication failed for user '%1': %2")
                                  .arg(m_profile.username.isEmpty() ? QStringLiteral("default")
                                                                    : m_profile.username,
                                       QString::fromUtf8(reply.string))};
        } else if (name == "SELECT") {
            error = {Kind::BadDatabase,
                     QStringLiteral("cannot select database %1 on %2: %3")
                         .arg(m_profile.db)
                         .arg(m_profile.endpoint(), QString::fromUtf8(reply.string))};
        }
        connectionFailed(error);
        return;
    }
    m_connectTimer.stop();
    m_phase = Phase::Ready;
    m_status.attempt = 0;
    m_status.tls =
        m_tcp && m_tcp->isEncrypted() ? describeSession(*m_tcp, m_profile.tls) : QString();
    qCInfo(lcRedis) << "connected to" << m_profile.displayUrl();
    setStatus(ConnectionState::Connected);
    flushQueued();
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
    const QString endpoint = m_profile.endpoint();
    RedisError error;
    if (!m_tlsError.isEmpty()) {
        error = {Kind::Tls, m_tlsError};
    } else if (qtError == QAbstractSocket::HostNotFoundError) {
        error = {Kind::UnknownHost,
                 QStringLiteral("unknown host '%1': the name does not resolve (check the host "
                                "name, DNS or VPN)")
                     .arg(m_profile.host)};
    } else if (qtError == QAbstractSocket::ConnectionRefusedError ||
               qtError == 1000 + QLocalSocket::ConnectionRefusedError) {
        error = {Kind::ConnectionRefused,
                 QStringLiteral("connection refused by %1: nothing listens there (is "
                                "redis-server running, and on this port?)")
                     .arg(endpoint)};
    } else if (qtError == 1000 + QLocalSocket::ServerNotFoundError) {
        error = {Kind::ConnectionRefused,
                 QStringLiteral("no Redis socket at %1 (is redis-server running with "
                                "unixsocket set?)")
                     .arg(endpoint)};
    } else if (qtError == 1000 + QLocalSocket::SocketAccessError) {
        error = {Kind::ConnectionRefused,
                 QStringLiteral("permission denied on the socket %1").arg(endpoint)};
    } else if (qtError == QAbstractSocket::SslHandshakeFailedError ||
               qtError == QAbstractSocket::SslInternalError ||
               qtError == QAbstractSocket::SslInvalidUserDataError) {
        error = {Kind::Tls, QStringLiteral("TLS handshake with %1 failed (%2): does the server "
                                           "speak TLS? For a plain server use redis://")
                                .arg(endpoint, description)};
    } else if (m_phase != Phase::Ready) {
        error = describeDropDuringHandshake(description);
    } else {
        error = lostError(endpoint, qsizetype(m_inflight.size()), description);
    }
    connectionFailed(error);
}

RedisError RedisTransport::describeDropDuringHandshake(const QString &socketError) const
{
    const QString endpoint = m_profile.endpoint();
    if (m_receivedAny)
        return lostError(endpoint, 0, socketError);
    if (m_phase == Phase::RedisHandshake && !m_profile.tls.enabled && !m_profile.usesUnixSocket())
        return {Kind::TlsRequired,
                QStringLiteral("%1 closed the connection without answering the Redis handshake: "
                               "if it requires TLS, use rediss:// (%2)")
                    .arg(endpoint, socketError)};
    if (m_phase == Phase::RedisHandshake && m_profile.tls.enabled)
        return {Kind::Tls,
                QStringLiteral("%1 closed the TLS connection before answering: it probably "
                               "requires a client certificate (mutual TLS) that was not sent or "
                               "not accepted (%2)")
                    .arg(endpoint, socketError)};
    return lostError(endpoint, 0, socketError);
}

void RedisTransport::onConnectTimeout()
{
    const QString endpoint = m_profile.endpoint();
    const double seconds = m_profile.connectTimeoutMs / 1000.0;
    QString hint;
    switch (m_phase) {
    case Phase::TcpConnecting:
        hint = QStringLiteral("the host did not accept a connection (unreachable or firewalled?)");
        break;
    case Phase::TlsHandshake:
        hint = QStringLiteral("the TLS handshake did not complete: is it a TLS port? For a plain "
                              "server use redis://");
        break;
    default:
        hint = m_profile.tls.enabled
                   ? QStringLiteral("nothing answered the Redis handshake: is this a Redis server?")
                   : QStringLiteral("nothing answered the Redis handshake: is this a Redis server? "
                                    "A TLS-only port stays silent to plain text (try rediss://)");
    }
    connectionFailed({Kind::ConnectTimeout, QStringLiteral("no answer from %1 within %2 s: %3")
                                                .arg(endpoint, QString::number(seconds), hint)});
}

void RedisTransport::armDeadline()
{
    qint64 next = -1;
    if (!m_inflight.empty() && !m_inflight.front().handshake)
        next = m_inflight.front().deadline;
    if (!m_queued.empty())
        next = next < 0 ? m_queued.front().deadline : qMin(next, m_queued.front().deadline);
    if (next < 0) {
        m_deadlineTimer.stop();
        return;
    }
    m_deadlineTimer.start(int(qMax<qint64>(0, next - m_clock.elapsed())));
}

void RedisTransport::onCommandDeadline()
{
    const qint64 now = m_clock.elapsed();
    const double seconds = m_profile.commandTimeoutMs / 1000.0;
    while (!m_queued.empty() && m_queued.front().deadline <= now) {
        Request request = std::move(m_queued.front());
        m_queued.pop_front();
        complete(request,
                 {Kind::CommandTimeout,
                  QStringLiteral("not sent: %1 was not reachable within %2 s (%3)")
                      .arg(m_profile.endpoint(), QString::number(seconds), m_status.describe())});
    }
    if (!m_inflight.empty() && !m_inflight.front().handshake &&
        m_inflight.front().deadline <= now) {
        Request request = std::move(m_inflight.front());
        m_inflight.pop_front();
        complete(request, {Kind::CommandTimeout,
                           QStringLiteral("%1 did not answer within %2 s (blocked by a slow "
                                          "command or script, or overloaded?); the connection is "
                                          "reset")
                               .arg(m_profile.endpoint(), QString::number(seconds))});
        // Replies still owed to the timed-out request would be matched to the wrong requests.
        connectionFailed(lostError(m_profile.endpoint(), qsizetype(m_inflight.size()),
                                   QStringLiteral("reset after a command timed out")));
        return;
    }
    armDeadline();
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
    std::deque<Request> requests;
    requests.swap(m_inflight);
    for (Request &request : requests) {
        if (!request.handshake)
            complete(request, error);
    }
}

void RedisTransport::failQueued(const RedisError &error)
{
    std::deque<Request> requests;
    requests.swap(m_queued);
    for (Request &request : requests)
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
