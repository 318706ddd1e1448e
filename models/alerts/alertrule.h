#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace qs::alerts {

enum class Severity { Warning, Critical };
QString severityName(Severity severity); // "warning", "critical"

// How a rule compares its value with a threshold: the rules file says "above": 80, "atLeast":
// 100, "below": 1, "atMost": 0 or "equals": 1.
enum class Comparison { Above, AtLeast, Below, AtMost, Equals };
QString comparisonKey(Comparison comparison); // the rules file's key: "above", "atLeast", ...
bool compare(Comparison comparison, double value, double threshold);

// One alert rule, as the rules file writes it once defaults, profile and queue overrides are
// merged (AlertRules). A condition over the series that match `series` ("server.memoryPercent",
// "queue.*.waiting": '*' matches any text), on the value itself or on its change over `changeMs`;
// it fires after holding for `forMs` and resolves once the value no longer passes the
// `resolveThreshold` (hysteresis) for `clearMs`. Optionally only `while` another series of the
// same queue passes its own test (no consumer: workers equal 0 while waiting is above 0).
struct AlertRule
{
    struct Guard
    {
        QString series; // '*' stands for what the rule's own '*' matched
        Comparison comparison = Comparison::Above;
        double threshold = 0;
    };

    QString id;
    bool enabled = true;
    QString series;
    std::optional<qint64> changeMs; // set: the value is the change over this window
    Comparison comparison = Comparison::Above;
    double threshold = 0;
    double resolveThreshold = 0; // stays fired while compare(value, resolveThreshold)
    qint64 forMs = 0;
    qint64 clearMs = 60'000;
    Severity severity = Severity::Warning;
    int maxFiredPerHour = 4; // more: one "flapping" event, then silence until it settles
    std::optional<Guard> guard;
    QString message; // optional text; {value} {threshold} {queue} {series} {server} replaced

    // A rule from its merged JSON object; `origin` names it in errors ("alerts.json, rule 3").
    static core::Result<AlertRule> fromJson(const QJsonObject &object, const QString &origin);
    // What the rule says in words: "above 80 for 5m", "change over 5m at least 100".
    QString conditionText() const;
};

// A duration as a rules file writes it: "5m", "90s", "1h" (as `clean --older-than` reads ages)
// or a number of seconds; nullopt when malformed, negative or over a year. And back: "5m".
std::optional<qint64> durationFromJson(const QJsonValue &value);
QString formatDuration(qint64 ms);

} // namespace qs::alerts
