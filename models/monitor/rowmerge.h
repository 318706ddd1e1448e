#pragma once

#include <QHash>
#include <QList>
#include <QModelIndex>
#include <QSet>

#include <type_traits>

namespace qs::monitor {

// Merges a fresh poll result into a flat table model's rows by key, instead of resetting it:
// a reset would drop the selection, scroll position and persistent indexes of every view on
// each tick. Rows whose key is gone are removed, rows that stay are updated in place (keeping
// their position, so a proxy's sort does not jump), and new keys are appended in incoming
// order. A key that appears twice in `incoming` keeps its last row.
//
// `rows` is the model's own storage; `keyOf(row)` returns a hashable key. The model must
// befriend this function because it drives the protected begin/end row notifications.
template <typename Model, typename Row, typename KeyOf>
void mergeRowsByKey(Model &model, QList<Row> &rows, const QList<Row> &incoming, KeyOf keyOf)
{
    using Key = std::decay_t<std::invoke_result_t<KeyOf &, const Row &>>;

    QHash<Key, qsizetype> position;
    position.reserve(incoming.size());
    for (qsizetype i = 0; i < incoming.size(); ++i)
        position.insert(keyOf(incoming.at(i)), i);

    // 1. Remove the rows that are gone, one contiguous block at a time, from the bottom up so
    // the rows still to be visited keep their numbers.
    for (qsizetype row = rows.size() - 1; row >= 0; --row) {
        if (position.contains(keyOf(rows.at(row))))
            continue;
        const qsizetype last = row;
        while (row > 0 && !position.contains(keyOf(rows.at(row - 1))))
            --row;
        model.beginRemoveRows({}, int(row), int(last));
        rows.remove(row, last - row + 1);
        model.endRemoveRows();
    }

    // 2. Update the rows that stay; contiguous changes go out as one dataChanged so a busy
    // table costs a few repaints, not one per row.
    QSet<Key> present;
    qsizetype changedFirst = -1;
    const int lastColumn = model.columnCount() - 1;
    auto flush = [&model, &changedFirst, lastColumn](qsizetype end) {
        if (changedFirst >= 0)
            Q_EMIT model.dataChanged(model.index(int(changedFirst), 0),
                                     model.index(int(end), lastColumn));
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

    // 3. Append the new keys in incoming order, as one insertion.
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
    model.beginInsertRows({}, int(rows.size()), int(rows.size() + added.size() - 1));
    rows.append(added);
    model.endInsertRows();
}

} // namespace qs::monitor
