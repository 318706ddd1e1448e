#include "rqworkers.h"

#include "queues/timestamps.h"
#include "queues/workerreplies.h"

#include <QSet>

#include <algorithm>

namespace qs::queues {

namespace {

const QByteArray kWorkers = "rq:workers";
const QByteArray kWorkerKeyPrefix = "rq:worker:";
const QByteArray kSuspended = "rq:suspended";

WorkerState stateFrom(const QByteArray &state, bool suspended)
{
    if (state == "busy")
        return WorkerState::Busy;
    if (state == "suspended" || suspended)
        return WorkerState::Suspended; // a busy worker finishes its job first
    if (state == "idle" || state == "started")
        return WorkerState::Idle;
    return WorkerState::Unknown;
}

QString detailOf(const QHash<QByteArray, QByteArray> &hash)
{
    QStringList parts;
    if (hash.contains("successful_job_count") || hash.contains("failed_job_count"))
        parts << QStringLiteral("%1 done, %2 failed")
                     .arg(hash.value("successful_job_count", "0").toLongLong())
                     .arg(hash.value("failed_job_count", "0").toLongLong());
    bool ok = false;
    const double working = hash.value("total_working_time").toDouble(&ok);
    if (ok)
        parts << QStringLiteral("%1 s working").arg(QString::number(working, 'f', 1));
    if (hash.contains("shutdown_requested_date"))
        parts << QStringLiteral("shutdown requested");
    return parts.join(QStringLiteral(" · "));
}

// What happens to an abandoned job: the operator's action (JobAction::Restore, "Move to failed")
// and RQ's own StartedJobRegistry cleanup do the same; RQ's only runs from a live worker.
QString abandonedOutcome(qint64 retriesLeft)
{
    const QString becomes =
        retriesLeft > 0
            ? QStringLiteral("requeued (%1 retries left), or scheduled when it has retry "
                             "intervals")
                  .arg(retriesLeft)
            : QStringLiteral("failed");
    return QStringLiteral("\"Move to failed\" makes it %1 now. RQ does the same by itself only "
                          "when a live worker of the queue runs its registry cleanup: when it "
                          "starts, then every 10 minutes, at most once per 15 minutes per queue")
        .arg(becomes);
}

} // namespace

RqWorkerReader::RqWorkerReader(Context context)
    : m_context(std::move(context))
{
}

QList<redis::RedisCommand> RqWorkerReader::nextStep(const QList<redis::RedisReply> &replies)
{
    ++m_step;
    if (m_step == 1) {
        QList<redis::RedisCommand> commands{{"SMEMBERS", kWorkers}, {"EXISTS", kSuspended}};
        const QByteArray now = QByteArray::number(m_context.nowMs / 1000);
        for (const QueueRef &queue : m_context.queues)
            commands.append({"ZRANGEBYSCORE", "rq:wip:" + queue.name, "-inf", "(" + now,
                             "WITHSCORES", "LIMIT", "0", QByteArray::number(kMaxExpiredPerQueue)});
        return commands;
    }
    if (m_step == 2)
        return readStep1(replies);
    if (m_step == 3)
        return readStep2(replies);
    // Step 4: the origins of the current jobs of workers with several queues.
    for (int i = 0; i < m_originOf.size(); ++i) {
        const QByteArray origin = replies.value(i).string;
        WorkerInfo &worker = m_workers[m_originOf.at(i)];
        if (!origin.isEmpty() && !worker.currentJobs.isEmpty())
            worker.currentJobs.first().queue = origin;
    }
    m_originOf.clear();
    return {};
}

QList<redis::RedisCommand> RqWorkerReader::readStep1(const QList<redis::RedisReply> &replies)
{
    const redis::RedisReply members = replies.value(0);
    if (!members.isArray()) {
        m_unknown = refusedReason({"SMEMBERS", kWorkers}, members);
        return {};
    }
    for (const redis::RedisReply &member : members.elements)
        m_keys.append(member.string);
    std::sort(m_keys.begin(), m_keys.end());
    if (m_keys.size() > kMaxWorkers) {
        m_skipped = int(m_keys.size()) - kMaxWorkers;
        m_keys.resize(kMaxWorkers);
    }
    m_suspended = replies.value(1).toInteger() > 0;
    for (int q = 0; q < m_context.queues.size(); ++q) {
        const redis::RedisReply &entries = replies.value(2 + q);
        for (qsizetype i = 0; i + 1 < entries.elements.size(); i += 2) {
            const qint64 expiry = millisFromNumber(entries.elements.at(i + 1).string, true);
            m_expired.append({m_context.queues.at(q).name,
                              QString::fromUtf8(entries.elements.at(i).string), expiry});
        }
    }
    QList<redis::RedisCommand> commands;
    for (const QByteArray &key : m_keys)
        commands.append({"HGETALL", key});
    for (const Expired &job : m_expired)
        commands.append(
            {"HMGET", "rq:job:" + job.id.toUtf8(), "worker_name", "status", "retries_left"});
    return commands;
}

QList<redis::RedisCommand> RqWorkerReader::readStep2(const QList<redis::RedisReply> &replies)
{
    QList<redis::RedisCommand> origins;
    for (int i = 0; i < m_keys.size(); ++i) {
        m_workers.append(readWorker(m_keys.at(i), hashFromReply(replies.value(i))));
        const WorkerInfo &worker = m_workers.last();
        if (!worker.currentJobs.isEmpty() && worker.queues.size() != 1) {
            m_originOf.append(int(m_workers.size()) - 1);
            origins.append({"HGET", "rq:job:" + worker.currentJobs.first().id.toUtf8(), "origin"});
        }
    }
    for (int j = 0; j < m_expired.size(); ++j) {
        const redis::RedisReply &job = replies.value(int(m_keys.size()) + j);
        const bool exists = job.isArray() && !job.elements.value(1).isNil();
        m_jobWorkers.append(exists ? job.elements.value(0).string : QByteArray("\0gone", 5));
        m_retriesLeft.append(exists ? job.elements.value(2).string.toLongLong() : 0);
    }
    return origins;
}

WorkerInfo RqWorkerReader::readWorker(const QByteArray &key,
                                      const QHash<QByteArray, QByteArray> &hash) const
{
    WorkerInfo worker;
    worker.framework = Framework::RQ;
    worker.prefix = m_context.prefix;
    worker.id = QString::fromUtf8(key.mid(kWorkerKeyPrefix.size()));
    worker.name = worker.id;
    if (hash.isEmpty() || hash.contains("death")) {
        worker.state = WorkerState::Offline; // its heartbeat's TTL ran out, or it said goodbye
        return worker;
    }
    worker.host = QString::fromUtf8(hash.value("hostname"));
    bool ok = false;
    const qint64 pid = hash.value("pid").toLongLong(&ok);
    if (ok)
        worker.pid = pid;
    for (const QByteArray &queue : hash.value("queues").split(',')) {
        if (!queue.isEmpty())
            worker.queues.append(queue);
    }
    worker.state = stateFrom(hash.value("state"), m_suspended);
    if (const QByteArray job = hash.value("current_job"); !job.isEmpty())
        worker.currentJobs.append({worker.queues.value(0), QString::fromUtf8(job)});
    worker.busy = worker.state == WorkerState::Busy ? 1 : 0;
    worker.concurrency = 1; // one work horse at a time
    if (const qint64 birth = millisFromIso(hash.value("birth")); birth > 0)
        worker.startedAtMs = birth;
    const qint64 beat = millisFromIso(hash.value("last_heartbeat"));
    worker.lastSeenAtMs = beat > 0 ? beat : m_context.nowMs;
    worker.version = QString::fromUtf8(hash.value("version"));
    worker.detail = detailOf(hash);
    return worker;
}

void RqWorkerReader::finish(WorkerScan &scan)
{
    if (!m_unknown.isEmpty()) {
        scan.unknown.append({Framework::RQ, m_unknown});
        return;
    }
    QSet<QString> alive;
    for (const WorkerInfo &worker : m_workers) {
        if (worker.state != WorkerState::Offline)
            alive.insert(worker.id);
    }
    scan.workers += m_workers;
    if (m_suspended)
        scan.notes.append(QStringLiteral(
            "RQ: workers are suspended (rq:suspended, `rq resume` lifts it): no new job starts"));
    for (int j = 0; j < m_expired.size(); ++j) {
        const QByteArray owner = m_jobWorkers.value(j);
        if (owner == QByteArray("\0gone", 5) || alive.contains(QString::fromUtf8(owner)))
            continue; // the job was deleted meanwhile, or its worker lives: not abandoned
        StuckJob stuck;
        stuck.framework = Framework::RQ;
        stuck.prefix = m_context.prefix;
        stuck.queue = m_expired.at(j).queue;
        stuck.id = m_expired.at(j).id;
        stuck.reason = QStringLiteral("abandoned: worker gone");
        stuck.outcome = abandonedOutcome(m_retriesLeft.value(j));
        if (m_expired.at(j).expiredAtMs > 0)
            stuck.sinceMs = m_expired.at(j).expiredAtMs;
        scan.stuck.append(stuck);
    }
    if (m_skipped > 0)
        scan.notes.append(QStringLiteral("RQ: %1 more workers not read (at most %2 per scan)")
                              .arg(m_skipped)
                              .arg(kMaxWorkers));
}

} // namespace qs::queues
