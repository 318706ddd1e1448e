#include "actionsummary.h"

#include <QMap>
#include <QStringList>

#include <algorithm>

namespace qs::jobs {

void ActionSummary::addDoneAs(const QList<QPair<QString, qint64>> &counts)
{
    for (const auto &count : counts) {
        auto known = std::find_if(doneAs.begin(), doneAs.end(), [&count](const auto &entry) {
            return entry.first == count.first;
        });
        if (known == doneAs.end())
            doneAs.append(count);
        else
            known->second += count.second;
    }
}

QString ActionSummary::describe() const
{
    QStringList became;
    for (const auto &entry : doneAs)
        became << QStringLiteral("%1: %2").arg(entry.first, QString::number(entry.second));
    QString text =
        QStringLiteral("%1: %2 done%3, %4 skipped in %5 call(s), %6 ms")
            .arg(actionName(request.action))
            .arg(done)
            .arg(became.isEmpty() ? QString()
                                  : QStringLiteral(" (%1)").arg(became.join(QStringLiteral("; "))))
            .arg(skipped)
            .arg(calls)
            .arg(elapsedMs);
    if (!skippedReasons.isEmpty()) {
        QMap<QString, int> reasons;
        for (const auto &entry : skippedReasons)
            reasons[entry.second] += 1;
        QStringList parts;
        for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
            parts << QStringLiteral("%1: %2").arg(it.key(), QString::number(it.value()));
        text += QStringLiteral(" (") + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    if (resentCalls > 0)
        text += QStringLiteral("; %1 call(s) re-sent after a lost reply (safe: scripts check "
                               "ownership; jobs moved by a call whose reply was lost are not "
                               "counted, or count as skipped)")
                    .arg(resentCalls);
    if (cancelled)
        text += QStringLiteral("; cancelled");
    if (!error.isEmpty())
        text += QStringLiteral("; stopped: ") + error;
    return text;
}

} // namespace qs::jobs
