#pragma once

#include <QColor>

class QString;

namespace qs::widgets {

enum class HealthLevel { Unknown, Good, Warning, Critical };

// One set of status colours for tiles, banners, tabs and the tray: readable on light and dark.
QColor levelColor(HealthLevel level);
// a + (b - a) * amount, per channel.
QColor blend(const QColor &a, const QColor &b, double amount);

// The colour of an environment tag: production red, staging amber, development green, else grey.
QColor environmentColor(const QString &environment);

} // namespace qs::widgets
