#include "sidekiqworkers.h"

#include "sidekiqadapter.h"

#include "queues/timestamps.h"
#include "queues/workerreplies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace qs::queues {

namespace {

const QList<QByteArray> kProcessFields{"info", "busy", "beat", "quiet", "rss", "rtt_us"};

// "host:pid:nonce" (the host may itself contain ':'): host and pid.
void readIdentity(const QByteArray &identity, WorkerInfo &worker)
{
    const QList<QByteArray> parts = identity.split(':');
    if (parts.size() < 3)
        return;
    bool ok = false;
    const qint64 pid = parts.at(parts.size() - 2).toLongLong(&ok);
    if (ok)
        worker.pid = pid;
    worker.host = QString::fromUtf8(identity.left(identity.size() - parts.last().size() -
                                                  parts.at(parts.size() - 2).size() - 2));
}

// One entry of the work hash: {"queue", "payload" (the job JSON: a string since 6.x, an object
// in older versions), "run_at"}.
std::optional<WorkerJob> readWork(const QByteArray &json)
{
    const QJsonObject work = QJsonDocument::fromJson(json).object();
    QJsonValue payload = work.value(QStringLiteral("payload"));
    if (payload.isString())
        payload = QJsonDocument::fromJson(payload.toString().toUtf8()).object();
    const QString jid = payload.toObject().value(QStringLiteral("jid")).toString();
    if (jid.isEmpty())
        return std::nullopt;
    return WorkerJob{work.value(QStringLiteral("queue")).toString().toUtf8(), jid};
}

QString detailOf(const QList<redis::RedisReply> &fields, const QJsonObject &info)
{
    QStringList parts;
    const qint64 rssKb = fields.value(4).toInteger(-1);
    if (rssKb >= 0)
        parts << QStringLiteral("rss %1 MB").arg(QString::number(rssKb / 1024.0, 'f', 1));
    const qint64 rtt = fields.value(5).toInteger(-1);
    if (rtt >= 0)
        parts << QStringLiteral("rtt %1 µs").arg(rtt);
    const QString tag = info.value(QStringLiteral("tag")).toString();
    if (!tag.isEmpty())
        parts << QStringLiteral("tag %1").arg(tag);
    QStringList labels;
    for (const QJsonValue &label : info.value(QStringLiteral("labels")).toArray())
        labels << label.toString();
    if (!labels.isEmpty())
        parts << QStringLiteral("labels %1").arg(labels.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral(" · "));
}

} // namespace

SidekiqWorkerReader::SidekiqWorkerReader(Context context)
    : m_context(std::move(context))
{
}

QByteArray SidekiqWorkerReader::key(const QByteArray &name) const
{
    return SidekiqAdapter::key(m_context.prefix, name);
}

QList<redis::RedisCommand> SidekiqWorkerReader::nextStep(const QList<redis::RedisReply> &replies)
{
    ++m_step;
    if (m_step == 1)
        return {{"SMEMBERS", key("processes")}};
    if (m_step == 2) {
        const redis::RedisReply members = replies.value(0);
        if (!members.isArray()) {
            m_unknown = refusedReason({"SMEMBERS", key("processes")}, members);
            return {};
        }
        for (const redis::RedisReply &member : members.elements)
            m_identities.append(member.string);
        std::sort(m_identities.begin(), m_identities.end());
        if (m_identities.size() > kMaxProcesses) {
            m_skipped = int(m_identities.size()) - kMaxProcesses;
            m_identities.resize(kMaxProcesses);
        }
        QList<redis::RedisCommand> commands;
        for (const QByteArray &identity : m_identities) {
            redis::RedisCommand hmget{"HMGET", key(identity)};
            hmget += kProcessFields;
            commands.append(hmget);
            commands.append({"HGETALL", key(identity + ":workers")}); // 6.x
            commands.append({"HGETALL", key(identity + ":work")});    // 7.x
        }
        return commands;
    }
    if (m_step == 3)
        m_replies = replies;
    return {};
}

