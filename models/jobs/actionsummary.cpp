#include "actionsummary.h"

#include <QMap>
#include <QStringList>

namespace qs::jobs {

QString ActionSummary::describe() const
{
    QString text = QStringLiteral("%1: %2 done, %3 skipped in %4 call(s), %5 ms")
                       .arg(actionName(request.action))
                       .arg(done)
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
