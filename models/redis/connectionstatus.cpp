#include "connectionstatus.h"

namespace qs::redis {

QString stateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return QStringLiteral("disconnected");
    case ConnectionState::Connecting:
        return QStringLiteral("connecting");
    case ConnectionState::Connected:
        return QStringLiteral("connected");
    case ConnectionState::Reconnecting:
        return QStringLiteral("reconnecting");
    case ConnectionState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString ConnectionStatus::describe() const
{
    switch (state) {
    case ConnectionState::Reconnecting: {
        const double seconds = reconnectInMs / 1000.0;
        return QStringLiteral("reconnecting in %1 s: %2")
            .arg(QString::number(seconds, 'f', seconds < 1 ? 2 : 1), error.message);
    }
    case ConnectionState::Failed:
        return QStringLiteral("failed: %1").arg(error.message);
    default:
        return stateName(state);
    }
}

} // namespace qs::redis
