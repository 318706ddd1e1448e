#pragma once

#include "history/historystore.h"

#include <QObject>
#include <QTimer>

#include <map>
#include <tuple>

namespace qs::history {

// The recorder's writer-thread side: buckets, the store and what a full disk refused.
class HistoryWriter final : public QObject
{
    Q_OBJECT
public:
    // What a refusing disk makes it keep for a retry, at the most: encoded chunks, a newer
    // version of a chunk replacing the older (~16 hours of 200 queues). Beyond, the oldest go
    // and the message says how many.
    static constexpr qsizetype maxPendingBytes = 16 * 1024 * 1024;

    HistoryWriter(const QString &path, int flushMs);

public Q_SLOTS:
    void start();
    void append(qint64 timestampMs, const QList<qs::history::Sample> &samples);
    void backfill(const QList<qs::history::Chunk> &chunks);
    void flush();
    void stop();

Q_SIGNALS:
    void messageChanged(const QString &message);

private:
    void report(const QString &message);

    HistoryStore m_store;
    SeriesBuckets m_buckets;
    void keepForRetry(const QList<Chunk> &chunks);

    using ChunkKey = std::tuple<QString, int, qint64>; // series, tier, start
    QList<Chunk> m_backfill; // fillOnly chunks (HistoryRecorder::backfill), first in the next flush
    std::map<ChunkKey, Chunk> m_pending; // refused by the store, offered again
    qsizetype m_pendingBytes = 0;
    qint64 m_dropped = 0;
    QTimer m_flushTimer;
    qint64 m_lastPurgeMs = 0;
    QString m_message;
};

} // namespace qs::history
