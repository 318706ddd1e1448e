#pragma once

#include <QByteArray>
#include <QList>

namespace qs::core {

// `bytes` cut at each `separator` (bytes, not one character; not empty): the pieces between,
// one more than the separators found (`bytes` itself when there is none).
QList<QByteArray> splitOn(const QByteArray &bytes, QByteArrayView separator);

} // namespace qs::core
