#include "bullfamilyadapter.h"

#include "bullkeys.h"
#include "bullmetrics.h"
#include "queues/countreplies.h"
#include "queues/timestamps.h"

#include <QCoreApplication>
#include <QSet>

namespace qs::queues {

namespace {

// detailCommands() order; parseDetails() relies on it.
enum Detail {
    CompletedCounter,
    FailedCounter,
    CompletedNewestMinute,
    FailedNewestMinute,
    WaitTail,
    PausedTail,
    // Last: they carry the clock (clockedDetailCommands()).
    CompletedLastMinute,
    FailedLastMinute,
    DetailCount
};

// ZCOUNT's lower bound for the finished jobs of the last minute.
QByteArray windowStart(qint64 nowMs)
{
    return QByteArray::number(nowMs - BullFamilyAdapter::kWindowMs);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("qs::queues::BullDetails", text);
}

// The metrics hash (nil fields when metrics were never enabled: no counter, not a count of 0)
// and the newest point of its per-minute list.
void readMetrics(CountReplies &read, int hashIndex, int newestIndex, qint64 nowMs, Throughput &out)
{
    const redis::RedisReply *hash = read.reply(hashIndex);
    const std::optional<bullmetrics::MetricsHash> metrics =
        hash ? bullmetrics::readHash(*hash) : std::nullopt;
    if (!metrics)
        return;
    out.total = metrics->count;
    const redis::RedisReply *newest = read.reply(newestIndex);
    if (!newest)
        return;
    std::optional<qint64> point;
    if (!newest->isNil())
        point = read.integer(newestIndex);
    out.lastWholeMinute = bullmetrics::lastWholeMinute(*metrics, point, nowMs);
}

void readThroughput(CountReplies &read, int hashIndex, int newestIndex, int windowIndex,
                    std::optional<qint64> setSize, bool emptyMeansUnknown, qint64 nowMs,
                    Throughput &out)
{
    readMetrics(read, hashIndex, newestIndex, nowMs, out);
    const std::optional<qint64> lastMinute = read.integer(windowIndex);
    if (!lastMinute)
        return;
    if (*lastMinute == 0 && setSize.value_or(0) == 0 && emptyMeansUnknown && !out.total) {
        // An empty completed set is also what removeOnComplete: true leaves behind.
        out.unknownWhy = tr("The completed set is empty: either nothing finished, or jobs are "
                            "removed as they complete (removeOnComplete: true). Enabling the "
                            "worker's metrics gives an exact rate.");
        return;
    }
    out.lastMinute = lastMinute;
    out.atLeast = *lastMinute > 0 && setSize && *lastMinute >= *setSize;
}

} // namespace

BullFamilyAdapter::BullFamilyAdapter(QByteArray prefix, Marker marker)
    : m_prefix(std::move(prefix))
    , m_marker(std::move(marker))
{
}

QList<QueueAdapter::ScanPattern> BullFamilyAdapter::scanPatterns() const
{
    return {{bullkeys::globEscaped(m_prefix) + ":*:" + m_marker.suffix, m_marker.type}};
}

QList<QueueRef> BullFamilyAdapter::queuesFromKeys(const QList<QByteArray> &keys) const
{
    QList<QueueRef> queues;
    QSet<QByteArray> seen;
    for (const QByteArray &key : keys) {
        const std::optional<QByteArray> name =
            bullkeys::nameFromKey(key, m_prefix, m_marker.suffix, m_marker.colonsInNames);
        if (name && !seen.contains(*name)) {
            seen.insert(*name);
            queues.append({framework(), m_prefix, *name});
        }
    }
    return queues;
}

QList<redis::RedisCommand> BullFamilyAdapter::detailCommands(const QueueRef &queue,
                                                             qint64 nowMs) const
{
    auto key = [&queue](QByteArrayView suffix) {
        return bullkeys::queueKey(queue.prefix, queue.name, suffix);
    };
    // Built for every queue every few seconds: the constant words are static data (QByteArray
    // from a plain string literal allocates each time).
    static const QByteArray hmget = QByteArrayLiteral("HMGET"),
                            lindex = QByteArrayLiteral("LINDEX"),
                            zcount = QByteArrayLiteral("ZCOUNT"),
                            count = QByteArrayLiteral("count"),
                            prevTs = QByteArrayLiteral("prevTS"),
                            prevCount = QByteArrayLiteral("prevCount"),
                            first = QByteArrayLiteral("0"), last = QByteArrayLiteral("-1"),
                            infinity = QByteArrayLiteral("+inf");
    const QByteArray from = windowStart(nowMs);
    return {
        {hmget, key("metrics:completed"), count, prevTs, prevCount},
        {hmget, key("metrics:failed"), count, prevTs, prevCount},
        {lindex, key("metrics:completed:data"), first},
        {lindex, key("metrics:failed:data"), first},
        {lindex, key("wait"), last},
        {lindex, key("paused"), last},
        {zcount, key("completed"), from, infinity},
        {zcount, key("failed"), from, infinity},
    };
}

int BullFamilyAdapter::clockedDetailCommands() const
{
    return DetailCount - CompletedLastMinute;
}

void BullFamilyAdapter::setDetailsClock(QList<redis::RedisCommand> &clocked, qint64 nowMs) const
{
    const QByteArray from = windowStart(nowMs);
    for (redis::RedisCommand &zcount : clocked) {
        if (zcount.size() == 4) // ZCOUNT <key> <from> +inf
            zcount[2] = from;
    }
}

QList<redis::RedisCommand> BullFamilyAdapter::parseDetails(const QueueRef &queue,
                                                           redis::ReplyRun replies,
                                                           const QueueCounts &counts,
                                                           QueueDetails &details) const
{
    CountReplies read([this, &queue] { return detailCommands(queue, 0); }, replies);
    QList<redis::RedisCommand> reads;
    if (replies.size() != DetailCount) {
        details.note = tr("expected %1 replies to the detail reads, got %2")
                           .arg(int(DetailCount))
                           .arg(replies.size());
        return reads;
    }
    readThroughput(read, CompletedCounter, CompletedNewestMinute, CompletedLastMinute,
                   counts.count(QStringLiteral("completed")), true, details.readAtMs,
                   details.completed);
    readThroughput(read, FailedCounter, FailedNewestMinute, FailedLastMinute,
                   counts.count(QStringLiteral("failed")), false, details.readAtMs, details.failed);

    const redis::RedisReply *wait = read.reply(WaitTail);
    const redis::RedisReply *paused = read.reply(PausedTail);
    const redis::RedisReply *oldest = wait && !wait->isNil() ? wait : paused;
    if (!wait || !paused) {
        details.oldestWaitingWhy = tr("The waiting list could not be read.");
    } else if (oldest->isNil()) {
        details.nothingWaited = true;
    } else if (oldest->string.startsWith("0:")) { // a pre-v5 BullMQ marker, no job
        details.oldestWaitingWhy = tr("The tail of the waiting list is a BullMQ marker.");
    } else {
        static const QByteArray hmget = QByteArrayLiteral("HMGET");
        static const QByteArray timestamp = QByteArrayLiteral("timestamp");
        static const QByteArray delay = QByteArrayLiteral("delay");
        reads.append({hmget, bullkeys::queueKey(queue.prefix, queue.name, oldest->string),
                      timestamp, delay});
    }
    details.note = read.note();
    return reads;
}

void BullFamilyAdapter::parseDetailReads(const QueueRef &queue, redis::ReplyRun replies,
                                         QueueDetails &details) const
{
    Q_UNUSED(queue);
    const redis::RedisReply *hash = replies.isEmpty() ? nullptr : &replies.first();
    if (!hash || !hash->isArray() || hash->elements.size() != 2) {
        details.oldestWaitingWhy = tr("The oldest waiting job could not be read.");
        return;
    }
    const qint64 created = millisFromNumber(hash->elements.at(0).string, false);
    if (created < 0) { // taken and removed between the two reads, or a hash without a timestamp
        details.oldestWaitingWhy = tr("The oldest waiting job has no timestamp.");
        return;
    }
    const qint64 delay = millisFromNumber(hash->elements.at(1).string, false);
    details.oldestWaitingSinceMs = created + qMax<qint64>(0, delay);
}

} // namespace qs::queues
