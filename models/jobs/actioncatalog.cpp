#include "actioncatalog.h"

namespace qs::jobs {

using queues::Framework;

namespace {

ActionSupport unsupported(const QString &reason)
{
    ActionSupport support;
    support.reason = reason;
    return support;
}

ActionSupport supported(QString label, QString script, QList<QPair<QString, QByteArray>> states,
                        Selection selection, Feed feed, bool destructive = false,
                        bool takesAge = false)
{
    ActionSupport support;
    support.supported = true;
    support.label = std::move(label);
    support.script = std::move(script);
    support.states = std::move(states);
    support.selection = selection;
    support.feed = feed;
    support.destructive = destructive;
    support.takesAge = takesAge;
    return support;
}

// BullMQ and Bull share their verbs; only the scripts and a few states differ.
ActionSupport bullFamily(JobAction action, bool bullmq)
{
    const QString p = bullmq ? QStringLiteral("bullmq-") : QStringLiteral("bull-");
    QList<QPair<QString, QByteArray>> cleanable = {
        {QStringLiteral("completed"), "completed"},
        {QStringLiteral("failed"), "failed"},
        {QStringLiteral("waiting"), "wait"},
        {QStringLiteral("delayed"), "delayed"},
    };
    if (bullmq)
        cleanable.append({QStringLiteral("prioritized"), "prioritized"});
    switch (action) {
    case JobAction::Retry:
        return supported(QStringLiteral("Retry"), p + QStringLiteral("retry"),
                         {{QStringLiteral("failed"), "failed"}}, Selection::IdsOrAll, Feed::Ids,
                         false, true);
    case JobAction::Promote:
        return supported(QStringLiteral("Promote"), p + QStringLiteral("promote"),
                         {{QStringLiteral("delayed"), "delayed"}}, Selection::IdsOrAll, Feed::Ids);
    case JobAction::Remove:
        return supported(QStringLiteral("Remove"), p + QStringLiteral("remove"), {}, Selection::Ids,
                         Feed::Ids, true);
    case JobAction::Clean:
        return supported(QStringLiteral("Clean"), p + QStringLiteral("clean"), cleanable,
                         Selection::All, Feed::Cursor, true, true);
    case JobAction::Pause:
        return supported(QStringLiteral("Pause"), p + QStringLiteral("pause"), {}, Selection::Queue,
                         Feed::None);
    case JobAction::Resume:
        return supported(QStringLiteral("Resume"), p + QStringLiteral("resume"), {},
                         Selection::Queue, Feed::None);
    case JobAction::Drain:
        return supported(QStringLiteral("Drain"), p + QStringLiteral("drain"), {}, Selection::Queue,
                         Feed::None, true);
    case JobAction::Restore:
        return unsupported(QStringLiteral("only Celery keeps unacknowledged deliveries to put "
                                          "back; BullMQ and Bull recover stalled jobs themselves"));
    }
    return {};
}

ActionSupport rq(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return supported(QStringLiteral("Requeue"), QStringLiteral("rq-requeue"),
                         {{QStringLiteral("failed"), "failed"}}, Selection::IdsOrAll, Feed::Ids);
    case JobAction::Remove:
        return supported(QStringLiteral("Delete"), QStringLiteral("rq-remove"), {}, Selection::Ids,
                         Feed::Ids, true);
    case JobAction::Clean:
        return supported(QStringLiteral("Clean"), QStringLiteral("rq-clean"),
                         {{QStringLiteral("finished"), "finished"},
                          {QStringLiteral("failed"), "failed"},
                          {QStringLiteral("canceled"), "canceled"}},
                         Selection::All, Feed::Cursor, true, true);
    case JobAction::Drain:
        return supported(QStringLiteral("Empty"), QStringLiteral("rq-empty"), {}, Selection::Queue,
                         Feed::None, true);
    case JobAction::Promote:
        return unsupported(QStringLiteral("RQ's scheduler (rq worker --with-scheduler) enqueues "
                                          "scheduled jobs itself"));
    case JobAction::Pause:
    case JobAction::Resume:
        return unsupported(QStringLiteral("RQ has no per-queue pause: `rq suspend` stops every "
                                          "worker of the server"));
    case JobAction::Restore:
        return unsupported(QStringLiteral("RQ moves the jobs of dead workers to failed itself"));
    }
    return {};
}

ActionSupport sidekiq(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return supported(QStringLiteral("Retry now"), QStringLiteral("sidekiq-move"),
                         {{QStringLiteral("retries"), "retry"}, {QStringLiteral("dead"), "dead"}},
                         Selection::IdsOrAll, Feed::SidekiqMembers);
    case JobAction::Promote:
        return supported(QStringLiteral("Add to queue"), QStringLiteral("sidekiq-move"),
                         {{QStringLiteral("scheduled"), "schedule"}}, Selection::IdsOrAll,
                         Feed::SidekiqMembers);
    case JobAction::Remove:
        return supported(QStringLiteral("Delete"), QStringLiteral("sidekiq-delete"),
                         {{QStringLiteral("retries"), "retry"},
                          {QStringLiteral("dead"), "dead"},
                          {QStringLiteral("scheduled"), "schedule"},
                          {QStringLiteral("enqueued"), "queue"}},
                         Selection::Ids, Feed::SidekiqMembers, true);
    case JobAction::Clean:
        return supported(QStringLiteral("Clear"), QStringLiteral("sidekiq-clear"),
                         {{QStringLiteral("retries"), "retry"},
                          {QStringLiteral("dead"), "dead"},
                          {QStringLiteral("scheduled"), "schedule"}},
                         Selection::All, Feed::None, true);
    case JobAction::Drain:
        return supported(QStringLiteral("Clear"), QStringLiteral("sidekiq-clear"),
                         {{QStringLiteral("enqueued"), "queue"}}, Selection::Queue, Feed::None,
                         true);
    case JobAction::Pause:
    case JobAction::Resume:
        return unsupported(QStringLiteral("pausing a queue needs Sidekiq Pro; Sidekiq OSS has "
                                          "no pause"));
    case JobAction::Restore:
        return unsupported(QStringLiteral("Sidekiq OSS keeps in-progress jobs only in memory: "
                                          "there is nothing in Redis to put back"));
    }
    return {};
}

