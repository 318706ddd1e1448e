#include "sentinelfollower.h"

#include "core/sentinelurl.h"
#include "redislog.h"
#include "redistransport.h"

namespace qs::redis {

namespace {

using Kind = RedisError::Kind;

constexpr int rewatchDelayMs = 1'000;

bool isAuthProblem(const RedisError &error)
{
    return error.kind == Kind::AuthFailed || error.kind == Kind::AuthRequired ||
           error.kind == Kind::NoPermission;
}

void drop(QPointer<RedisTransport> &transport)
{
    if (!transport)
        return;
    RedisTransport *t = transport;
    transport = nullptr;
    t->disconnect();
    t->close();
    t->deleteLater();
}

} // namespace

SentinelFollower::SentinelFollower(core::ConnectionProfile profile, QString clientName,
                                   QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_clientName(std::move(clientName))
{
    m_rewatchTimer.setSingleShot(true);
    connect(&m_rewatchTimer, &QTimer::timeout, this, &SentinelFollower::watch);
}

SentinelFollower::~SentinelFollower() = default;

RedisTransport *SentinelFollower::sentinelTransport(int index, const QString &clientName)
{
    TransportOptions options;
    options.autoReconnect = false;
    options.clientName = clientName;
    auto *transport = new RedisTransport(
        core::sentinelNodeProfile(m_profile, m_profile.sentinel.addresses.at(index)), options);
    transport->setParent(this);
    return transport;
}

void SentinelFollower::resolve()
{
    m_stopped = false;
    drop(m_asking);
    m_index = -1;
    m_reasons.clear();
    m_unknownMaster = 0;
    m_authFailed = 0;
    if (const QString problem = core::sentinelProblem(m_profile); !problem.isEmpty()) {
        Q_EMIT failed({Kind::SentinelUnknownMaster, problem});
        return;
    }
    askNext();
}

void SentinelFollower::stop()
{
    m_stopped = true;
    m_rewatchTimer.stop();
    drop(m_asking);
    drop(m_watch);
}

void SentinelFollower::askNext()
{
    drop(m_asking);
    ++m_index;
    if (m_index >= m_profile.sentinel.addresses.size()) {
        giveUp();
        return;
    }
    RedisTransport *transport =
        sentinelTransport(m_index, m_clientName + QStringLiteral("-sentinel"));
    m_asking = transport;
    connect(transport, &RedisTransport::finished, this,
            [this, transport](quint64, const PipelineResult &result) {
                if (transport == m_asking)
                    onAnswer(result);
            });
    transport->open();
    transport->submit(
        1, {{"SENTINEL", "GET-MASTER-ADDR-BY-NAME", m_profile.sentinel.masterName.toUtf8()}});
}

void SentinelFollower::onAnswer(const PipelineResult &result)
{
    const QString address = m_profile.sentinel.addresses.at(m_index);
    const QString master = m_profile.sentinel.masterName;
    if (!result.ok()) {
        m_authFailed += isAuthProblem(result.error) ? 1 : 0;
        // Some messages name the sentinel already ("127.0.0.1:26379 closed the connection...").
        m_reasons << (result.error.message.startsWith(address)
                          ? result.error.message
                          : QStringLiteral("%1: %2").arg(address, result.error.message));
        askNext();
        return;
    }
    const RedisReply reply = result.replies.value(0);
    if (reply.isNil()) {
        ++m_unknownMaster;
        m_reasons << QStringLiteral("%1 knows no master named '%2'").arg(address, master);
        askNext();
        return;
    }
    const qint64 port = reply.elements.size() == 2 ? reply.elements.at(1).toInteger(0) : 0;
    if (!reply.isArray() || port < 1 || port > 65535 || reply.elements.at(0).string.isEmpty()) {
        const QByteArray code = reply.errorCode();
        m_authFailed += code == "NOAUTH" || code == "WRONGPASS" || code == "NOPERM" ? 1 : 0;
        m_reasons << QStringLiteral("%1: %2").arg(
            address, reply.isError() ? QString::fromUtf8(reply.string)
                                     : QStringLiteral("an answer that is not an address"));
        askNext();
        return;
    }
    const QString host = QString::fromUtf8(reply.elements.at(0).string);
    drop(m_asking);
    if (!m_watch && !m_rewatchTimer.isActive()) {
        m_watchIndex = m_index;
        watch();
    }
    qCDebug(lcRedis) << "sentinel" << address << "names" << core::hostPortText(host, quint16(port))
                     << "as the master of" << master;
    Q_EMIT resolved(host, quint16(port));
}

void SentinelFollower::giveUp()
{
    const QString master = m_profile.sentinel.masterName;
    const QString reasons = m_reasons.join(QStringLiteral("; "));
    const qsizetype count = m_profile.sentinel.addresses.size();
    if (m_authFailed > 0) {
        Q_EMIT failed({Kind::SentinelAuthFailed,
                       QStringLiteral("a sentinel refused the sentinel credentials (the "
                                      "sentinels' own user and password, not the data "
                                      "password): %1")
                           .arg(reasons)});
    } else if (m_unknownMaster == count) {
        Q_EMIT failed({Kind::SentinelUnknownMaster,
                       QStringLiteral("no sentinel knows a master named '%1' (%2): check the "
                                      "name; SENTINEL MASTERS (or 'List masters' in the profile "
                                      "editor) lists the names they monitor")
                           .arg(master, reasons)});
    } else {
        Q_EMIT failed(
            {Kind::SentinelUnreachable,
             QStringLiteral("no sentinel could name the master '%1': %2").arg(master, reasons)});
    }
}

void SentinelFollower::watch()
{
    const qsizetype count = m_profile.sentinel.addresses.size();
    if (m_stopped || m_watch || count == 0)
        return;
    RedisTransport *transport = sentinelTransport(int(m_watchIndex % count),
                                                  m_clientName + QStringLiteral("-sentinel-watch"));
    m_watch = transport;
    connect(transport, &RedisTransport::statusChanged, this,
            [this, transport](const ConnectionStatus &status) {
                if (transport == m_watch)
                    onWatchStatus(status);
            });
    connect(transport, &RedisTransport::pushed, this, &SentinelFollower::onWatchMessage);
    transport->subscribe({"+switch-master"});
    transport->open();
}

void SentinelFollower::onWatchStatus(const ConnectionStatus &status)
{
    if (status.state != ConnectionState::Failed && status.state != ConnectionState::Disconnected)
        return;
    // That sentinel is gone: watch from the next one (failovers are still found, later, when
    // the master's own connection breaks).
    qCDebug(lcRedis) << "sentinel watch lost:" << status.error.message;
    drop(m_watch);
    ++m_watchIndex;
    if (!m_stopped)
        m_rewatchTimer.start(rewatchDelayMs);
}

void SentinelFollower::onWatchMessage(const PushMessage &message)
{
    // "<master name> <old ip> <old port> <new ip> <new port>"
    const QList<QByteArray> parts = message.payload.split(' ');
    if (message.channel != "+switch-master" || parts.size() != 5 ||
        QString::fromUtf8(parts.at(0)) != m_profile.sentinel.masterName)
        return;
    const QString from =
        core::hostPortText(QString::fromUtf8(parts.at(1)), quint16(parts.at(2).toUInt()));
    const QString to =
        core::hostPortText(QString::fromUtf8(parts.at(3)), quint16(parts.at(4).toUInt()));
    qCInfo(lcRedis) << "sentinel: master" << m_profile.sentinel.masterName << "moved from" << from
                    << "to" << to;
    Q_EMIT switched(from, to);
}

} // namespace qs::redis
