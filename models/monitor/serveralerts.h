#pragma once

#include "healthreport.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace qs::monitor {

// What one watched server looks like now, for the alerts.
struct ServerState
{
    QString name;
    bool reachable = false;
    std::optional<HealthReport::Status> health; // nullopt until a poll succeeded
    QString detail;                             // the connection error, or the health reasons
};

// A desktop notification worth showing.
struct ServerNotification
{
    enum class Level { Info, Warning, Critical };
    Level level = Level::Info;
    QString title;
    QString message;
};

// Turns a stream of server states into notifications on transitions only: a server lost,
// recovered, turning degraded or unhealthy, and healthy again. Never one per poll.
class ServerAlerts
{
public:
    QList<ServerNotification> update(const ServerState &state);
    void forget(const QString &name);
    // The worst of every server's current state (for the tray icon's colour).
    ServerNotification::Level overall() const;
    QList<ServerState> states() const { return m_states.values(); }

private:
    QHash<QString, ServerState> m_states;
};

} // namespace qs::monitor
