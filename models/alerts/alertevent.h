#pragma once

#include "alerts/alertrule.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QMetaType>
#include <QString>

#include <optional>

namespace qs::alerts {

Q_DECLARE_LOGGING_CATEGORY(lcAlerts)

// fired: the condition held long enough; resolved: it has cleared; flapping: it fired more often
// than its rule allows within an hour, so fired/resolved are held back until it settles.
enum class AlertState { Fired, Resolved, Flapping };
QString stateName(AlertState state); // "fired", "resolved", "flapping"
std::optional<AlertState> stateFromName(const QString &name);

// One thing worth telling someone: what the notifier receives on stdin and what the Alerts page
// and `queuescope alerts` list. Never holds a secret: `server` is the profile's name or its URL
// without the password.
struct AlertEvent
{
    QString rule;
    Severity severity = Severity::Warning;
    AlertState state = AlertState::Fired;
    QString server;
    QString queue;  // "bullmq/bull/emails"; empty for a server rule
    QString series; // "queue.bullmq/bull/emails.waiting"
    double value = 0;
    double threshold = 0;
    QString condition;  // "above 80 for 5m"
    qint64 sinceMs = 0; // fired: when the condition began; resolved: when it had fired
    qint64 atMs = 0;    // when this event happened
    QString message;

    // The documented JSON (docs/alerts.md): rule, severity, state, server, queue (null for a
    // server rule), series, value, threshold, condition, since, at (ISO 8601 UTC), message.
    QJsonObject toJson() const;
    static std::optional<AlertEvent> fromJson(const QJsonObject &object);
    // "83.5", "120", "0.25": values as people read them.
    static QString formatValue(double value);

    bool operator==(const AlertEvent &) const = default;
};

} // namespace qs::alerts

Q_DECLARE_METATYPE(qs::alerts::AlertEvent)
