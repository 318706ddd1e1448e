#include "rqactions.h"

namespace qs::jobs {

ActionSupport rqActionSupport(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return ActionSupport::supportedBy(QStringLiteral("Requeue"), QStringLiteral("rq-requeue"),
                                          {{QStringLiteral("failed"), "failed"}},
                                          Selection::IdsOrAll, Feed::Ids);
    case JobAction::Remove:
        return ActionSupport::supportedBy(QStringLiteral("Delete"), QStringLiteral("rq-remove"), {},
                                          Selection::Ids, Feed::Ids, true);
    case JobAction::Clean:
        return ActionSupport::supportedBy(QStringLiteral("Clean"), QStringLiteral("rq-clean"),
                                          {{QStringLiteral("finished"), "finished"},
                                           {QStringLiteral("failed"), "failed"},
                                           {QStringLiteral("canceled"), "canceled"}},
                                          Selection::All, Feed::Cursor, true, true);
    case JobAction::Drain:
        return ActionSupport::supportedBy(QStringLiteral("Empty"), QStringLiteral("rq-empty"), {},
                                          Selection::Queue, Feed::None, true);
    case JobAction::Promote:
        return ActionSupport::unsupported(
            QStringLiteral("RQ's scheduler (rq worker --with-scheduler) enqueues "
                           "scheduled jobs itself"));
    case JobAction::Pause:
    case JobAction::Resume:
        return ActionSupport::unsupported(
            QStringLiteral("RQ has no per-queue pause: `rq suspend` stops every "
                           "worker of the server"));
    case JobAction::Restore: // what StartedJobRegistry.cleanup does, for dead workers' jobs only
        return ActionSupport::supportedBy(
            QStringLiteral("Move to failed"), QStringLiteral("rq-fail-abandoned"),
            {{QStringLiteral("started"), "started"}}, Selection::IdsOrAll, Feed::Ids);
    }
    return {};
}

} // namespace qs::jobs
