#pragma once

#include "queues/jobsummary.h"

#include <QAbstractTableModel>

namespace qs::monitor {

// One page of jobs as a table. A new page (queue, state or offset changed) replaces the rows;
// the same page loaded again is merged by job id, so selection and scroll survive a refresh.
class JobTableModel final : public QAbstractTableModel
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
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit JobTableModel(QObject *parent = nullptr);

    void setPage(const jobs::JobPage &page);
    const jobs::JobPage &page() const { return m_page; }
    const jobs::JobSummary &job(int row) const { return m_page.jobs.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const jobs::JobSummary &job, Column column) const;
    template <typename Model, typename Row, typename KeyOf>
    friend void mergeRowsByKey(Model &, QList<Row> &, const QList<Row> &, KeyOf);

    jobs::JobPage m_page;
};

} // namespace qs::monitor
