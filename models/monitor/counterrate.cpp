#include "monitor/counterrate.h"

namespace qs::monitor {

void CounterRate::add(qint64 readAtMs, qint64 total)
{
    if (!m_readings.isEmpty()) {
        const QPair<qint64, qint64> &last = m_readings.constLast();
        if (readAtMs <= last.first)
            return;
        if (total < last.second)
            m_readings.clear();
    }
    m_readings.append({readAtMs, total});
    // Keep one reading at or before the window's start as the baseline, and nothing older.
    while (m_readings.size() > 2 && m_readings.at(1).first <= readAtMs - WindowMs)
        m_readings.removeFirst();
}

std::optional<double> CounterRate::perMinute() const
{
    if (m_readings.size() < 2)
        return std::nullopt;
    const QPair<qint64, qint64> &first = m_readings.constFirst();
    const QPair<qint64, qint64> &last = m_readings.constLast();
    const qint64 span = last.first - first.first;
    if (span < MinSpanMs)
        return std::nullopt;
    return double(last.second - first.second) * 60'000.0 / double(span);
}

} // namespace qs::monitor
