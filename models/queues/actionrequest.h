#pragma once

#include "queues/queueref.h"

#include <QList>
#include <QString>

#include <optional>

namespace qs::jobs {

// The one vocabulary of actions; each framework supports some of them (its action catalog,
// frameworks::actionSupport).
enum class JobAction { Retry, Promote, Remove, Clean, Pause, Resume, Drain, Restore };
// Every action, in menu order.
inline constexpr JobAction allActions[] = {JobAction::Retry, JobAction::Promote, JobAction::Remove,
                                           JobAction::Clean, JobAction::Pause,   JobAction::Resume,
                                           JobAction::Drain, JobAction::Restore};

QString actionName(JobAction action); // "retry", "promote", ...
// An age as operators write it: "90s", "15m", "1h", "7d", "2w", "500ms" or plain seconds, in ms;
// nullopt when malformed.
std::optional<qint64> parseAgeMs(const QString &text);
std::optional<JobAction> actionFromName(const QString &name);

// What an operator asked for: an action on one queue, on explicit jobs or on every job of a
// state. A plain value, logged to the audit log as it is.
struct ActionRequest
{
    queues::QueueRef queue;
    JobAction action = JobAction::Retry;
    QString state;               // native state acted on; empty = the action's default state
    QList<QByteArray> ids;       // explicit jobs (ids; Sidekiq: jids)
    bool all = false;            // every job of the state instead of ids
    qint64 olderThanMs = 0;      // clean, retry-all: only jobs finished at least this long ago
    bool resetAttempts = false;  // retry: also reset the attempt counters (full retry budget)
    bool includeDelayed = false; // drain: also the delayed jobs
};

} // namespace qs::jobs
