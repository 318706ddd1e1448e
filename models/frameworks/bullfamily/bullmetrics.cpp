#include "bullmetrics.h"

#include "bullkeys.h"

namespace qs::queues::bullmetrics {

namespace {

constexpr qint64 kMinuteMs = 60'000;

qint64 minuteOf(qint64 ms)
{
    return ms >= 0 ? ms / kMinuteMs : (ms - kMinuteMs + 1) / kMinuteMs;
}

} // namespace

std::optional<MetricsHash> readHash(const redis::RedisReply &reply)
{
    if (!reply.isArray() || reply.elements.size() != 3)
        return std::nullopt;
    qint64 values[3] = {0, 0, 0};
    bool any = false;
    for (int i = 0; i < 3; ++i) {
        const redis::RedisReply &field = reply.elements.at(i);
        if (field.isNil())
            continue; // prevTS/prevCount are absent until the first job finished
        bool ok = false;
        values[i] = field.string.toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        any = true;
    }
    if (!any)
        return std::nullopt;
    return MetricsHash{values[0], values[1], values[2]};
}

MinuteCount lastWholeMinute(const MetricsHash &hash, std::optional<qint64> newestPoint,
                            qint64 nowMs)
{
    const qint64 prev = minuteOf(hash.prevTsMs);
    const qint64 now = minuteOf(nowMs);
    if (prev >= now) // prevTS's minute is still running (or a worker's clock runs ahead)
        return {(prev - 1) * kMinuteMs, qMax<qint64>(0, newestPoint.value_or(0))};
    if (prev == now - 1)
        return {prev * kMinuteMs, qMax<qint64>(0, hash.count - hash.prevCount)};
    return {(now - 1) * kMinuteMs, 0}; // nothing finished since prevTS's minute
}

QList<MinuteCount> wholeMinutes(const MetricsHash &hash, const QList<qint64> &data, qint64 nowMs)
{
    const qint64 prev = minuteOf(hash.prevTsMs);
    const qint64 now = minuteOf(nowMs);
    QList<MinuteCount> minutes;
    minutes.reserve(data.size() + 2);
    for (qsizetype i = data.size() - 1; i >= 0; --i) {
        const qint64 minute = prev - 1 - i;
        if (minute < now)
            minutes.append({minute * kMinuteMs, qMax<qint64>(0, data.at(i))});
    }
    if (prev < now) {
        minutes.append({prev * kMinuteMs, qMax<qint64>(0, hash.count - hash.prevCount)});
        for (qint64 minute = prev + 1; minute < now && minute - prev <= data.size() + 1; ++minute)
            minutes.append({minute * kMinuteMs, 0});
    }
    return minutes;
}

} // namespace qs::queues::bullmetrics

namespace qs::queues::bullmetrics {

QList<redis::RedisCommand> pastReads(const QueueRef &owner, qint64 nowMs)
{
    Q_UNUSED(nowMs);
    if (owner.name.isEmpty())
        return {};
    auto key = [&owner](QByteArrayView suffix) {
        return bullkeys::queueKey(owner.prefix, owner.name, suffix);
    };
    const QByteArray last = QByteArray::number(kBackfillPoints - 1);
    return {
        {"HMGET", key("metrics:completed"), "count", "prevTS", "prevCount"},
        {"LRANGE", key("metrics:completed:data"), "0", last},
        {"HMGET", key("metrics:failed"), "count", "prevTS", "prevCount"},
        {"LRANGE", key("metrics:failed:data"), "0", last},
    };
}

std::optional<PastThroughput> readPast(const QueueRef &owner,
                                       const QList<redis::RedisReply> &replies, qint64 nowMs)
{
    Q_UNUSED(owner);
    if (replies.size() != 4)
        return std::nullopt;
    auto minutes = [&](int at, QList<MinuteCount> &out) {
        const std::optional<MetricsHash> hash = readHash(replies.at(at));
        const redis::RedisReply &list = replies.at(at + 1);
        if (!hash || !list.isArray())
            return false;
        QList<qint64> data;
        data.reserve(list.elements.size());
        for (const redis::RedisReply &point : list.elements)
            data.append(point.string.toLongLong()); // a point that is no number counts 0
        out = wholeMinutes(*hash, data, nowMs);
        return true;
    };
    PastThroughput past;
    const bool completed = minutes(0, past.completed);
    const bool failed = minutes(2, past.failed);
    if (!completed && !failed)
        return std::nullopt; // metrics never kept
    return past;
}

} // namespace qs::queues::bullmetrics
