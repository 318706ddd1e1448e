#include "sidekiqstats.h"

#include "sidekiqadapter.h"

#include <QDateTime>
#include <QTimeZone>

namespace qs::queues::sidekiqstats {

namespace {

qint64 dayStart(qint64 nowMs, int daysBack)
{
    const qint64 today = nowMs - (((nowMs % PastThroughput::kDayMs) + PastThroughput::kDayMs) %
                                  PastThroughput::kDayMs);
    return today - qint64(daysBack) * PastThroughput::kDayMs;
}

QByteArray dateOf(qint64 dayStartMs)
{
    return QDateTime::fromMSecsSinceEpoch(dayStartMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd"))
        .toLatin1();
}

std::optional<qint64> number(const redis::RedisReply &reply)
{
    if (!reply.isString())
        return std::nullopt;
    bool ok = false;
    const qint64 value = reply.string.toLongLong(&ok);
    return ok ? std::optional(value) : std::nullopt;
}

} // namespace

QList<redis::RedisCommand> pastReads(const QueueRef &owner, qint64 nowMs)
{
    if (!owner.name.isEmpty())
        return {};
    redis::RedisCommand processed{"MGET"};
    redis::RedisCommand failed{"MGET"};
    for (int back = kBackfillDays - 1; back >= 0; --back) {
        const QByteArray date = dateOf(dayStart(nowMs, back));
        processed.append(SidekiqAdapter::key(owner.prefix, "stat:processed:" + date));
        failed.append(SidekiqAdapter::key(owner.prefix, "stat:failed:" + date));
    }
    return {processed, failed};
}

std::optional<PastThroughput> readPast(const QueueRef &owner,
                                       const QList<redis::RedisReply> &replies, qint64 nowMs)
{
    Q_UNUSED(owner);
    if (replies.size() != 2 || !replies.at(0).isArray() || !replies.at(1).isArray() ||
        replies.at(0).elements.size() != kBackfillDays ||
        replies.at(1).elements.size() != kBackfillDays)
        return std::nullopt;
    PastThroughput past;
    past.stepMs = PastThroughput::kDayMs;
    past.lastIsCurrent = true;
    for (int i = 0; i < kBackfillDays; ++i) {
        const bool today = i == kBackfillDays - 1;
        const std::optional<qint64> processed = number(replies.at(0).elements.at(i));
        const std::optional<qint64> failed = number(replies.at(1).elements.at(i));
        if (!processed && !failed && !today)
            continue;
        const qint64 start = dayStart(nowMs, kBackfillDays - 1 - i);
        past.completed.append({start, qMax<qint64>(0, processed.value_or(0) - failed.value_or(0))});
        past.failed.append({start, qMax<qint64>(0, failed.value_or(0))});
    }
    return past;
}

} // namespace qs::queues::sidekiqstats
