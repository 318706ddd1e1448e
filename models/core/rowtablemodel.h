#pragma once

#include "core/displaytext.h"
#include "core/rowmerge.h"

#include <QAbstractTableModel>
#include <QList>

#include <functional>

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

// The role on which views sort (raw values: numbers stay numbers).
inline constexpr int cellSortRole = Qt::UserRole + 1;

// The roles a ColumnSpec answers by itself.
inline bool isCellRole(int role)
{
    return role == Qt::DisplayRole || role == cellSortRole || role == Qt::ToolTipRole ||
           role == Qt::TextAlignmentRole;
}

// One cell of `row` in `column` for a role isCellRole() accepts.
template <typename Row> QVariant cellData(const ColumnSpec<Row> &column, const Row &row, int role)
{
    switch (role) {
    case Qt::DisplayRole: // server data (names, commands, notes) shown visibly, never raw
        return displayValue(column.display(row));
    case cellSortRole:
        return column.sortKey ? column.sortKey(row) : column.display(row);
    case Qt::ToolTipRole:
        return column.toolTip ? column.toolTip(row) : QVariant();
    case Qt::TextAlignmentRole:
        return column.alignment ? QVariant::fromValue(column.alignment) : QVariant();
    default:
        return {};
    }
}

// A column's header for a role.
template <typename Row> QVariant headerCell(const ColumnSpec<Row> &column, int role)
{
    if (role == Qt::DisplayRole)
        return column.header;
    if (role == Qt::ToolTipRole && !column.headerToolTip.isEmpty())
        return column.headerToolTip;
    return {};
}

// A flat, read-only table of value rows described by one ColumnSpec per column. Polled tables
// merge their rows by a stable key (mergeRows) instead of resetting, so the selection, scroll
// position and persistent indexes of every view survive a tick. Views sort through a proxy on
// SortRole; row actions live in the page, not here.
template <typename Row> class RowTableModel : public QAbstractTableModel
{
public:
    static constexpr int SortRole = cellSortRole;

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
        if (isCellRole(role))
            return cellData(m_columns.at(index.column()), row, role);
        return rowData(row, role);
    }

    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override
    {
        if (orientation != Qt::Horizontal)
            return QAbstractTableModel::headerData(section, orientation, role);
        if (section < 0 || section >= m_columns.size())
            return {};
        return headerCell(m_columns.at(section), role);
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

    // Merges a fresh reading into the rows by key (core::mergeRows): rows whose key is gone are
    // removed, rows that stay are updated in place, new keys are appended in incoming order.
    template <typename KeyOf> void mergeRows(const QList<Row> &incoming, KeyOf keyOf)
    {
        core::mergeRows(m_rows, incoming, keyOf, RootNotify{this});
    }

private:
    // What core::mergeRows tells a flat table: rows of the root.
    struct RootNotify
    {
        RowTableModel *model;
        void beginRemove(int first, int last) { model->beginRemoveRows({}, first, last); }
        void endRemove() { model->endRemoveRows(); }
        void changed(int first, int last)
        {
            Q_EMIT model->dataChanged(model->index(first, 0),
                                      model->index(last, model->columnCount() - 1));
        }
        void beginInsert(int first, int last) { model->beginInsertRows({}, first, last); }
        void endInsert() { model->endInsertRows(); }
    };

    QList<ColumnSpec<Row>> m_columns;
    QList<Row> m_rows;
};

} // namespace qs::core
