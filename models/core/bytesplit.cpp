#include "bytesplit.h"

namespace qs::core {

QList<QByteArray> splitOn(const QByteArray &bytes, QByteArrayView separator)
{
    Q_ASSERT(!separator.isEmpty());
    QList<QByteArray> pieces;
    qsizetype from = 0;
    for (qsizetype at = bytes.indexOf(separator); at >= 0; at = bytes.indexOf(separator, from)) {
        pieces.append(bytes.mid(from, at - from));
        from = at + separator.size();
    }
    pieces.append(bytes.mid(from));
    return pieces;
}

} // namespace qs::core
