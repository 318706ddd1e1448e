#include "valueticker.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace qs::widgets {

double ValueTicker::getTickStep(const QCPRange &range)
{
    static const std::array<const char *, 6> binary{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    static const std::array<const char *, 5> decimal{"", "k", "M", "G", "T"};
    const double magnitude = std::max(std::abs(range.lower), std::abs(range.upper));
    m_scale = 1;
    m_suffix.clear();
    if (m_format == ChartValueFormat::Bytes) {
        std::size_t unit = 0;
        while (unit + 1 < binary.size() && magnitude >= m_scale * 1024) {
            m_scale *= 1024;
            ++unit;
        }
        m_suffix = QLatin1Char(' ') + QLatin1String(binary[unit]);
    } else if (m_format == ChartValueFormat::Percent) {
        m_suffix = QStringLiteral("%");
    } else {
        std::size_t unit = 0;
        while (unit + 1 < decimal.size() && magnitude >= m_scale * 1000) {
            m_scale *= 1000;
            ++unit;
        }
        m_suffix = QLatin1String(decimal[unit]);
    }
    double step =
        QCPAxisTicker::getTickStep(QCPRange(range.lower / m_scale, range.upper / m_scale));
    if (m_format == ChartValueFormat::Bytes && m_scale == 1)
        step = std::max(step, 1.0); // no fractions of a byte
    m_decimals = 0;
    for (double scaled = step; m_decimals < 6; scaled *= 10, ++m_decimals) {
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
            break;
    }
    m_step = step * m_scale;
    return m_step;
}

QString ValueTicker::getTickLabel(double tick, const QLocale &, QChar, int)
{
    if (std::abs(tick) < m_step * 1e-6)
        return QStringLiteral("0"); // neither "-0" nor "0 GiB"
    // '.' whatever the locale, as everywhere else in QueueScope.
    return QString::number(tick / m_scale, 'f', m_decimals) + m_suffix;
}

} // namespace qs::widgets
