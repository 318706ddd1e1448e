#pragma once

#include <QString>
#include <QStringList>

namespace qs::core {

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: the optimal
// string alignment distance, so "emial" is 1 from "email" as a typist sees it.
int editDistance(QStringView a, QStringView b);

// The candidate `typed` most likely is a typo of, for "did you mean ...?": the nearest one
// within a third of the typed length (at least 1, at most 3 edits); empty when none is that
// close or `typed` is itself a candidate. Ties go to the earlier candidate.
QString closestMatch(const QString &typed, const QStringList &candidates);

} // namespace qs::core
