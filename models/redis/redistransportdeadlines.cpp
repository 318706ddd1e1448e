// RedisTransport's command deadlines (the rest of the transport is in redistransport.cpp).
#include "redistransport.h"

#include "replylimits.h"

namespace qs::redis {

using Kind = RedisError::Kind;

void RedisTransport::armDeadline()
{
    qint64 next = -1;
    if (!m_inflight.empty() && !m_inflight.front().handshake)
        next = m_inflight.front().deadline;
    if (!m_queued.empty())
        next = next < 0 ? m_queued.front().deadline : qMin(next, m_queued.front().deadline);
    if (const qint64 owed = subscriberDeadline(); owed >= 0)
        next = next < 0 ? owed : qMin(next, owed);
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
        const qint64 received = m_inflight.front().bytesReceived;
        const QString why =
            received == 0
                ? QStringLiteral("%1 did not answer within %2 s (blocked by a slow command or "
                                 "script, or overloaded?); the connection is reset")
                      .arg(m_profile.endpoint(), QString::number(seconds))
                : QStringLiteral("%1 did not complete its reply within %2 s (%3 arrived: a slow "
                                 "link or a server trickling bytes?); the connection is reset")
                      .arg(m_profile.endpoint(), QString::number(seconds), describeSize(received));
        failFront({Kind::CommandTimeout, why});
        return;
    }
    if (subscriberOverdue(now))
        return;
    armDeadline();
}

} // namespace qs::redis
