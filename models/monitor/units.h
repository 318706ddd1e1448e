#pragma once

#include <QString>

#include <optional>

namespace qs::monitor {

// Binary units as operators read them in reasons and tables: "812 B", "512 KiB", "1.8 GiB".
// One decimal below 100 of a unit, none above; always '.' as the decimal point, so text in logs
// and in `check` output does not depend on the machine's locale.
QString formatBytes(qint64 bytes);

// Thousands grouped with ',' ("1,204"), locale-independent for the same reason.
QString formatCount(qint64 count);

// The same for a value that may be unknown (absent, or impossible such as negative memory):
// "unknown" then, never a made-up number.
QString formatBytes(std::optional<qint64> bytes);
QString formatCount(std::optional<qint64> count);

} // namespace qs::monitor
