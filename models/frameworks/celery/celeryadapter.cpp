#include "celeryadapter.h"

#include "queues/countreplies.h"
#include "queues/timestamps.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <QSet>

namespace qs::queues {

namespace {

const QByteArray kSep("\x06\x16", 2); // kombu's default `sep`
const QByteArray kBindingPrefix("_kombu.binding.");
const QByteArray kWorkerMailboxes("_kombu.binding.celery.pidbox");

// A prefix is literal text: glob characters in it must not widen the SCAN MATCH.
QByteArray globEscaped(const QByteArray &literal)
{
    QByteArray out;
    for (char c : literal) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

// Exchanges whose bindings are Celery plumbing: remote control and its replies, and events.
bool isInternalExchange(const QByteArray &exchange)
{
    return exchange.endsWith(".pidbox") || exchange == "celeryev" || exchange.startsWith("reply.");
}

} // namespace

CeleryAdapter::CeleryAdapter(QByteArray globalKeyPrefix)
    : m_prefix(std::move(globalKeyPrefix))
{
}

QList<QueueAdapter::ScanPattern> CeleryAdapter::scanPatterns() const
{
    return {{globEscaped(m_prefix) + kBindingPrefix + '*', "set"}};
}

QList<QueueRef> CeleryAdapter::queuesFromKeys(const QList<QByteArray> &keys) const
{
    Q_UNUSED(keys); // a binding key names an exchange; its members name the queues
    return {};
}

QList<QByteArray> CeleryAdapter::bindingKeys(const QList<QByteArray> &keys) const
{
    QList<QByteArray> out;
    const QByteArray start = m_prefix + kBindingPrefix;
    for (const QByteArray &key : keys) {
        if (key.startsWith(start) && !isInternalExchange(key.mid(start.size())))
            out.append(key);
    }
    return out;
}

QList<redis::RedisCommand> CeleryAdapter::keyReadCommands(const QList<QByteArray> &keys) const
{
    QList<redis::RedisCommand> commands;
    for (const QByteArray &key : bindingKeys(keys))
        commands.append({"SMEMBERS", key});
    return commands;
}

QList<QueueRef> CeleryAdapter::queuesFromKeyReads(const QList<QByteArray> &keys,
                                                  const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(keys); // replies follow keyReadCommands(keys); members carry the queue names
    QList<QueueRef> queues;
    QSet<QByteArray> seen;
    for (const redis::RedisReply &reply : replies) {
        // An error (NOPERM, or the key changed type since the SCAN) just names no queue.
        for (const redis::RedisReply &member : reply.elements) {
            const std::optional<QByteArray> name = queueFromBinding(member.string);
            if (name && !seen.contains(*name)) {
                seen.insert(*name);
                queues.append({Framework::Celery, m_prefix, *name});
            }
        }
    }
    return queues;
}

std::optional<QByteArray> CeleryAdapter::queueFromBinding(const QByteArray &member)
{
    // routing_key SEP pattern SEP queue; the queue is everything after the second separator.
    const qsizetype first = member.indexOf(kSep);
    const qsizetype second = first < 0 ? -1 : member.indexOf(kSep, first + kSep.size());
    if (second < 0)
        return std::nullopt;
    const QByteArray queue = member.mid(second + kSep.size());
    // Worker mailboxes and event receivers live in other exchanges, but a custom setup may bind
    // them elsewhere too: they are never task queues.
    if (queue.isEmpty() || queue.endsWith(".pidbox") || queue.startsWith("celeryev."))
        return std::nullopt;
    return queue;
}

QList<redis::RedisCommand> CeleryAdapter::countCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs);
    const QByteArray list = queue.prefix + queue.name;
    QList<redis::RedisCommand> commands{{"LLEN", list}};
    // All nine sub-lists, not only the default steps 3/6/9: `priority_steps` is configurable
    // per app, and an LLEN of an absent key is O(1) and free of side effects.
    for (int step = 1; step <= kPrioritySubLists; ++step)
        commands.append({"LLEN", list + kSep + QByteArray::number(step)});
    return commands;
}

QueueCounts CeleryAdapter::parseCounts(const QueueRef &queue, redis::ReplyRun replies) const
{
    QueueCounts counts;
    counts.queue = queue;
    CountReplies read([this, &queue] { return countCommands(queue, 0); }, replies);
    std::optional<qint64> pending = read.integer(0);
    std::optional<qint64> subLists = 0;
    for (int step = 1; step <= kPrioritySubLists; ++step) {
        const std::optional<qint64> length = read.integer(step);
        subLists = (subLists && length) ? std::optional(*subLists + *length) : std::nullopt;
    }
    // A total with an unreadable part would be a wrong number, not a smaller one: leave it out.
    if (pending && subLists)
        counts.set(QStringLiteral("pending"), *pending + *subLists);
    if (subLists)
        counts.set(QStringLiteral("priority sub-lists"), *subLists);
    counts.note = read.note();
    return counts;
}

