#include "monitor/throughputbackfill.h"

#include "frameworks/registry.h"
#include "history/historytiers.h"
#include "monitor/throughputtracker.h"
#include "redis/redisconnection.h"

#include <QDateTime>
#include <QSet>

namespace qs::monitor {

namespace {

using Points = QList<QPair<qint64, double>>;

Points pointsOf(const QList<queues::MinuteCount> &counts)
{
    Points points;
    points.reserve(counts.size());
    for (const queues::MinuteCount &count : counts)
        points.append({count.startMs, double(count.count)});
    return points;
}

} // namespace

ThroughputBackfill::ThroughputBackfill(redis::RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
}

QList<history::Chunk> ThroughputBackfill::chunksOf(const queues::QueueRef &owner,
                                                   const queues::PastThroughput &past)
{
    const QString name =
        (owner.name.isEmpty() ? QStringLiteral("framework.") : QStringLiteral("queue.")) +
        owner.id();
    QList<history::Chunk> chunks;
    auto add = [&](const QString &series, const QList<queues::MinuteCount> &counts) {
        Points points = pointsOf(counts);
        std::optional<QPair<qint64, double>> current;
        if (past.lastIsCurrent && !points.isEmpty())
            current = points.takeLast();
        chunks.append(history::chunksOfPoints(series, history::minuteTier, points, true));
        if (current) // still growing: its newer reading replaces the older one
            chunks.append(history::chunksOfPoints(series, history::minuteTier, {*current}, false));
    };
    if (past.stepMs == queues::PastThroughput::kDayMs) {
        add(name + QStringLiteral(".completedPerDay"), past.completed);
        add(name + QStringLiteral(".failedPerDay"), past.failed);
        return chunks;
    }
    add(ThroughputTracker::completedSeries(name), past.completed);
    add(ThroughputTracker::failedSeries(name), past.failed);
    QList<queues::MinuteCount> exact =
        past.completed.size() >= past.failed.size() ? past.completed : past.failed;
    for (queues::MinuteCount &minute : exact)
        minute.count = 1;
    add(ThroughputTracker::exactSeries(name), exact);
    return chunks;
}

void ThroughputBackfill::run(const QList<queues::QueueRef> &queues)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool idle = m_todo.isEmpty();
    QSet<QString> planned;
    for (const queues::QueueRef &queue : m_todo)
        planned.insert(queue.id());
    auto plan = [&](const queues::QueueRef &owner) {
        const QString id = owner.id();
        const auto read = m_readAtMs.constFind(id);
        if (planned.contains(id) || (read != m_readAtMs.constEnd() && now - *read < kRepeatMs))
            return;
        planned.insert(id);
        m_todo.append(owner);
    };
    for (const queues::QueueRef &queue : queues) {
        plan({queue.framework, queue.prefix, {}});
        plan(queue);
    }
    if (idle && !m_todo.isEmpty())
        next();
}

void ThroughputBackfill::next()
{
    while (!m_todo.isEmpty()) {
        const queues::QueueRef owner = m_todo.constFirst();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<redis::RedisCommand> commands = frameworks::pastThroughputReads(owner, now);
        if (commands.isEmpty()) {
            m_readAtMs.insert(owner.id(), now); // the framework keeps nothing for it
            m_todo.removeFirst();
            continue;
        }
        m_commands += int(commands.size());
        m_connection->pipeline(commands, this, [this, owner, now](const redis::PipelineResult &r) {
            if (!m_todo.isEmpty() && m_todo.constFirst().id() == owner.id())
                m_todo.removeFirst();
            if (r.ok()) { // else: read again at the next run
                m_readAtMs.insert(owner.id(), now);
                const std::optional<queues::PastThroughput> past =
                    frameworks::readPastThroughput(owner, r.replies, now);
                if (past)
                    Q_EMIT backfilled(chunksOf(owner, *past));
            }
            next();
        });
        return;
    }
    Q_EMIT finished();
}

} // namespace qs::monitor
