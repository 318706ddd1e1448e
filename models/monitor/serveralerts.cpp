#include "serveralerts.h"

#include <QObject>

namespace qs::monitor {

namespace {

using Level = ServerNotification::Level;
using Status = HealthReport::Status;

Level levelOf(const ServerState &state)
{
    if (!state.reachable)
        return Level::Critical;
    if (state.health == Status::Unhealthy)
        return Level::Critical;
    if (state.health == Status::Degraded)
        return Level::Warning;
    return Level::Info;
}

} // namespace

QList<ServerNotification> ServerAlerts::update(const ServerState &state)
{
    QList<ServerNotification> out;
    const auto previous = m_states.constFind(state.name);
    const bool known = previous != m_states.constEnd();
    if (!state.reachable && (!known || previous->reachable))
        out.append({Level::Critical, QObject::tr("%1: server lost").arg(state.name), state.detail});
    if (state.reachable && known && !previous->reachable)
        out.append({Level::Info, QObject::tr("%1: connected again").arg(state.name), QString()});
    if (state.reachable && state.health && *state.health != Status::Healthy &&
        (!known || previous->health.value_or(Status::Healthy) != *state.health)) {
        out.append({*state.health == Status::Unhealthy ? Level::Critical : Level::Warning,
                    QObject::tr("%1: %2").arg(state.name, statusName(*state.health)),
                    state.detail});
    }
    if (state.reachable && state.health == Status::Healthy && known && previous->health &&
        *previous->health != Status::Healthy)
        out.append({Level::Info, QObject::tr("%1: healthy again").arg(state.name), QString()});
    ServerState stored = state;
    if (!state.reachable && known)
        stored.health = previous->health; // keep the last verdict while it is unreachable
    m_states.insert(state.name, stored);
    return out;
}

void ServerAlerts::forget(const QString &name)
{
    m_states.remove(name);
}

ServerNotification::Level ServerAlerts::overall() const
{
    Level worst = Level::Info;
    for (const ServerState &state : m_states)
        worst = qMax(worst, levelOf(state));
    return worst;
}

} // namespace qs::monitor
