#pragma once

#include <QByteArray>
#include <QString>

namespace qs::queues {

// Epoch milliseconds from the stored forms the frameworks use: integer ms (BullMQ), float
// seconds (Sidekiq, Celery ETA), ISO-8601 (RQ, Celery date_done). -1 when absent or unreadable.
qint64 millisFromNumber(const QByteArray &text, bool seconds);
qint64 millisFromIso(const QByteArray &text);

// A duration as an operator reads it at a glance: "45 s", "3 min", "2 h", "4 d" (rounded down;
// under 2 min in seconds, under 2 h in minutes, under 2 d in hours). Negative counts as 0.
QString roughDuration(qint64 ms);

} // namespace qs::queues
