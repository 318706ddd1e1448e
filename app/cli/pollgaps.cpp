#include "pollgaps.h"

#include <QDateTime>
#include <QTimeZone>

namespace qs::cli {

namespace {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

} // namespace

std::optional<QJsonObject> PollGaps::onPoll(const monitor::PollSnapshot &snapshot)
{
    if (!snapshot.ok()) {
        if (inGap()) {
            ++m_missed;
            return std::nullopt;
        }
        m_gapStartMs = snapshot.timestampMs;
        m_missed = 1; // attempts are not reset: the first one may come before this poll
        return QJsonObject{{QStringLiteral("time"), isoTime(snapshot.timestampMs)},
                           {QStringLiteral("ok"), false},
                           {QStringLiteral("gap"), QStringLiteral("started")},
                           {QStringLiteral("error"), snapshot.error.message},
                           {QStringLiteral("code"), snapshot.error.code()}};
    }
    if (!inGap()) {
        m_attempts = 0; // a drop healed between two polls is no outage
        return std::nullopt;
    }
    const QJsonObject line{{QStringLiteral("time"), isoTime(snapshot.timestampMs)},
                           {QStringLiteral("ok"), true},
                           {QStringLiteral("gap"), QStringLiteral("ended")},
                           {QStringLiteral("since"), isoTime(m_gapStartMs)},
                           {QStringLiteral("downMs"), snapshot.timestampMs - m_gapStartMs},
                           {QStringLiteral("missedPolls"), m_missed},
                           {QStringLiteral("reconnectAttempts"), m_attempts}};
    m_gapStartMs = -1;
    m_missed = 0;
    m_attempts = 0;
    return line;
}

} // namespace qs::cli
