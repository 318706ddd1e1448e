#include "workerreplies.h"

namespace qs::queues {

QByteArray withClientNode(const QByteArray &clientList, const QString &node)
{
    const QByteArray suffix = QByteArray(" ") + kClientNodeField + '=' + node.toUtf8();
    QByteArray out;
    out.reserve(clientList.size() + clientList.count('\n') * suffix.size() + suffix.size());
    for (const QByteArray &line : clientList.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            out += trimmed + suffix + '\n';
    }
    return out;
}

QHash<QByteArray, QByteArray> hashFromReply(const redis::RedisReply &reply)
{
    QHash<QByteArray, QByteArray> hash;
    if (!reply.isArray() || reply.elements.size() % 2 != 0)
        return hash;
    for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2)
        hash.insert(reply.elements.at(i).string, reply.elements.at(i + 1).string);
    return hash;
}

QString refusedReason(const redis::RedisCommand &command, const redis::RedisReply &reply)
{
    QByteArray words;
    for (const QByteArray &word : command.mid(0, 2))
        words += (words.isEmpty() ? "" : " ") + word;
    const qsizetype newline = reply.string.indexOf('\n');
    const QByteArray message = (newline < 0 ? reply.string : reply.string.left(newline)).left(200);
    return QStringLiteral("workers unknown: %1 refused (%2)")
        .arg(QString::fromUtf8(words), QString::fromUtf8(message));
}

const WorkerInfo *findWorker(const WorkerScan *scan, Framework framework, const QByteArray &prefix,
                             const QString &id)
{
    if (!scan)
        return nullptr;
    for (const WorkerInfo &worker : scan->workers) {
        if (worker.framework == framework && worker.prefix == prefix && worker.id == id)
            return &worker;
    }
    return nullptr;
}

std::optional<qint64> stuckSince(const WorkerScan *scan, const StuckJob &job)
{
    if (!scan)
        return std::nullopt;
    for (const StuckJob &earlier : scan->stuck) {
        if (earlier.framework == job.framework && earlier.prefix == job.prefix &&
            earlier.queue == job.queue && earlier.id == job.id)
            return earlier.sinceMs;
    }
    return std::nullopt;
}

} // namespace qs::queues
