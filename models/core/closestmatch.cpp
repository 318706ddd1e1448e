#include "closestmatch.h"

#include <QList>

#include <algorithm>

namespace qs::core {

int editDistance(QStringView a, QStringView b)
{
    const qsizetype n = b.size();
    // Three rows of the dynamic-programming table: two back for the transposition.
    QList<int> before(n + 1), previous(n + 1), current(n + 1);
    for (qsizetype j = 0; j <= n; ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= n; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[n];
}

QString closestMatch(const QString &typed, const QStringList &candidates)
{
    if (typed.isEmpty() || candidates.contains(typed))
        return {};
    const int allowed = std::clamp(int(typed.size() / 3), 1, 3);
    QString best;
    int bestDistance = allowed + 1;
    for (const QString &candidate : candidates) {
        const int distance = editDistance(typed, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace qs::core
