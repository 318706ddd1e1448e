#include "monitor/minutecounter.h"

namespace qs::monitor {

namespace {
constexpr qint64 kMinuteMs = 60'000;
} // namespace

qint64 minuteStartOf(qint64 ms)
{
    return ms - (((ms % kMinuteMs) + kMinuteMs) % kMinuteMs);
}

std::optional<MinuteCounter::Minute> MinuteCounter::add(qint64 readAtMs, qint64 total)
{
    const qint64 minute = minuteStartOf(readAtMs);
    if (m_started && readAtMs <= m_lastAtMs)
        return std::nullopt;
    if (!m_started || minute < m_minute) { // the first reading, or the clock went back
        *this = {};
        m_started = true;
        m_minute = minute;
        m_lastAtMs = readAtMs;
        m_last = total;
        return std::nullopt;
    }
    std::optional<Minute> done;
    if (minute != m_minute) {
        if (m_whole)
            done = Minute{m_minute, m_increments, m_wentDown};
        m_whole = minute == m_minute + kMinuteMs; // else a minute passed without a reading
        m_minute = minute;
        m_increments = 0;
        m_wentDown = false;
    }
    if (total >= m_last)
        m_increments += total - m_last;
    else
        m_wentDown = true;
    m_last = total;
    m_lastAtMs = readAtMs;
    return done;
}

} // namespace qs::monitor
