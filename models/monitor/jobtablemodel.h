#pragma once

#include "queues/jobsummary.h"

#include "core/rowtablemodel.h"

namespace qs::monitor {

// One page of jobs as a table. A new page (queue, state or offset changed) replaces the rows;
// the same page loaded again is merged by job id, so selection and scroll survive a refresh.
class JobTableModel final : public core::RowTableModel<jobs::JobSummary>
{
    Q_OBJECT
public:
    // The failed reason comes right after the name: it is what an operator reads first, and a
    // last column falls off the right edge of a 1280-pixel window next to the detail pane.
    enum class Column {
        Id,
        Name,
        Reason,
        Created,
        Processed,
        Finished,
        RunAt,
        Attempts,
        Priority,
        Progress
    };
    static constexpr int ColumnCount = int(Column::Progress) + 1;

    explicit JobTableModel(QObject *parent = nullptr);

    void setPage(const jobs::JobPage &page);
    jobs::JobPage page() const; // the page as shown: its jobs are the rows
    const jobs::JobSummary &job(int row) const { return rows().at(row); }

private:
    static QList<core::ColumnSpec<jobs::JobSummary>> columns();
    jobs::JobPage m_page; // all but the jobs, which are the rows
};

} // namespace qs::monitor
