#include "actionrequest.h"

namespace qs::jobs {

namespace {

constexpr JobAction allActions[] = {JobAction::Retry, JobAction::Promote, JobAction::Remove,
                                    JobAction::Clean, JobAction::Pause,   JobAction::Resume,
                                    JobAction::Drain, JobAction::Restore};

} // namespace

QString actionName(JobAction action)
{
    switch (action) {
    case JobAction::Retry:
        return QStringLiteral("retry");
    case JobAction::Promote:
        return QStringLiteral("promote");
    case JobAction::Remove:
        return QStringLiteral("remove");
    case JobAction::Clean:
        return QStringLiteral("clean");
    case JobAction::Pause:
        return QStringLiteral("pause");
    case JobAction::Resume:
        return QStringLiteral("resume");
    case JobAction::Drain:
        return QStringLiteral("drain");
    case JobAction::Restore:
        return QStringLiteral("restore");
    }
    return {};
}

std::optional<JobAction> actionFromName(const QString &name)
{
    for (JobAction action : allActions) {
        if (actionName(action) == name)
            return action;
    }
    return std::nullopt;
}

} // namespace qs::jobs
