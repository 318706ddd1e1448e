#pragma once

#include "actionscript.h"

#include "queues/queueref.h"
#include "redis/redisreply.h"

#include "core/limits.h"

#include <QList>

namespace qs::jobs {

// The values a script's header may name (scripts/README.md).
struct ScriptParams
{
    QByteArray mode = "ids"; // "ids" or "all"
    int limit = core::limits::defaultBatchSize;
    qint64 nowMs = 0;
    qint64 cutoffMs = 0;
    bool reset = false;
    QByteArray state;
    QByteArray cursor = "0";
    bool delayed = false;
};

// Expands one header template ("{p}:{q}:failed") for a queue; named values are not templates.
QByteArray expandTemplate(const QByteArray &pattern, const queues::QueueRef &queue,
                          const ScriptParams &params);

// EVALSHA (or EVAL with the source, after NOSCRIPT) of a script with its keys, its fixed
// arguments and the flattened item groups.
redis::RedisCommand scriptCommand(const ActionScript &script, const queues::QueueRef &queue,
                                  const ScriptParams &params, const QList<QByteArray> &items,
                                  bool withSource);

// A script's answer: {done, skipped, more, details[, cursor][, tally]}.
struct ScriptOutcome
{
    qint64 done = 0;
    qint64 skipped = 0;
    bool more = false;
    QList<QPair<QByteArray, QString>> skippedReasons; // id, reason
    QByteArray cursor = "0";
    // What the done jobs became, when the script says (an optional last element {what, count,
    // ...}): "moved to failed" 3, "requeued (retries left)" 1.
    QList<QPair<QString, qint64>> doneAs;
    QString error; // the reply was an error or not of the contract's shape

    bool ok() const { return error.isEmpty(); }
};

ScriptOutcome parseOutcome(const ActionScript &script, const redis::RedisReply &reply);

} // namespace qs::jobs
