#include "monitor/units.h"

#include <array>
#include <cmath>

namespace qs::monitor {

QString formatBytes(qint64 bytes)
{
    // Work on the magnitude as unsigned so that the minimum qint64 does not overflow.
    const bool negative = bytes < 0;
    const quint64 magnitude = negative ? quint64(0) - quint64(bytes) : quint64(bytes);
    const QString sign = negative ? QStringLiteral("-") : QString();
    if (magnitude < 1024)
        return sign + QString::number(magnitude) + QStringLiteral(" B");

    static constexpr std::array<const char *, 6> units{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = double(magnitude) / 1024;
    std::size_t unit = 0;
    // Decide the unit on the rounded value, so 1023.96 KiB prints as "1.0 MiB", not "1024 KiB".
    while (unit + 1 < units.size() && std::round(value * 10) / 10 >= 1024) {
        value /= 1024;
        ++unit;
    }
    const int decimals = std::round(value * 10) / 10 < 100 ? 1 : 0;
    return sign + QString::number(value, 'f', decimals) + QLatin1Char(' ') +
           QLatin1String(units[unit]);
}

QString formatCount(qint64 count)
{
    const bool negative = count < 0;
    const quint64 magnitude = negative ? quint64(0) - quint64(count) : quint64(count);
    const QString digits = QString::number(magnitude);
    QString out;
    out.reserve(digits.size() + digits.size() / 3 + 1);
    if (negative)
        out += QLatin1Char('-');
    for (qsizetype i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += QLatin1Char(',');
        out += digits.at(i);
    }
    return out;
}

QString formatBytes(std::optional<qint64> bytes)
{
    return bytes ? formatBytes(*bytes) : QStringLiteral("unknown");
}

QString formatCount(std::optional<qint64> count)
{
    return count ? formatCount(*count) : QStringLiteral("unknown");
}

} // namespace qs::monitor
