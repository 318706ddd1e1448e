#include "actionrequest.h"

#include "core/checkedint64.h"

#include <QRegularExpression>

namespace qs::jobs {

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

std::optional<qint64> parseAgeMs(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)?$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const double value = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double factor = 1000;
    if (unit == QLatin1String("ms"))
        factor = 1;
    else if (unit == QLatin1String("m"))
        factor = 60'000;
    else if (unit == QLatin1String("h"))
        factor = 3'600'000;
    else if (unit == QLatin1String("d"))
        factor = 86'400'000;
    else if (unit == QLatin1String("w"))
        factor = 604'800'000;
    // "99999999999999999999d" is no age: refused, not cast (undefined behaviour).
    const std::optional<qint64> ms = core::checkedInt64(value * factor);
    if (!ms)
        return std::nullopt;
    return ms;
}

} // namespace qs::jobs
