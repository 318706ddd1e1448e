#include "history/historywriter.h"

#include <QDateTime>

#include <algorithm>

namespace qs::history {

namespace {
constexpr qint64 kPurgeEveryMs = 3'600'000;
} // namespace

HistoryWriter::HistoryWriter(const QString &path, int flushMs)
    : m_store(path)
{
    m_flushTimer.setParent(this); // moves to the writer thread with it
    m_flushTimer.setInterval(flushMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &HistoryWriter::flush);
}

void HistoryWriter::start()
{
    report(m_store.open(HistoryStore::Access::Write).message);
    m_flushTimer.start();
}

void HistoryWriter::append(qint64 timestampMs, const QList<Sample> &samples)
{
    m_buckets.append(timestampMs, samples);
}

void HistoryWriter::backfill(const QList<Chunk> &chunks)
{
    if (m_store.status().writable)
        m_backfill.append(chunks); // written with the next flush, before what it takes
}

void HistoryWriter::flush()
{
    if (!m_store.status().writable) {
        m_buckets.takeChanged(); // nothing to write them to: the live history has them
        return;
    }
    QList<Chunk> chunks = std::exchange(m_backfill, {}) + m_buckets.takeChanged();
    if (!m_pending.empty()) {
        keepForRetry(chunks);
        chunks.clear();
        for (const auto &[key, chunk] : m_pending)
            chunks.append(chunk);
    }
    if (chunks.isEmpty())
        return;
    if (!m_store.write(chunks)) {
        if (m_pending.empty())
            keepForRetry(chunks);
        QString message = m_store.status().message;
        if (m_dropped > 0)
            message += QStringLiteral("; %1 older chunks dropped").arg(m_dropped);
        report(message);
        return;
    }
    m_pending.clear();
    m_pendingBytes = 0;
    m_dropped = 0;
    report({});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastPurgeMs >= kPurgeEveryMs) {
        m_store.purge(now);
        m_lastPurgeMs = now;
    }
}

void HistoryWriter::keepForRetry(const QList<Chunk> &chunks)
{
    for (const Chunk &chunk : chunks) {
        auto [it, added] = m_pending.try_emplace({chunk.series, chunk.tier, chunk.startMs}, chunk);
        if (!added) {
            m_pendingBytes -= it->second.encoded.size();
            it->second = chunk; // a newer state of the same chunk holds the older one's points
        }
        m_pendingBytes += chunk.encoded.size();
    }
    while (m_pendingBytes > maxPendingBytes && !m_pending.empty()) {
        auto oldest =
            std::min_element(m_pending.begin(), m_pending.end(), [](const auto &a, const auto &b) {
                return a.second.startMs < b.second.startMs;
            });
        m_pendingBytes -= oldest->second.encoded.size();
        m_pending.erase(oldest);
        ++m_dropped;
    }
}

void HistoryWriter::stop()
{
    m_flushTimer.stop();
    flush();
}

void HistoryWriter::report(const QString &message)
{
    if (message == m_message)
        return;
    m_message = message;
    Q_EMIT messageChanged(message);
}

} // namespace qs::history
