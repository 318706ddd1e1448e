#pragma once

#include <QtGlobal>

#include <optional>

namespace qs::core {

// A double (a sorted-set score, a JSON number, a parsed duration) as a qint64, or nullopt when
// it is NaN or does not fit. Casting such a double directly is undefined behaviour, and Redis
// stores whatever a client wrote: "1e300", "inf" and "-inf" are valid scores.
std::optional<qint64> checkedInt64(double value);

// The same for a time or duration in milliseconds read from server data: -1 (unknown, as the
// job summaries say it) when it does not fit or is negative.
qint64 millisOrUnknown(double ms);

} // namespace qs::core
