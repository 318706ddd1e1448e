#include "queuediscovery.h"

#include "redis/redisconnection.h"

#include <QSet>

namespace qs::queues {

QueueDiscovery::QueueDiscovery(redis::RedisConnection *connection,
                               QList<std::shared_ptr<const QueueAdapter>> adapters, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_adapters(std::move(adapters))
{
}

void QueueDiscovery::start()
{
    if (m_running || m_adapters.isEmpty())
        return;
    m_running = true;
    m_scanCalls = 0;
    m_step = {};
    m_cursor = "0";
    // A Redis Cluster: each pattern is scanned on every master (each holds its own keys).
    m_scanNodes.clear();
    m_scanNode = 0;
    for (const redis::TopologyNode &node : m_connection->topology().nodes) {
        if (m_connection->isCluster() && node.role == QLatin1String("master") &&
            !node.slotRanges.isEmpty())
            m_scanNodes.append(node.address);
    }
    runStep();
}

void QueueDiscovery::runStep()
{
    const QueueAdapter &adapter = *m_adapters.at(m_step.adapter);
    if (m_step.pattern < 0) {
        const QList<redis::RedisCommand> commands = adapter.registryCommands();
        if (commands.isEmpty()) {
            nextStep();
            return;
        }
        m_connection->pipeline(commands, this, [this](const redis::PipelineResult &r) {
            if (!r.ok()) {
                fail(r.error.message);
                return;
            }
            report(m_adapters.at(m_step.adapter)->queuesFromRegistry(r.replies));
            nextStep();
        });
        return;
    }
    const QueueAdapter::ScanPattern pattern = adapter.scanPatterns().at(m_step.pattern);
    redis::RedisCommand scan{"SCAN",        m_cursor, "MATCH",
                             pattern.match, "COUNT",  QByteArray::number(m_scanCount)};
    if (m_useType && !pattern.type.isEmpty())
        scan << "TYPE" << pattern.type;
    ++m_scanCalls;
    const QString node = m_scanNodes.value(m_scanNode); // empty: the one server
    m_connection->pipelineOnNodes({{node, scan}}, this, [this](const redis::PipelineResult &r) {
        if (!r.ok()) {
            fail(r.error.message);
            return;
        }
        const redis::RedisReply &reply = r.replies.first();
        if (reply.isError() && m_useType && reply.string.contains("syntax")) {
            m_useType = false; // Redis 5 has no SCAN ... TYPE: filter by the adapter instead
            runStep();
            return;
        }
        if (reply.isError() || !reply.isArray() || reply.elements.size() != 2) {
            fail(QStringLiteral("SCAN failed: %1").arg(QString::fromUtf8(reply.string)));
            return;
        }
        m_cursor = reply.elements.at(0).string;
        QList<QByteArray> keys;
        for (const redis::RedisReply &key : reply.elements.at(1).elements)
            keys.append(key.string);
        const QueueAdapter &current = *m_adapters.at(m_step.adapter);
        // Candidates named by the keys are confirmed (adapters with shared patterns, e.g. Bull
        // and BullMQ) and reported before the pass goes on.
        const QList<QueueRef> candidates =
            keys.isEmpty() ? QList<QueueRef>{} : current.queuesFromKeys(keys);
        auto advance = [this, candidates] {
            confirmThenReport(candidates, [this] {
                if (m_cursor == "0" && m_scanNode + 1 < m_scanNodes.size()) {
                    ++m_scanNode; // this master is done: the same pattern on the next one
                    runStep();
                } else if (m_cursor == "0")
                    nextStep();
                else
                    runStep();
            });
        };
        // Keys that only point at queues (Celery bindings) are read before the next SCAN call.
        const QList<redis::RedisCommand> reads =
            keys.isEmpty() ? QList<redis::RedisCommand>{} : current.keyReadCommands(keys);
        if (reads.isEmpty()) {
            advance();
            return;
        }
        m_connection->pipeline(reads, this, [this, keys, advance](const redis::PipelineResult &r) {
            if (!r.ok()) {
                fail(r.error.message);
                return;
            }
            report(m_adapters.at(m_step.adapter)->queuesFromKeyReads(keys, r.replies));
            advance();
        });
    });
}

void QueueDiscovery::nextStep()
{
    m_cursor = "0";
    m_scanNode = 0;
    const int patterns = int(m_adapters.at(m_step.adapter)->scanPatterns().size());
    if (m_step.pattern + 1 < patterns) {
        ++m_step.pattern;
    } else if (m_step.adapter + 1 < m_adapters.size()) {
        m_step = {m_step.adapter + 1, -1};
    } else {
        m_running = false;
        Q_EMIT finished(QString());
        return;
    }
    runStep();
}

void QueueDiscovery::confirmThenReport(const QList<QueueRef> &candidates,
                                       std::function<void()> next)
{
    const QueueAdapter &adapter = *m_adapters.at(m_step.adapter);
    // Queues already known (e.g. from an earlier pass) are not read again.
    QList<QueueRef> fresh;
    QList<qsizetype> readCounts;
    QList<redis::RedisCommand> reads;
    QSet<QString> seen;
    for (const QueueRef &queue : candidates) {
        const QString id = queue.id();
        if (m_known.contains(id) || seen.contains(id))
            continue;
        seen.insert(id);
        const QList<redis::RedisCommand> commands = adapter.confirmCommands(queue);
        fresh.append(queue);
        readCounts.append(commands.size());
        reads += commands;
    }
    if (reads.isEmpty()) {
        report(fresh);
        next();
        return;
    }
    m_connection->pipeline(reads, this,
                           [this, fresh, readCounts, expected = reads.size(),
                            next = std::move(next)](const redis::PipelineResult &r) {
                               if (!r.ok()) {
                                   fail(r.error.message);
                                   return;
                               }
                               if (r.replies.size() != expected) {
                                   fail(QStringLiteral("%1 replies to %2 confirming reads")
                                            .arg(r.replies.size())
                                            .arg(expected));
                                   return;
                               }
                               const QueueAdapter &owner = *m_adapters.at(m_step.adapter);
                               QList<QueueRef> confirmed;
                               qsizetype offset = 0;
                               for (qsizetype i = 0; i < fresh.size(); ++i) {
                                   const QList<redis::RedisReply> replies =
                                       r.replies.mid(offset, readCounts.at(i));
                                   if (owner.confirmQueue(fresh.at(i), replies))
                                       confirmed.append(fresh.at(i));
                                   offset += readCounts.at(i);
                               }
                               report(confirmed);
                               next();
                           });
}

void QueueDiscovery::report(const QList<QueueRef> &queues)
{
    QList<QueueRef> fresh;
    QStringList ids;
    for (const QueueRef &queue : queues) {
        const QString id = queue.id();
        if (!m_known.contains(id)) {
            m_known.insert(id, queue);
            fresh.append(queue);
            ids.append(id);
        }
    }
    if (!fresh.isEmpty())
        Q_EMIT queuesFound(fresh, ids);
}

void QueueDiscovery::fail(const QString &error)
{
    m_running = false;
    Q_EMIT finished(error);
}

} // namespace qs::queues
