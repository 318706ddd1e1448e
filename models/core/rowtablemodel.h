#pragma once

#include "core/displaytext.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

#include <functional>
#include <type_traits>

namespace qs::core {

// One column of a RowTableModel: its header and how a row fills its cells.
template <typename Row> struct ColumnSpec
{
    using Cell = std::function<QVariant(const Row &)>;

    QString header = {};
    QString headerToolTip = {}; // empty: none
    Cell display;               // DisplayRole; strings are escaped for the eye (displayValue)
    Cell sortKey;               // SortRole; empty: the display value before escaping
    Cell toolTip;               // ToolTipRole, as returned (the column escapes server data itself)
    Qt::Alignment alignment = {};
};

// A flat, read-only table of value rows described by one ColumnSpec per column. Polled tables
// merge their rows by a stable key (mergeRows) instead of resetting, so the selection, scroll
// position and persistent indexes of every view survive a tick. Views sort through a proxy on
// SortRole; row actions live in the page, not here.
template <typename Row> class RowTableModel : public QAbstractTableModel
{
public:
    static constexpr int SortRole = Qt::UserRole + 1; // raw values: numbers stay numbers

    const QList<Row> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_columns.size());
    }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!index.isValid() || index.parent().isValid() || index.row() >= m_rows.size() ||
            index.column() >= m_columns.size())
            return {};
        const Row &row = m_rows.at(index.row());
        const ColumnSpec<Row> &column = m_columns.at(index.column());
        switch (role) {
        case Qt::DisplayRole: // server data (names, commands, notes) shown visibly, never raw
            return displayValue(column.display(row));
        case SortRole:
            return column.sortKey ? column.sortKey(row) : column.display(row);
        case Qt::ToolTipRole:
            return column.toolTip ? column.toolTip(row) : QVariant();
        case Qt::TextAlignmentRole:
            return column.alignment ? QVariant::fromValue(column.alignment) : QVariant();
        default:
            return rowData(row, role);
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override
    {
        if (orientation != Qt::Horizontal)
            return QAbstractTableModel::headerData(section, orientation, role);
        if (section < 0 || section >= m_columns.size())
            return {};
        const ColumnSpec<Row> &column = m_columns.at(section);
        if (role == Qt::DisplayRole)
            return column.header;
        if (role == Qt::ToolTipRole && !column.headerToolTip.isEmpty())
            return column.headerToolTip;
        return {};
    }

protected:
    explicit RowTableModel(QList<ColumnSpec<Row>> columns, QObject *parent = nullptr)
        : QAbstractTableModel(parent)
        , m_columns(std::move(columns))
    {
    }

    // Roles beyond the column specs' (e.g. an id on every column); the same for every column.
    virtual QVariant rowData(const Row &, int) const { return {}; }

    // Replaces every row (a different page, not a new reading of the same one).
    void resetRows(const QList<Row> &rows)
    {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }

    // Merges a fresh reading into the rows by key: rows whose key is gone are removed, rows that
    // stay are updated in place (keeping their position, so a proxy's sort does not jump), new
    // keys are appended in incoming order. A key that appears twice in `incoming` keeps its
    // last row. `keyOf(row)` returns a hashable key.
    template <typename KeyOf> void mergeRows(const QList<Row> &incoming, KeyOf keyOf)
    {
        using Key = std::decay_t<std::invoke_result_t<KeyOf &, const Row &>>;
        QHash<Key, qsizetype> position;
        position.reserve(incoming.size());
        for (qsizetype i = 0; i < incoming.size(); ++i)
            position.insert(keyOf(incoming.at(i)), i);
        removeGone(position, keyOf);
        QSet<Key> present = updateStaying(incoming, position, keyOf);
        appendNew(incoming, position, present, keyOf);
    }

private:
    // One contiguous block at a time, from the bottom up so the rows still to be visited keep
    // their numbers.
    template <typename Key, typename KeyOf>
    void removeGone(const QHash<Key, qsizetype> &position, KeyOf &keyOf)
    {
        for (qsizetype row = m_rows.size() - 1; row >= 0; --row) {
            if (position.contains(keyOf(m_rows.at(row))))
                continue;
            const qsizetype last = row;
            while (row > 0 && !position.contains(keyOf(m_rows.at(row - 1))))
                --row;
            beginRemoveRows({}, int(row), int(last));
            m_rows.remove(row, last - row + 1);
            endRemoveRows();
        }
    }

    // Contiguous changes go out as one dataChanged, so a busy table costs a few repaints, not
    // one per row. Returns the keys now present.
    template <typename Key, typename KeyOf>
    QSet<Key> updateStaying(const QList<Row> &incoming, const QHash<Key, qsizetype> &position,
                            KeyOf &keyOf)
    {
        QSet<Key> present;
        qsizetype changedFirst = -1;
        const int lastColumn = columnCount() - 1;
        auto flush = [this, &changedFirst, lastColumn](qsizetype end) {
            if (changedFirst >= 0)
                Q_EMIT dataChanged(index(int(changedFirst), 0), index(int(end), lastColumn));
            changedFirst = -1;
        };
        for (qsizetype row = 0; row < m_rows.size(); ++row) {
            Row &current = m_rows[row];
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
        flush(m_rows.size() - 1);
        return present;
    }

    // As one insertion, in incoming order.
    template <typename Key, typename KeyOf>
    void appendNew(const QList<Row> &incoming, const QHash<Key, qsizetype> &position,
                   QSet<Key> &present, KeyOf &keyOf)
    {
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
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }

    QList<ColumnSpec<Row>> m_columns;
    QList<Row> m_rows;
};

} // namespace qs::core
