#pragma once

#include "queues/actionrequest.h"

#include "redis/rediserror.h"

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace qs::jobs {

struct ActionProgress
{
    qint64 done = 0;
    qint64 skipped = 0;
    qint64 total = -1; // jobs to go through in all, when known up front
    int calls = 0;
};

// How a bulk action ended: what it did, what it skipped and why, and why it stopped early.
struct ActionSummary
{
    ActionRequest request;
    qint64 done = 0;
    qint64 skipped = 0;
    int calls = 0;
    int resentCalls = 0; // calls sent again after their reply was lost (safe: idempotent)
    QList<QPair<QByteArray, QString>> skippedReasons; // first 100: id, reason
    QList<QPair<QString, qint64>> doneAs; // what the done jobs became, where the script says
    QString error; // why it stopped before the end; empty when it ran to the end
    redis::RedisError::Kind errorKind = redis::RedisError::Kind::None; // transport errors
    bool cancelled = false;
    bool refused = false; // stopped before any call because it is unsafe now (the error says why)
    qint64 elapsedMs = 0;
    qint64 slowestCallUs = 0; // the longest single script call (client side, one round trip)

    bool completed() const { return error.isEmpty() && !cancelled; }
    // Adds a script's doneAs counts to this summary's.
    void addDoneAs(const QList<QPair<QString, qint64>> &counts);
    // "retry: 12 done, 1 skipped ... (not in failed: 1)" — for a status line; with doneAs
    // "restore: 3 done (moved to failed: 2; requeued (retries left): 1), ...".
    QString describe() const;
};

} // namespace qs::jobs

Q_DECLARE_METATYPE(qs::jobs::ActionProgress)
Q_DECLARE_METATYPE(qs::jobs::ActionSummary)
