#pragma once

#include "core/rowtablemodel.h"
#include "queues/workerinfo.h"

namespace qs::monitor {

// The stuck jobs of one worker scan (stalled, abandoned, lost), every framework in one list,
// merged by framework, queue and id on every scan.
class StuckJobModel final : public core::RowTableModel<queues::StuckJob>
{
    Q_OBJECT
public:
    enum class Column { Framework, Queue, Job, Reason, Since, Outcome };
    static constexpr int ColumnCount = int(Column::Outcome) + 1;

    explicit StuckJobModel(QObject *parent = nullptr);

    void setStuck(const QList<queues::StuckJob> &stuck, qint64 scannedAtMs);
    const queues::StuckJob &job(int row) const { return rows().at(row); }

private:
    static QList<core::ColumnSpec<queues::StuckJob>> columns(const qint64 *scannedAtMs);

    qint64 m_scannedAtMs = 0;
};

} // namespace qs::monitor
