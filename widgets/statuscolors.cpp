#include "statuscolors.h"

#include <QString>

namespace qs::widgets {

QColor levelColor(HealthLevel level)
{
    switch (level) {
    case HealthLevel::Good:
        return QColor(0x2e, 0xa0, 0x43);
    case HealthLevel::Warning:
        return QColor(0xe0, 0x9a, 0x12);
    case HealthLevel::Critical:
        return QColor(0xd9, 0x30, 0x25);
    case HealthLevel::Unknown:
        break;
    }
    return QColor(0x80, 0x80, 0x80);
}

QColor blend(const QColor &a, const QColor &b, double amount)
{
    auto mix = [amount](int x, int y) { return int(x + (y - x) * amount); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

QColor environmentColor(const QString &environment)
{
    const QString e = environment.toLower();
    if (e.startsWith(QLatin1String("prod")))
        return QColor(0xc6, 0x28, 0x28);
    if (e.startsWith(QLatin1String("stag")))
        return QColor(0xef, 0x8f, 0x00);
    if (e.startsWith(QLatin1String("dev")))
        return QColor(0x2e, 0x7d, 0x32);
    return QColor(0x60, 0x60, 0x60);
}

} // namespace qs::widgets
