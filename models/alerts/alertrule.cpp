#include "alerts/alertrule.h"

#include "queues/actionrequest.h"

#include <QCoreApplication>
#include <QSet>

#include <array>
#include <cmath>

namespace qs::alerts {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(AlertRule)
};

constexpr std::array kComparisons{Comparison::Above, Comparison::AtLeast, Comparison::Below,
                                  Comparison::AtMost, Comparison::Equals};

// Keys the rules file may use; anything else is a typo worth a message ("abvoe").
const QSet<QString> &knownKeys()
{
    static const QSet<QString> keys{QStringLiteral("id"),       QStringLiteral("enabled"),
                                    QStringLiteral("series"),   QStringLiteral("change"),
                                    QStringLiteral("above"),    QStringLiteral("atLeast"),
                                    QStringLiteral("below"),    QStringLiteral("atMost"),
                                    QStringLiteral("equals"),   QStringLiteral("resolve"),
                                    QStringLiteral("for"),      QStringLiteral("clear"),
                                    QStringLiteral("severity"), QStringLiteral("maxFiredPerHour"),
                                    QStringLiteral("while"),    QStringLiteral("message"),
                                    QStringLiteral("queue"),    QStringLiteral("comment")};
    return keys;
}

} // namespace

std::optional<qint64> durationFromJson(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double seconds = value.toDouble();
        if (!std::isfinite(seconds) || seconds < 0 || seconds > 366.0 * 86'400)
            return std::nullopt;
        return qint64(seconds * 1000);
    }
    if (!value.isString())
        return std::nullopt;
    const std::optional<qint64> ms = jobs::parseAgeMs(value.toString());
    if (!ms || *ms > 366LL * 86'400'000)
        return std::nullopt;
    return ms;
}

namespace {

// The one comparison key an object holds ("above": 80), or an error.
core::Result<std::pair<Comparison, double>> comparisonOf(const QJsonObject &object,
                                                         const QString &origin)
{
    std::optional<std::pair<Comparison, double>> found;
    for (Comparison comparison : kComparisons) {
        const QJsonValue value = object.value(comparisonKey(comparison));
        if (value.isUndefined())
            continue;
        if (found)
            return core::Result<std::pair<Comparison, double>>::failure(
                Tr::tr("%1: give one of above, atLeast, below, atMost, equals, not several")
                    .arg(origin));
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return core::Result<std::pair<Comparison, double>>::failure(
                Tr::tr("%1: '%2' must be a number").arg(origin, comparisonKey(comparison)));
        found = std::pair{comparison, value.toDouble()};
    }
    if (!found)
        return core::Result<std::pair<Comparison, double>>::failure(
            Tr::tr("%1: no threshold: add one of above, atLeast, below, atMost, equals")
                .arg(origin));
    return core::Result<std::pair<Comparison, double>>::success(*found);
}

} // namespace

QString severityName(Severity severity)
{
    return severity == Severity::Critical ? QStringLiteral("critical") : QStringLiteral("warning");
}

QString comparisonKey(Comparison comparison)
{
    switch (comparison) {
    case Comparison::Above:
        return QStringLiteral("above");
    case Comparison::AtLeast:
        return QStringLiteral("atLeast");
    case Comparison::Below:
        return QStringLiteral("below");
    case Comparison::AtMost:
        return QStringLiteral("atMost");
    case Comparison::Equals:
        return QStringLiteral("equals");
    }
    return {};
}

bool compare(Comparison comparison, double value, double threshold)
{
    switch (comparison) {
    case Comparison::Above:
        return value > threshold;
    case Comparison::AtLeast:
        return value >= threshold;
    case Comparison::Below:
        return value < threshold;
    case Comparison::AtMost:
        return value <= threshold;
    case Comparison::Equals:
        return value == threshold;
    }
    return false;
}

