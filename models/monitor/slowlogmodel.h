#pragma once

#include "monitor/slowlog.h"

#include <QAbstractTableModel>

namespace qs::monitor {

// The slow log as a table. Rows are merged by entry id on every refresh (never reset), so the
// selection and scroll position of a view survive polling. Row order is arrival order; views
// sort through a proxy on SortRole.
class SlowLogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Id, Time, Duration, Command, Client };
    static constexpr int ColumnCount = int(Column::Client) + 1;
    // Raw values for sorting: numbers for Id/Time/Duration, text for the others.
    static constexpr int SortRole = Qt::UserRole + 1;
    // Past this many characters the Command column is elided; the tooltip has the full text.
    static constexpr int MaxCommandChars = 200;

    explicit SlowLogModel(QObject *parent = nullptr);

    void setEntries(const QList<SlowLogEntry> &entries);
    const SlowLogEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const SlowLogEntry &entry, Column column) const;
    // setEntries() merges through this helper (rowmerge.h), which needs the protected
    // begin/end row notifications.
    template <typename Model, typename Row, typename KeyOf>
    friend void mergeRowsByKey(Model &, QList<Row> &, const QList<Row> &, KeyOf);

    QList<SlowLogEntry> m_entries;
};

// "850 µs", "12.3 ms", "1.20 s": how long a command ran.
QString formatDuration(qint64 microseconds);

} // namespace qs::monitor
