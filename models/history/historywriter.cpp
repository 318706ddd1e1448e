#include "history/historywriter.h"

#include <QDateTime>

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

void HistoryWriter::flush()
{
    if (!m_store.status().writable) {
        m_buckets.takeChanged(); // nothing to write them to: the live history has them
        return;
    }
    m_pending.append(m_buckets.takeChanged());
    if (m_pending.size() > maxPendingChunks) {
        const qsizetype excess = m_pending.size() - maxPendingChunks;
        m_dropped += excess;
        m_pending.remove(0, excess);
    }
    if (m_pending.isEmpty())
        return;
    if (!m_store.write(m_pending)) {
        QString message = m_store.status().message;
        if (m_dropped > 0)
            message += QStringLiteral("; %1 older chunks dropped").arg(m_dropped);
        report(message);
        return;
    }
    m_pending.clear();
    m_dropped = 0;
    report({});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastPurgeMs >= kPurgeEveryMs) {
        m_store.purge(now);
        m_lastPurgeMs = now;
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
