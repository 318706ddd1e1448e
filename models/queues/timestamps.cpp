#include "timestamps.h"

#include <QDateTime>
#include <QTimeZone>

namespace qs::queues {

qint64 millisFromNumber(const QByteArray &text, bool seconds)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || value <= 0)
        return -1;
    // "1e300" or "inf" stored by a buggy or hostile client: no time is that late, and the cast
    // of a double beyond the range of qint64 is undefined behaviour (found by fuzz_payloadformat).
    const double ms = seconds ? value * 1000.0 : value;
    if (!(ms < 9.0e18))
        return -1;
    return qint64(ms);
}

qint64 millisFromIso(const QByteArray &text)
{
    if (text.trimmed().isEmpty())
        return -1;
    QDateTime time = QDateTime::fromString(QString::fromLatin1(text.trimmed()), Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(QString::fromLatin1(text.trimmed()), Qt::ISODate);
    if (!time.isValid())
        return -1;
    if (time.timeSpec() == Qt::LocalTime && !text.contains('+') && !text.endsWith('Z'))
        time.setTimeZone(QTimeZone::utc()); // RQ and Celery write UTC without an offset
    return time.toMSecsSinceEpoch();
}

QString roughDuration(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms / 1000);
    if (s < 120)
        return QStringLiteral("%1 s").arg(s);
    if (s < 7200)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 172800)
        return QStringLiteral("%1 h").arg(s / 3600);
    return QStringLiteral("%1 d").arg(s / 86400);
}

} // namespace qs::queues
