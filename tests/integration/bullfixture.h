#pragma once

// The BullMQ and Bull node fixtures (tests/queues/make-*-states.mjs) for tst_bullqueues, and
// how their answers are compared with our counts.

#include "frameworkfixture.h"
#include "redisserver.h"

#include "queues/queuecounts.h"
#include "redis/redisconnection.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace qs::test {

// One node fixture process. It makes every state, answers "counts" on stdin with the
// framework's own getJobCounts(), and exits when stdin closes.
class BullFixture
{
public:
    // framework: "bullmq" (6.7.0), "bullmq5" (5.47.3) or "bull" (4.16.5).
    BullFixture(const QString &framework, const RedisServer &server, const QString &prefix,
                const QStringList &queues, const QStringList &paused,
                const QStringList &metrics = {});

    // Why the fixtures cannot run here, or empty.
    static QString missingTools();

    const QString &framework() const { return m_framework; }

    // Starts node and waits until every state exists.
    bool start(QString *error);

    // {"<queue>": {"counts": {...}, "paused": bool}} from the framework's own API.
    std::optional<QJsonObject> counts(QString *error);

private:
    QString m_framework;
    FrameworkFixture m_process;
};

// Differences between our counts and the framework's {"counts": {...}, "paused": bool}, empty
// when they agree. Both frameworks keep "paused" apart where a legacy list exists; we fold it
// into waiting. Every state must be non-empty, so that each one was really exercised.
QString compareCounts(const QString &name, const queues::QueueCounts &ours,
                      const QJsonObject &theirs);

// Differences between our details and the framework's own (frameworkDetails() in
// tests/queues/fixture-common.mjs), empty when they agree.
QString compareDetails(const QString &name, const queues::QueueCounts &ours,
                       const QJsonObject &theirs);

// The queues named by the BullMQ/Bull workers' connections (CLIENT LIST), as the Server page
// decodes them.
QStringList workerQueues(redis::RedisConnection &connection);

} // namespace qs::test
