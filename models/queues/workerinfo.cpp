#include "workerinfo.h"

namespace qs::queues {

QString workerStateName(WorkerState state)
{
    switch (state) {
    case WorkerState::Busy:
        return QStringLiteral("busy");
    case WorkerState::Idle:
        return QStringLiteral("idle");
    case WorkerState::Quiet:
        return QStringLiteral("quiet");
    case WorkerState::Suspended:
        return QStringLiteral("suspended");
    case WorkerState::Offline:
        return QStringLiteral("offline");
    case WorkerState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace qs::queues
