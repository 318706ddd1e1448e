#include "bullworkers.h"

#include "bullconnectionname.h"
#include "bullkeys.h"

#include "queues/workerreplies.h"

#include <QSet>

#include <algorithm>

namespace qs::queues {

namespace {

const redis::RedisCommand kClientList{"CLIENT", "LIST", "TYPE", "normal"};

// The blocking command each framework's worker connection waits in (its last command).
bool waitsLike(Framework framework, const QByteArray &command)
{
    if (framework == Framework::BullMQ)
        return command == "bzpopmin";
    return command == "brpoplpush" || command == "blmove";
}

// key=value fields of one CLIENT LIST line.
QHash<QByteArray, QByteArray> clientFields(const QByteArray &line)
{
    QHash<QByteArray, QByteArray> fields;
    for (const QByteArray &pair : line.split(' ')) {
        const qsizetype equals = pair.indexOf('=');
        if (equals > 0)
            fields.insert(pair.left(equals), pair.mid(equals + 1));
    }
    return fields;
}

} // namespace

BullWorkerReader::BullWorkerReader(Framework framework, Context context)
    : m_framework(framework)
    , m_context(std::move(context))
{
}

QList<redis::RedisCommand> BullWorkerReader::nextStep(const QList<redis::RedisReply> &replies)
{
    ++m_step;
    if (m_step == 1) {
        QList<redis::RedisCommand> commands{kClientList};
        const qsizetype queues = qMax<qsizetype>(1, m_context.queues.size());
        const qsizetype perQueue =
            std::clamp<qsizetype>(kMaxActive / queues, 10, kMaxActivePerQueue);
        for (const QueueRef &queue : m_context.queues)
            commands.append({"LRANGE", bullkeys::queueKey(m_context.prefix, queue.name, "active"),
                             "0", QByteArray::number(perQueue - 1)});
        return commands;
    }
    if (m_step == 2)
        return readStep1(replies);
    if (m_step == 3)
        readStep2(replies);
    return {};
}

QList<redis::RedisCommand> BullWorkerReader::readStep1(const QList<redis::RedisReply> &replies)
{
    const redis::RedisReply &clients = replies.value(0);
    if (clients.isString())
        readClients(clients.string);
    else
        m_clientsRefused = QStringLiteral("workers unknown: CLIENT LIST not permitted (%1)")
                               .arg(QString::fromUtf8(clients.string.left(200)));
    QList<redis::RedisCommand> commands;
    for (int q = 0; q < m_context.queues.size(); ++q) {
        const QByteArray &name = m_context.queues.at(q).name;
        for (const redis::RedisReply &id : replies.value(1 + q).elements) {
            if (m_active.size() >= kMaxActive)
                break;
            m_active.append({name, QString::fromUtf8(id.string)});
            const QByteArray job = bullkeys::queueKey(m_context.prefix, name, id.string);
            // The lock first: a job that finished in between has no lock and is no longer
            // active; one that stalled has no lock and still is.
            commands.append({"EXISTS", job + ":lock"});
            commands.append(
                {"LPOS", bullkeys::queueKey(m_context.prefix, name, "active"), id.string});
            if (m_framework == Framework::BullMQ)
                commands.append({"HGET", job, "pb"});
        }
    }
    return commands;
}

void BullWorkerReader::readStep2(const QList<redis::RedisReply> &replies)
{
    const int per = m_framework == Framework::BullMQ ? 3 : 2;
    for (int i = 0; i < m_active.size(); ++i) {
        Active &job = m_active[i];
        job.locked = replies.value(per * i).toInteger() > 0;
        const redis::RedisReply &position = replies.value(per * i + 1);
        // LPOS needs Redis 6.0.6: on older servers a job without its lock counts as stalled.
        job.stillActive = position.isInteger() || position.isError();
        if (per == 3)
            job.processedBy = QString::fromUtf8(replies.value(per * i + 2).string);
    }
}

bool BullWorkerReader::claims(const QByteArray &queue, const QString &worker,
                              const QByteArray &command) const
{
    if (!worker.isEmpty()) // named workers exist in BullMQ only
        return m_framework == Framework::BullMQ;
    for (const QueueRef &known : m_context.queues) {
        if (known.name == queue)
            return true;
    }
    return waitsLike(m_framework, command);
}

bool BullWorkerReader::onQueueMaster(const QByteArray &queue, const QByteArray &node) const
{
    // A worker's Cluster client names its connection to every node it talks to (topology
    // refreshes included); the worker itself waits for jobs and runs its scripts on the master
    // of its queue's slot. Unknown owner (slot not served): every connection is kept.
    if (node.isEmpty() || !m_context.clusterMasterOf)
        return true;
    const QString owner =
        m_context.clusterMasterOf(bullkeys::queueKey(m_context.prefix, queue, "meta"));
    return owner.isEmpty() || owner.toUtf8() == node;
}

void BullWorkerReader::readClients(const QByteArray &list)
{
    for (const QByteArray &line : list.split('\n')) {
        const QHash<QByteArray, QByteArray> fields = clientFields(line.trimmed());
        const std::optional<BullConnectionName> name =
            parseBullConnectionName(fields.value("name"));
        if (!name || name->role != BullConnectionName::Role::Worker ||
            name->prefix != m_context.prefix ||
            !claims(name->queue, name->worker, fields.value("cmd")))
            continue;
        if (!onQueueMaster(name->queue, fields.value(kClientNodeField)))
            continue;
        WorkerInfo worker;
        worker.framework = m_framework;
        worker.prefix = m_context.prefix;
        const QByteArray address = fields.value("addr");
        worker.node = QString::fromUtf8(fields.value(kClientNodeField)); // on a cluster
        worker.id = QString::fromUtf8(address + ' ' + fields.value("name"));
        if (!worker.node.isEmpty()) // client addresses are unique per node only
            worker.id += QStringLiteral(" @") + worker.node;
        worker.name = name->worker.isEmpty() ? worker.id : name->worker;
        worker.host = QString::fromUtf8(address.left(address.lastIndexOf(':')));
        worker.queues = {name->queue};
        bool ok = false;
        const qint64 age = fields.value("age").toLongLong(&ok);
        if (ok)
            worker.startedAtMs = m_context.nowMs - age * 1000;
        const qint64 idle = fields.value("idle").toLongLong(&ok);
        if (ok)
            worker.idleMs = idle * 1000;
        worker.lastSeenAtMs = m_context.nowMs; // connected now
        worker.state = WorkerState::Unknown;
        worker.detail =
            QStringLiteral("connection %1, last command %2")
                .arg(QString::fromUtf8(address), QString::fromUtf8(fields.value("cmd")));
        if (!worker.node.isEmpty())
            worker.detail += QStringLiteral(", on node ") + worker.node;
        m_workers.append(worker);
    }
}

void BullWorkerReader::assignJobs()
{
    for (WorkerInfo &worker : m_workers) {
        const QByteArray &queue = worker.queues.first();
        int connections = 0; // of this queue, and of this worker name
        int sameName = 0;
        for (const WorkerInfo &other : m_workers) {
            if (other.queues.first() != queue)
                continue;
            ++connections;
            sameName += other.name == worker.name ? 1 : 0;
        }
        QList<WorkerJob> locked;
        QList<WorkerJob> mine;
        for (const Active &job : m_active) {
            if (job.queue != queue || !job.locked)
                continue;
            locked.append({queue, job.id});
            if (!job.processedBy.isEmpty() && job.processedBy == worker.name)
                mine.append({queue, job.id});
        }
        const bool named = worker.name != worker.id;
        if (locked.isEmpty()) {
            worker.state = WorkerState::Idle; // nothing of its queue runs anywhere
        } else if (connections == 1) {
            worker.currentJobs = locked; // the queue's only worker runs them all
        } else if (named && sameName == 1 && m_framework == Framework::BullMQ) {
            worker.currentJobs = mine; // BullMQ records the worker's name in `pb`
        } else {
            continue; // several workers, nothing says which runs what: unknown
        }
        worker.busy = int(worker.currentJobs.size());
        worker.state = worker.currentJobs.isEmpty() ? WorkerState::Idle : WorkerState::Busy;
    }
}

void BullWorkerReader::addStalled(WorkerScan &scan) const
{
    QSet<QByteArray> served;
    for (const WorkerInfo &worker : m_workers)
        served.insert(worker.queues.first());
    for (const Active &job : m_active) {
        if (job.locked || !job.stillActive)
            continue;
        StuckJob stuck;
        stuck.framework = m_framework;
        stuck.prefix = m_context.prefix;
        stuck.queue = job.queue;
        stuck.id = job.id;
        stuck.reason = QStringLiteral("stalled: lock expired");
        stuck.outcome =
            served.contains(job.queue) || !m_clientsRefused.isEmpty()
                ? QStringLiteral("the next stalled check of a live worker moves it back to waiting "
                                 "(to failed after maxStalledCount stalls)")
                : QStringLiteral("stays active until a worker of this queue starts: its stalled "
                                 "check moves it back to waiting (to failed after "
                                 "maxStalledCount stalls)");
        stuck.sinceMs = stuckSince(m_context.previous, stuck).value_or(m_context.nowMs);
        scan.stuck.append(stuck);
    }
}

void BullWorkerReader::finish(WorkerScan &scan)
{
    if (!m_clientsRefused.isEmpty()) {
        if (!m_context.queues.isEmpty())
            scan.unknown.append({m_framework, m_clientsRefused});
    } else {
        assignJobs();
        scan.workers += m_workers;
    }
    addStalled(scan);
}

} // namespace qs::queues
