#pragma once

#include <QHash>
#include <QList>
#include <QSet>

#include <type_traits>

namespace qs::core {

// Merges a fresh reading into a model's rows by key, telling the model what changed so that views
// keep their selection, scroll position and persistent indexes: rows whose key is gone are
// removed (one contiguous block at a time, from the bottom up), rows that stay are updated in
// place (keeping their position, so a proxy's sort does not jump; contiguous changes reported as
// one range), new keys are appended in incoming order. A key that appears twice in `incoming`
// keeps its last row. `keyOf(row)` returns a hashable key. `notify` is the model's side:
//   beginRemove(first, last), endRemove(), changed(first, last), beginInsert(first, last),
//   endInsert()
// with row numbers in `rows` (flat tables pass their root, trees the parent of `rows`).
template <typename Row, typename KeyOf, typename Notify>
void mergeRows(QList<Row> &rows, const QList<Row> &incoming, KeyOf keyOf, Notify &&notify)
{
    using Key = std::decay_t<std::invoke_result_t<KeyOf &, const Row &>>;
    QHash<Key, qsizetype> position;
    position.reserve(incoming.size());
    for (qsizetype i = 0; i < incoming.size(); ++i)
        position.insert(keyOf(incoming.at(i)), i);

    for (qsizetype row = rows.size() - 1; row >= 0; --row) {
        if (position.contains(keyOf(rows.at(row))))
            continue;
        const qsizetype last = row;
        while (row > 0 && !position.contains(keyOf(rows.at(row - 1))))
            --row;
        notify.beginRemove(int(row), int(last));
        rows.remove(row, last - row + 1);
        notify.endRemove();
    }

    QSet<Key> present;
    qsizetype changedFirst = -1;
    auto flush = [&notify, &changedFirst](qsizetype end) {
        if (changedFirst >= 0)
            notify.changed(int(changedFirst), int(end));
        changedFirst = -1;
    };
    for (qsizetype row = 0; row < rows.size(); ++row) {
        Row &current = rows[row];
        const Key key = keyOf(current);
        present.insert(key);
        const Row &next = incoming.at(position.value(key));
        if (current == next) {
            flush(row - 1);
            continue;
        }
        current = next;
        if (changedFirst < 0)
            changedFirst = row;
    }
    flush(rows.size() - 1);

    QList<Row> added;
    for (const Row &candidate : incoming) {
        const Key key = keyOf(candidate);
        if (present.contains(key))
            continue;
        present.insert(key);
        added.append(incoming.at(position.value(key)));
    }
    if (added.isEmpty())
        return;
    notify.beginInsert(int(rows.size()), int(rows.size() + added.size() - 1));
    rows.append(added);
    notify.endInsert();
}

} // namespace qs::core
