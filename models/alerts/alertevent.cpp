#include "alerts/alertevent.h"

#include <QDateTime>
#include <QRegularExpression>

#include <cmath>

namespace qs::alerts {

Q_LOGGING_CATEGORY(lcAlerts, "queuescope.alerts", QtInfoMsg)

namespace {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 msOf(const QJsonValue &value)
{
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

} // namespace

QString stateName(AlertState state)
{
    switch (state) {
    case AlertState::Fired:
        return QStringLiteral("fired");
    case AlertState::Resolved:
        return QStringLiteral("resolved");
    case AlertState::Flapping:
        return QStringLiteral("flapping");
    }
    return {};
}

std::optional<AlertState> stateFromName(const QString &name)
{
    for (AlertState state : {AlertState::Fired, AlertState::Resolved, AlertState::Flapping}) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QString AlertEvent::formatValue(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("?");
    const double rounded = std::round(value * 100) / 100;
    return QString::number(rounded, 'f', 2).remove(QRegularExpression(QStringLiteral("\\.?0+$")));
}

QJsonObject AlertEvent::toJson() const
{
    return {{QStringLiteral("rule"), rule},
            {QStringLiteral("severity"), severityName(severity)},
            {QStringLiteral("state"), stateName(state)},
            {QStringLiteral("server"), server},
            {QStringLiteral("queue"), queue.isEmpty() ? QJsonValue() : QJsonValue(queue)},
            {QStringLiteral("series"), series},
            {QStringLiteral("value"), std::isfinite(value) ? QJsonValue(value) : QJsonValue()},
            {QStringLiteral("threshold"), threshold},
            {QStringLiteral("condition"), condition},
            {QStringLiteral("since"), isoTime(sinceMs)},
            {QStringLiteral("at"), isoTime(atMs)},
            {QStringLiteral("message"), message}};
}

std::optional<AlertEvent> AlertEvent::fromJson(const QJsonObject &object)
{
    const std::optional<AlertState> state =
        stateFromName(object.value(QStringLiteral("state")).toString());
    if (!state)
        return std::nullopt;
    AlertEvent event;
    event.rule = object.value(QStringLiteral("rule")).toString();
    event.severity =
        object.value(QStringLiteral("severity")).toString() == QLatin1String("critical")
            ? Severity::Critical
            : Severity::Warning;
    event.state = *state;
    event.server = object.value(QStringLiteral("server")).toString();
    event.queue = object.value(QStringLiteral("queue")).toString();
    event.series = object.value(QStringLiteral("series")).toString();
    event.value = object.value(QStringLiteral("value")).toDouble(qQNaN());
    event.threshold = object.value(QStringLiteral("threshold")).toDouble();
    event.condition = object.value(QStringLiteral("condition")).toString();
    event.sinceMs = msOf(object.value(QStringLiteral("since")));
    event.atMs = msOf(object.value(QStringLiteral("at")));
    event.message = object.value(QStringLiteral("message")).toString();
    return event;
}

} // namespace qs::alerts
