#pragma once

// For the tests of the table models: what a model told its views while it merged new rows, and
// rows made from a list of ids.

#include <QAbstractItemModel>
#include <QList>
#include <QSignalSpy>

#include <initializer_list>

namespace qs::test {

// One spy per signal a merge may emit.
struct ModelChanges
{
    explicit ModelChanges(const QAbstractItemModel *model)
        : resets(model, &QAbstractItemModel::modelReset)
        , inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , changed(model, &QAbstractItemModel::dataChanged)
    {
    }
    QSignalSpy resets;
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy changed;
};

// make(id) for each id, in order.
template <typename Make> auto rowsWithIds(std::initializer_list<qint64> ids, Make make)
{
    QList<decltype(make(qint64()))> rows;
    for (const qint64 id : ids)
        rows.append(make(id));
    return rows;
}

} // namespace qs::test