QString formatDuration(qint64 ms)
{
    if (ms % 86'400'000 == 0 && ms > 0)
        return QStringLiteral("%1d").arg(ms / 86'400'000);
    if (ms % 3'600'000 == 0 && ms > 0)
        return QStringLiteral("%1h").arg(ms / 3'600'000);
    if (ms % 60'000 == 0 && ms > 0)
        return QStringLiteral("%1m").arg(ms / 60'000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

core::Result<AlertRule> AlertRule::fromJson(const QJsonObject &object, const QString &origin)
{
    using R = core::Result<AlertRule>;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!knownKeys().contains(it.key()))
            return R::failure(Tr::tr("%1: unknown key '%2'").arg(origin, it.key()));
    }
    AlertRule rule;
    rule.id = object.value(QStringLiteral("id")).toString();
    if (rule.id.isEmpty())
        return R::failure(Tr::tr("%1: a rule needs an \"id\"").arg(origin));
    const QString where = QStringLiteral("%1 (%2)").arg(origin, rule.id);
    const QJsonValue enabled = object.value(QStringLiteral("enabled"));
    if (!enabled.isUndefined() && !enabled.isBool())
        return R::failure(Tr::tr("%1: 'enabled' must be true or false").arg(where));
    rule.enabled = enabled.toBool(true);
    rule.series = object.value(QStringLiteral("series")).toString();
    if (rule.series.isEmpty())
        return R::failure(
            Tr::tr("%1: a rule needs a \"series\" such as \"queue.*.waiting\"").arg(where));
    const auto comparison = comparisonOf(object, where);
    if (!comparison)
        return R::failure(comparison.error());
    rule.comparison = comparison->first;
    rule.threshold = comparison->second;
    rule.resolveThreshold = rule.threshold;
    const QJsonValue resolve = object.value(QStringLiteral("resolve"));
    if (!resolve.isUndefined()) {
        if (!resolve.isDouble() || !std::isfinite(resolve.toDouble()))
            return R::failure(Tr::tr("%1: 'resolve' must be a number").arg(where));
        rule.resolveThreshold = resolve.toDouble();
    }
    const auto readDuration = [&](const QString &key, qint64 &out) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return true;
        const std::optional<qint64> ms = durationFromJson(value);
        if (ms)
            out = *ms;
        return ms.has_value();
    };
    qint64 change = 0;
    for (const QString &key :
         {QStringLiteral("for"), QStringLiteral("clear"), QStringLiteral("change")}) {
        qint64 &target = key == QLatin1String("for")     ? rule.forMs
                         : key == QLatin1String("clear") ? rule.clearMs
                                                         : change;
        if (!readDuration(key, target))
            return R::failure(Tr::tr("%1: '%2' must be a duration such as \"5m\", \"90s\" or "
                                     "\"1h\"")
                                  .arg(where, key));
    }
    if (object.contains(QStringLiteral("change"))) {
        if (change <= 0)
            return R::failure(Tr::tr("%1: 'change' must be a window longer than 0").arg(where));
        rule.changeMs = change;
    }
    const QString severity =
        object.value(QStringLiteral("severity")).toString(QStringLiteral("warning"));
    if (severity == QLatin1String("critical"))
        rule.severity = Severity::Critical;
    else if (severity != QLatin1String("warning"))
        return R::failure(Tr::tr("%1: 'severity' is \"warning\" or \"critical\"").arg(where));
    const QJsonValue maxFired = object.value(QStringLiteral("maxFiredPerHour"));
    if (!maxFired.isUndefined()) {
        if (!maxFired.isDouble() || maxFired.toDouble() < 1 || maxFired.toDouble() > 3600)
            return R::failure(
                Tr::tr("%1: 'maxFiredPerHour' is a number from 1 to 3600").arg(where));
        rule.maxFiredPerHour = maxFired.toInt();
    }
    const QJsonValue guard = object.value(QStringLiteral("while"));
    if (!guard.isUndefined()) {
        const QJsonObject guardObject = guard.toObject();
        const QString guardSeries = guardObject.value(QStringLiteral("series")).toString();
        if (!guard.isObject() || guardSeries.isEmpty())
            return R::failure(
                Tr::tr("%1: 'while' is an object such as {\"series\": \"queue.*.waiting\", "
                       "\"above\": 0}")
                    .arg(where));
        const auto guardComparison = comparisonOf(guardObject, where + QStringLiteral(" while"));
        if (!guardComparison)
            return R::failure(guardComparison.error());
        rule.guard = Guard{guardSeries, guardComparison->first, guardComparison->second};
    }
    rule.message = object.value(QStringLiteral("message")).toString();
    return R::success(rule);
}

QString AlertRule::conditionText() const
{
    static const auto words = [](Comparison comparison) {
        switch (comparison) {
        case Comparison::Above:
            return Tr::tr("above");
        case Comparison::AtLeast:
            return Tr::tr("at least");
        case Comparison::Below:
            return Tr::tr("below");
        case Comparison::AtMost:
            return Tr::tr("at most");
        case Comparison::Equals:
            return Tr::tr("equal to");
        }
        return QString();
    };
    QString text = changeMs ? Tr::tr("change over %1 %2 %3")
                                  .arg(formatDuration(*changeMs), words(comparison))
                                  .arg(threshold)
                            : Tr::tr("%1 %2").arg(words(comparison)).arg(threshold);
    if (forMs > 0)
        text += Tr::tr(" for %1").arg(formatDuration(forMs));
    return text;
}

} // namespace qs::alerts
