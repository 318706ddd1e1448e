#include "bullactions.h"

namespace qs::jobs {

ActionSupport bullFamilyActionSupport(JobAction action, bool bullmq)
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
    case JobAction::Retry: {
        ActionSupport retry = ActionSupport::supportedBy(
            QStringLiteral("Retry"), p + QStringLiteral("retry"),
            {{QStringLiteral("failed"), "failed"}}, Selection::IdsOrAll, Feed::Ids, false, true);
        retry.offersResetAttempts = true;
        return retry;
    }
    case JobAction::Promote:
        return ActionSupport::supportedBy(QStringLiteral("Promote"), p + QStringLiteral("promote"),
                                          {{QStringLiteral("delayed"), "delayed"}},
                                          Selection::IdsOrAll, Feed::Ids);
    case JobAction::Remove:
        return ActionSupport::supportedBy(QStringLiteral("Remove"), p + QStringLiteral("remove"),
                                          {}, Selection::Ids, Feed::Ids, true);
    case JobAction::Clean:
        return ActionSupport::supportedBy(QStringLiteral("Clean"), p + QStringLiteral("clean"),
                                          cleanable, Selection::All, Feed::Cursor, true, true);
    case JobAction::Pause:
        return ActionSupport::supportedBy(QStringLiteral("Pause"), p + QStringLiteral("pause"), {},
                                          Selection::Queue, Feed::None);
    case JobAction::Resume:
        return ActionSupport::supportedBy(QStringLiteral("Resume"), p + QStringLiteral("resume"),
                                          {}, Selection::Queue, Feed::None);
    case JobAction::Drain: {
        ActionSupport drain =
            ActionSupport::supportedBy(QStringLiteral("Drain"), p + QStringLiteral("drain"), {},
                                       Selection::Queue, Feed::None, true);
        drain.offersDelayed = true;
        return drain;
    }
    case JobAction::Restore:
        return ActionSupport::unsupported(
            QStringLiteral("only Celery keeps unacknowledged deliveries to put "
                           "back; BullMQ and Bull recover stalled jobs themselves"));
    }
    return {};
}

} // namespace qs::jobs