const QList<QPair<QString, UnifiedState>> &CeleryAdapter::states() const
{
    // "priority sub-lists" is the part of "pending" published with a priority that maps to a
    // step above 0; with the Redis transport those run AFTER the base list (0 is highest).
    static const QList<QPair<QString, UnifiedState>> states{
        {QStringLiteral("pending"), UnifiedState::Waiting},
        {QStringLiteral("priority sub-lists"), UnifiedState::Prioritized}};
    return states;
}

QList<redis::RedisCommand> CeleryAdapter::detailCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs);
    return {{"LINDEX", queue.prefix + queue.name, "-1"}};
}

QList<redis::RedisCommand> CeleryAdapter::parseDetails(const QueueRef &queue,
                                                       redis::ReplyRun replies,
                                                       const QueueCounts &counts,
                                                       QueueDetails &details) const
{
    auto tr = [](const char *text) {
        return QCoreApplication::translate("qs::queues::CeleryAdapter", text);
    };
    const QString why = tr("Celery keeps no count of finished tasks in Redis (results, when "
                           "stored, expire and are not counted).");
    details.completed.unknownWhy = why;
    details.failed.unknownWhy = why;
    CountReplies read([this, &queue] { return detailCommands(queue, 0); }, replies);
    const redis::RedisReply *next = read.reply(0);
    details.note = read.note();
    if (!next)
        return {};
    if (next->isNil()) {
        // kombu deletes an empty list; the messages may all sit in priority sub-lists.
        if (counts.count(QStringLiteral("pending")).value_or(0) > 0)
            details.oldestWaitingWhy = tr("Every waiting message is in a priority sub-list.");
        else
            details.nothingWaited = true;
        return {};
    }
    const QJsonObject headers =
        QJsonDocument::fromJson(next->string).object().value(QStringLiteral("headers")).toObject();
    const qint64 eta = millisFromIso(headers.value(QStringLiteral("eta")).toString().toUtf8());
    if (eta >= 0)
        details.oldestWaitingSinceMs = eta;
    else
        details.oldestWaitingWhy = tr("Celery messages carry no time of publishing; only a task "
                                      "sent with an ETA or countdown says since when it is due.");
    return {};
}

QList<redis::RedisCommand> CeleryAdapter::serverCountCommands(qint64 nowMs,
                                                              const ServerCounts &previous) const
{
    Q_UNUSED(nowMs);
    Q_UNUSED(previous);
    return {{"HLEN", m_prefix + "unacked"}, {"SCARD", m_prefix + kWorkerMailboxes}};
}

ServerCounts CeleryAdapter::parseServerCounts(redis::ReplyRun replies) const
{
    ServerCounts counts;
    counts.framework = Framework::Celery;
    counts.prefix = m_prefix;
    CountReplies read(serverCountCommands(0, {}), replies);
    // Prefetched messages and ETA/countdown tasks held by workers, of every queue together.
    if (const std::optional<qint64> reserved = read.integer(0))
        counts.set(QStringLiteral("reserved"), *reserved);
    // One mailbox per worker; a worker killed with SIGKILL leaves its mailbox behind.
    counts.workers = read.integer(1);
    counts.note = read.note();
    return counts;
}

QList<QPair<QString, UnifiedState>> CeleryAdapter::serverStates() const
{
    return {{QStringLiteral("reserved"), UnifiedState::Active}};
}

QList<redis::RedisCommand> CeleryAdapter::existenceCommands(const QueueRef &queue) const
{
    // Kombu deletes a queue's lists when they empty, but its binding stays. Celery binds a queue
    // to the exchange of its own name with its name as routing key and no pattern; a queue bound
    // otherwise is found by discovery (the caller's next step).
    const QByteArray list = queue.prefix + queue.name;
    redis::RedisCommand exists{"EXISTS", list};
    for (int step = 1; step <= kPrioritySubLists; ++step)
        exists.append(list + kSep + QByteArray::number(step));
    return {exists,
            {"SISMEMBER", queue.prefix + kBindingPrefix + queue.name,
             queue.name + kSep + kSep + queue.name}};
}

bool CeleryAdapter::queueExists(const QueueRef &queue,
                                const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(queue);
    return anyPositive(replies);
}

} // namespace qs::queues