ActionSupport celery(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return supported(QStringLiteral("Re-run"), QStringLiteral("celery-rerun"),
                         {{QStringLiteral("failure"), "failure"}}, Selection::Ids,
                         Feed::CeleryResults);
    case JobAction::Drain:
        return supported(QStringLiteral("Purge"), QStringLiteral("celery-purge"), {},
                         Selection::Queue, Feed::None, true);
    case JobAction::Restore:
        return supported(QStringLiteral("Restore unacked"), QStringLiteral("celery-restore"),
                         {{QStringLiteral("reserved"), "unacked"}}, Selection::IdsOrAll,
                         Feed::CeleryUnacked);
    case JobAction::Promote:
        return unsupported(QStringLiteral("Celery holds ETA/countdown tasks in the worker's "
                                          "memory (unacked), not in a delayed set"));
    case JobAction::Remove:
        return unsupported(QStringLiteral("Celery messages have no stable id in Redis lists; "
                                          "revoke the task with `celery control revoke`"));
    case JobAction::Clean:
        return unsupported(QStringLiteral("Celery results expire by themselves "
                                          "(result_expires)"));
    case JobAction::Pause:
    case JobAction::Resume:
        return unsupported(QStringLiteral("Celery has no pause in Redis: use `celery control "
                                          "cancel_consumer`"));
    }
    return {};
}

} // namespace

bool ActionSupport::actsOn(const QString &state) const
{
    for (const auto &entry : states) {
        if (entry.first == state)
            return true;
    }
    return false;
}

QByteArray ActionSupport::scriptState(const QString &state) const
{
    for (const auto &entry : states) {
        if (entry.first == state)
            return entry.second;
    }
    return {};
}

ActionSupport actionSupport(Framework framework, JobAction action)
{
    switch (framework) {
    case Framework::BullMQ:
        return bullFamily(action, true);
    case Framework::Bull:
        return bullFamily(action, false);
    case Framework::RQ:
        return rq(action);
    case Framework::Sidekiq:
        return sidekiq(action);
    case Framework::Celery:
        return celery(action);
    }
    return {};
}

QList<JobAction> supportedActions(Framework framework)
{
    QList<JobAction> actions;
    for (JobAction action :
         {JobAction::Retry, JobAction::Promote, JobAction::Remove, JobAction::Clean,
          JobAction::Pause, JobAction::Resume, JobAction::Drain, JobAction::Restore}) {
        if (actionSupport(framework, action).supported)
            actions.append(action);
    }
    return actions;
}

} // namespace qs::jobs
