#include "checkedint64.h"

#include <cmath>

namespace qs::core {

std::optional<qint64> checkedInt64(double value)
{
    // 2^63 is exactly representable; every double below it (and at or above -2^63) fits.
    constexpr double limit = 9223372036854775808.0;
    if (!(value >= -limit && value < limit)) // false for NaN too
        return std::nullopt;
    return qint64(value);
}

qint64 millisOrUnknown(double ms)
{
    const std::optional<qint64> value = checkedInt64(ms);
    return value && *value >= 0 ? *value : -1;
}

} // namespace qs::core
