#pragma once

#include "history/historystore.h"

#include <QObject>
#include <QTimer>

namespace qs::history {

// The recorder's writer-thread side: buckets, the store and what a full disk refused.
class HistoryWriter final : public QObject
{
    Q_OBJECT
public:
    // Chunks kept for a retry at the most (~a day of 200 queues' open chunks): beyond, the
    // oldest go and the message says how many.
    static constexpr int maxPendingChunks = 50'000;

    HistoryWriter(const QString &path, int flushMs);

public Q_SLOTS:
    void start();
    void append(qint64 timestampMs, const QList<qs::history::Sample> &samples);
    void flush();
    void stop();

Q_SIGNALS:
    void messageChanged(const QString &message);

private:
    void report(const QString &message);

    HistoryStore m_store;
    SeriesBuckets m_buckets;
    QList<Chunk> m_pending; // refused by the store, offered again first
    qint64 m_dropped = 0;
    QTimer m_flushTimer;
    qint64 m_lastPurgeMs = 0;
    QString m_message;
};

} // namespace qs::history
