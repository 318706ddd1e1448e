// RedisTransport through Sentinel: before every connect the sentinels name the master, the
// handshake's ROLE checks it, and a failover (+switch-master, a READONLY reply, a broken link)
// is followed to the promoted replica. The rest of the transport is in redistransport.cpp.
#include "redislog.h"
#include "redistransport.h"
#include "sentinelfollower.h"

namespace qs::redis {

void RedisTransport::setUpSentinel()
{
    if (!m_profile.usesSentinel())
        return;
    m_sentinel = new SentinelFollower(m_profile, m_options.clientName, this);
    connect(m_sentinel, &SentinelFollower::resolved, this, &RedisTransport::onMasterResolved);
    connect(m_sentinel, &SentinelFollower::failed, this, &RedisTransport::connectionFailed);
    connect(m_sentinel, &SentinelFollower::switched, this, &RedisTransport::onMasterSwitched);
}

void RedisTransport::stopSentinel()
{
    if (m_sentinel)
        m_sentinel->stop();
}

void RedisTransport::onMasterResolved(const QString &host, quint16 port)
{
    if (!m_wantOpen || m_phase != Phase::Idle)
        return;
    // From now on this connection's messages name the master it talks to.
    m_profile.sentinel.addresses.clear();
    m_profile.host = host;
    m_profile.port = port;
    connectSocket();
}

void RedisTransport::noteMasterReached()
{
    if (!m_sentinel)
        return;
    const QString address = m_profile.endpoint();
    if (!m_status.sentinelMaster.isEmpty() && m_status.sentinelMaster != address) {
        m_status.failovers += 1;
        qCInfo(lcRedis) << "followed master" << m_profile.sentinel.masterName << "from"
                        << m_status.sentinelMaster << "to" << address;
    }
    m_status.sentinelMaster = address;
}

void RedisTransport::onMasterSwitched(const QString &from, const QString &to)
{
    if (!m_wantOpen)
        return;
    if (m_phase == Phase::Idle) {
        // Waiting to reconnect (the old master is gone): ask the sentinels now.
        if (m_reconnectTimer.isActive()) {
            m_reconnectTimer.stop();
            startAttempt();
        }
        return;
    }
    if (m_profile.endpoint() == to)
        return;
    m_status.attempt = 0; // the first, shortest backoff
    connectionFailed({RedisError::Kind::NotMaster,
                      QStringLiteral("failover: the sentinels moved master '%1' from %2 to %3; "
                                     "following it")
                          .arg(m_profile.sentinel.masterName, from, to)});
}

void RedisTransport::completeFromMaster(Request &request)
{
    bool demoted = false;
    if (m_sentinel) {
        for (const RedisReply &reply : std::as_const(request.replies))
            demoted = demoted || (reply.isError() && reply.errorCode() == "READONLY");
    }
    complete(request);
    if (demoted)
        connectionFailed({RedisError::Kind::NotMaster,
                          QStringLiteral("%1 answered READONLY: it is no longer the master (a "
                                         "failover); asking the sentinels again")
                              .arg(m_profile.endpoint())});
}

} // namespace qs::redis
