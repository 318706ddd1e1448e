#include "celeryactions.h"

namespace qs::jobs {

ActionSupport celeryActionSupport(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return ActionSupport::supportedBy(QStringLiteral("Re-run"), QStringLiteral("celery-rerun"),
                                          {{QStringLiteral("failure"), "failure"}}, Selection::Ids,
                                          Feed::Prepared);
    case JobAction::Drain:
        return ActionSupport::supportedBy(QStringLiteral("Purge"), QStringLiteral("celery-purge"),
                                          {}, Selection::Queue, Feed::None, true);
    case JobAction::Restore:
        return ActionSupport::supportedBy(
            QStringLiteral("Restore unacked"), QStringLiteral("celery-restore"),
            {{QStringLiteral("reserved"), "unacked"}}, Selection::IdsOrAll, Feed::Prepared);
    case JobAction::Promote:
        return ActionSupport::unsupported(
            QStringLiteral("Celery holds ETA/countdown tasks in the worker's "
                           "memory (unacked), not in a delayed set"));
    case JobAction::Remove:
        return ActionSupport::unsupported(
            QStringLiteral("Celery messages have no stable id in Redis lists; "
                           "revoke the task with `celery control revoke`"));
    case JobAction::Clean:
        return ActionSupport::unsupported(QStringLiteral("Celery results expire by themselves "
                                                         "(result_expires)"));
    case JobAction::Pause:
    case JobAction::Resume:
        return ActionSupport::unsupported(
            QStringLiteral("Celery has no pause in Redis: use `celery control "
                           "cancel_consumer`"));
    }
    return {};
}

} // namespace qs::jobs
