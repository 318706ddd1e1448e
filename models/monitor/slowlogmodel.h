#pragma once

#include "monitor/slowlog.h"

#include "core/rowtablemodel.h"

namespace qs::monitor {

// The slow log as a table. Rows are merged by node and entry id on every refresh (never reset), so
// the selection and scroll position of a view survive polling. Row order is arrival order; views
// sort through a proxy on SortRole.
class SlowLogModel final : public core::RowTableModel<SlowLogEntry>
{
    Q_OBJECT
public:
    // Node: the cluster node whose log holds the entry (views hide it off a cluster).
    enum class Column { Id, Time, Duration, Command, Client, Node };
    static constexpr int ColumnCount = int(Column::Node) + 1;
    // Past this many characters the Command column is elided; the tooltip has the full text.
    static constexpr int MaxCommandChars = 200;

    explicit SlowLogModel(QObject *parent = nullptr);

    void setEntries(const QList<SlowLogEntry> &entries);
    const SlowLogEntry &entry(int row) const { return rows().at(row); }

private:
    static QList<core::ColumnSpec<SlowLogEntry>> columns();
};

// "850 µs", "12.3 ms", "1.20 s": how long a command ran.
QString formatDuration(qint64 microseconds);

} // namespace qs::monitor
