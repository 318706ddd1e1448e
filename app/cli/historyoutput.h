#pragma once

#include "history/historystore.h"

#include <QByteArray>

namespace qs::cli {

enum class RangeFormat { Text, Csv, Json };

// What `history` prints for a recorded range: one "<ISO time>  <value>" line per point, CSV
// ("time,value"), or one JSON document {"points":[[ms,value],...],"series":...,"stepMs":...}.
// Built as bytes, one day's date written once: 90 days at one minute (129,600 points) in tens of
// milliseconds, not the second QDateTime and QJsonArray took.
QByteArray formatRange(const history::SeriesRange &range, const QString &series,
                       RangeFormat format);

} // namespace qs::cli
