#include "sidekiqactions.h"

namespace qs::jobs {

ActionSupport sidekiqActionSupport(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return ActionSupport::supportedBy(
            QStringLiteral("Retry now"), QStringLiteral("sidekiq-move"),
            {{QStringLiteral("retries"), "retry"}, {QStringLiteral("dead"), "dead"}},
            Selection::IdsOrAll, Feed::Prepared);
    case JobAction::Promote:
        return ActionSupport::supportedBy(
            QStringLiteral("Add to queue"), QStringLiteral("sidekiq-move"),
            {{QStringLiteral("scheduled"), "schedule"}}, Selection::IdsOrAll, Feed::Prepared);
    case JobAction::Remove:
        return ActionSupport::supportedBy(QStringLiteral("Delete"),
                                          QStringLiteral("sidekiq-delete"),
                                          {{QStringLiteral("retries"), "retry"},
                                           {QStringLiteral("dead"), "dead"},
                                           {QStringLiteral("scheduled"), "schedule"},
                                           {QStringLiteral("enqueued"), "queue"}},
                                          Selection::Ids, Feed::Prepared, true);
    case JobAction::Clean:
        return ActionSupport::supportedBy(QStringLiteral("Clear"), QStringLiteral("sidekiq-clear"),
                                          {{QStringLiteral("retries"), "retry"},
                                           {QStringLiteral("dead"), "dead"},
                                           {QStringLiteral("scheduled"), "schedule"}},
                                          Selection::All, Feed::None, true);
    case JobAction::Drain:
        return ActionSupport::supportedBy(QStringLiteral("Clear"), QStringLiteral("sidekiq-clear"),
                                          {{QStringLiteral("enqueued"), "queue"}}, Selection::Queue,
                                          Feed::None, true);
    case JobAction::Pause:
    case JobAction::Resume:
        return ActionSupport::unsupported(
            QStringLiteral("pausing a queue needs Sidekiq Pro; Sidekiq OSS has "
                           "no pause"));
    case JobAction::Restore:
        return ActionSupport::unsupported(
            QStringLiteral("Sidekiq OSS keeps in-progress jobs only in memory: "
                           "there is nothing in Redis to put back"));
    }
    return {};
}

} // namespace qs::jobs
