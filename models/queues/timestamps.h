#pragma once

#include <QByteArray>

namespace qs::queues {

// Epoch milliseconds from the stored forms the frameworks use: integer ms (BullMQ), float
// seconds (Sidekiq, Celery ETA), ISO-8601 (RQ, Celery date_done). -1 when absent or unreadable.
qint64 millisFromNumber(const QByteArray &text, bool seconds);
qint64 millisFromIso(const QByteArray &text);

} // namespace qs::queues
