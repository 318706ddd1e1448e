#include "celeryunacked.h"

#include "queues/timestamps.h"
#include "queues/workerreplies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace qs::queues {

namespace {

// The task id and the queue (its routing key) of one `unacked` value, [message, exchange,
// routing_key]; empty when the value is gone (acknowledged since step 1) or not kombu's.
std::pair<QString, QByteArray> taskAndQueue(const QByteArray &value)
{
    const QJsonArray triple = QJsonDocument::fromJson(value).array();
    if (triple.size() != 3 || !triple.at(0).isObject())
        return {};
    const QJsonObject headers = triple.at(0).toObject().value(QLatin1String("headers")).toObject();
    return {headers.value(QLatin1String("id")).toString(), triple.at(2).toString().toUtf8()};
}

} // namespace

CeleryUnackedReader::CeleryUnackedReader(Context context)
    : m_context(std::move(context))
{
}

QList<redis::RedisCommand> CeleryUnackedReader::nextStep(const QList<redis::RedisReply> &replies)
{
    ++m_step;
    if (m_step == 1) {
        if (m_context.queues.isEmpty())
            return {}; // no Celery queue here: nothing to say
        const QByteArray index = m_context.prefix + "unacked_index";
        return {{"ZCARD", index},
                {"ZRANGE", index, "0", QByteArray::number(kMaxListed - 1), "WITHSCORES"}};
    }
    if (m_step == 2)
        return readIndex(replies);
    if (m_step == 3)
        readDeliveries(replies);
    return {};
}

bool CeleryUnackedReader::listed(const Delivery &delivery) const
{
    if (!m_context.liveFromEvents)
        return false;
    if (*m_context.liveFromEvents == 0)
        return true;
    return m_context.nowMs - delivery.deliveredAtMs > kVisibilityTimeoutMs;
}

QList<redis::RedisCommand> CeleryUnackedReader::readIndex(const QList<redis::RedisReply> &replies)
{
    const redis::RedisReply &count = replies.value(0);
    const redis::RedisReply &oldest = replies.value(1);
    if (count.isError() || oldest.isError()) {
        m_refused = refusedReason({"ZRANGE", m_context.prefix + "unacked_index"},
                                  count.isError() ? count : oldest);
        return {};
    }
    m_total = count.integer;
    for (qsizetype i = 0; i + 1 < oldest.elements.size(); i += 2) {
        const double seconds = oldest.elements.at(i + 1).string.toDouble();
        if (!std::isfinite(seconds))
            continue;
        m_oldest.append({oldest.elements.at(i).string, qint64(std::llround(seconds * 1000.0))});
    }
    redis::RedisCommand read{"HMGET", m_context.prefix + "unacked"};
    for (const Delivery &delivery : std::as_const(m_oldest)) {
        if (listed(delivery)) {
            m_toList.append(delivery);
            read.append(delivery.tag);
        }
    }
    if (m_toList.isEmpty())
        return {};
    return {read};
}

void CeleryUnackedReader::readDeliveries(const QList<redis::RedisReply> &replies)
{
    const redis::RedisReply &values = replies.value(0);
    if (values.isError()) {
        m_refused = refusedReason({"HMGET", m_context.prefix + "unacked"}, values);
        return;
    }
    const bool noneAlive = m_context.liveFromEvents.value_or(0) == 0;
    for (qsizetype i = 0; i < m_toList.size() && i < values.elements.size(); ++i) {
        const auto [task, queue] = taskAndQueue(values.elements.at(i).string);
        if (task.isEmpty() && queue.isEmpty())
            continue; // acknowledged (or restored) between the two steps
        StuckJob job;
        job.framework = Framework::Celery;
        job.prefix = m_context.prefix;
        job.queue = queue;
        job.id = QString::fromUtf8(m_toList.at(i).tag);
        job.sinceMs = m_toList.at(i).deliveredAtMs;
        const QString taskText =
            task.isEmpty() ? QStringLiteral("a task") : QStringLiteral("task %1").arg(task);
        if (noneAlive) {
            job.reason = QStringLiteral("unacked: no live worker");
            job.outcome = QStringLiteral("%1, delivered to a worker that is gone: the next worker "
                                         "to start puts it back on its queue once it is older "
                                         "than visibility_timeout (1 h by default); Restore puts "
                                         "it back now")
                              .arg(taskText);
        } else {
            job.reason = QStringLiteral("unacked beyond visibility_timeout");
            job.outcome = QStringLiteral("%1: a live worker's restore_visible puts it back on its "
                                         "queue within minutes (unless the workers run with a "
                                         "visibility_timeout over 1 h); if its worker still "
                                         "holds it (an ETA), it runs twice")
                              .arg(taskText);
        }
        m_stuck.append(job);
    }
}

QString CeleryUnackedReader::unknownLivenessNote() const
{
    return QStringLiteral("Celery: %1 unacked deliveries (oldest delivered %2 ago) and no "
                          "heartbeat heard, so whether a worker holds them is unknown (workers "
                          "may run with --without-heartbeat); if no worker runs, they are stuck: "
                          "Restore puts them back (it refuses while a worker is connected)")
        .arg(m_total)
        .arg(roughDuration(m_context.nowMs - m_oldest.first().deliveredAtMs));
}

void CeleryUnackedReader::finish(WorkerScan &scan)
{
    if (!m_refused.isEmpty()) {
        scan.notes << QStringLiteral("Celery stuck jobs unknown: %1")
                          .arg(m_refused.mid(m_refused.indexOf(QLatin1Char(':')) + 2));
        return;
    }
    if (m_oldest.isEmpty())
        return;
    if (!m_context.liveFromEvents) {
        scan.notes << unknownLivenessNote();
        return;
    }
    scan.stuck += m_stuck;
    if (m_total > m_oldest.size() && m_toList.size() == m_oldest.size())
        scan.notes << QStringLiteral("Celery: %1 more unacked deliveries than the %2 oldest "
                                     "listed")
                          .arg(m_total - m_oldest.size())
                          .arg(kMaxListed);
}

} // namespace qs::queues