WorkerInfo SidekiqWorkerReader::readProcess(const QByteArray &identity,
                                            const redis::RedisReply &hash,
                                            const redis::RedisReply &work6,
                                            const redis::RedisReply &work7) const
{
    WorkerInfo worker;
    worker.framework = Framework::Sidekiq;
    worker.prefix = m_context.prefix;
    worker.id = QString::fromUtf8(identity);
    worker.name = worker.id;
    readIdentity(identity, worker);
    const QList<redis::RedisReply> &fields = hash.elements;
    if (!hash.isArray() || fields.value(0).isNil() || fields.value(0).isError()) {
        worker.state = WorkerState::Offline; // the heartbeat's hash expired
        return worker;
    }
    const QJsonObject info = QJsonDocument::fromJson(fields.value(0).string).object();
    if (const QString host = info.value(QStringLiteral("hostname")).toString(); !host.isEmpty())
        worker.host = host;
    if (info.contains(QStringLiteral("pid")))
        worker.pid = info.value(QStringLiteral("pid")).toInteger();
    if (info.contains(QStringLiteral("concurrency")))
        worker.concurrency = info.value(QStringLiteral("concurrency")).toInt();
    for (const QJsonValue &queue : info.value(QStringLiteral("queues")).toArray()) {
        const QByteArray name = queue.toString().toUtf8();
        if (!worker.queues.contains(name))
            worker.queues.append(name);
    }
    const double started = info.value(QStringLiteral("started_at")).toDouble(); // epoch s
    if (started > 0 && started < 1e12)
        worker.startedAtMs = qint64(started * 1000);
    const qint64 beat = millisFromNumber(fields.value(2).string, true);
    worker.lastSeenAtMs = beat > 0 ? beat : m_context.nowMs;
    worker.version = info.value(QStringLiteral("version")).toString();
    worker.detail = detailOf(fields, info);
    for (const redis::RedisReply *work : {&work6, &work7}) {
        const QHash<QByteArray, QByteArray> threads = hashFromReply(*work);
        QList<QByteArray> ids = threads.keys();
        std::sort(ids.begin(), ids.end());
        for (const QByteArray &thread : ids) {
            if (const std::optional<WorkerJob> job = readWork(threads.value(thread)))
                worker.currentJobs.append(*job);
        }
    }
    // `busy` and the work hash come from two transactions of one heartbeat: the larger one.
    worker.busy = int(qMax<qint64>(fields.value(1).toInteger(), worker.currentJobs.size()));
    if (fields.value(3).string == "true")
        worker.state = WorkerState::Quiet;
    else
        worker.state = worker.busy.value_or(0) > 0 ? WorkerState::Busy : WorkerState::Idle;
    return worker;
}

void SidekiqWorkerReader::addLostJobs(WorkerScan &scan, const QSet<QString> &alive) const
{
    if (!m_context.previous)
        return;
    for (const WorkerInfo &before : m_context.previous->workers) {
        if (before.framework != Framework::Sidekiq || before.prefix != m_context.prefix ||
            alive.contains(before.id))
            continue;
        for (const WorkerJob &job : before.currentJobs) {
            StuckJob stuck;
            stuck.framework = Framework::Sidekiq;
            stuck.prefix = m_context.prefix;
            stuck.queue = job.queue;
            stuck.id = job.id;
            stuck.reason = QStringLiteral("lost: process offline");
            stuck.outcome = QStringLiteral(
                "lost unless the process comes back: basic fetch kept it only in the process's "
                "memory (Sidekiq Pro's super_fetch would recover it)");
            stuck.sinceMs = before.lastSeenAtMs;
            scan.stuck.append(stuck);
        }
    }
}

void SidekiqWorkerReader::finish(WorkerScan &scan)
{
    if (!m_unknown.isEmpty()) {
        scan.unknown.append({Framework::Sidekiq, m_unknown});
        return;
    }
    QSet<QString> alive;
    for (int i = 0; i < m_identities.size(); ++i) {
        const WorkerInfo worker =
            readProcess(m_identities.at(i), m_replies.value(3 * i), m_replies.value(3 * i + 1),
                        m_replies.value(3 * i + 2));
        if (worker.state != WorkerState::Offline)
            alive.insert(worker.id);
        scan.workers.append(worker);
    }
    addLostJobs(scan, alive);
    if (m_skipped > 0)
        scan.notes.append(
            QStringLiteral("Sidekiq: %1 more processes not read (at most %2 per scan)")
                .arg(m_skipped)
                .arg(kMaxProcesses));
}

} // namespace qs::queues
