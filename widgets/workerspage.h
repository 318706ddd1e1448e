#pragma once

#include "statuscolors.h"

#include "queues/workerinfo.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace qs::monitor {
class StuckJobModel;
class WorkerTableModel;
} // namespace qs::monitor

namespace qs::widgets {

class InlineBanner;
class WorkerFilter;

// The "Workers" page of one server: every framework's workers (sorted by framework and host,
// coloured by state, filtered by text, framework and offline), the jobs stuck with dead workers,
// and what could not be read ("workers unknown: CLIENT LIST not permitted") in a banner, never
// as zero workers. Double-clicking a worker or a stuck job opens its job on the Jobs page.
class WorkersPage final : public QWidget
{
    Q_OBJECT
public:
    explicit WorkersPage(QWidget *parent = nullptr);

    // Shows one scan; rows merge by worker, so the selection survives the next one.
    void setScan(const queues::WorkerScan &scan);
    // Why the last scan failed (the rows of the one before stay); empty when it completed.
    void setScanError(const QString &error);

    // For tests.
    QTableView *table() const { return m_table; }
    QTableView *stuckTable() const { return m_stuckTable; }
    monitor::WorkerTableModel *model() const { return m_model; }
    monitor::StuckJobModel *stuckModel() const { return m_stuck; }
    WorkerFilter *filter() const { return m_filter; }
    InlineBanner *banner() const { return m_banner; }
    QLabel *summary() const { return m_summary; }
    QLineEdit *filterBox() const { return m_filterBox; }
    QComboBox *frameworkBox() const { return m_frameworkBox; }
    QCheckBox *offlineBox() const { return m_offlineBox; }

Q_SIGNALS:
    void jobActivated(const qs::queues::QueueRef &queue, const QString &id);

private:
    QWidget *createFilterBar();
    void onWorkerActivated(const QModelIndex &index);
    void onStuckActivated(const QModelIndex &index);

    InlineBanner *m_banner = nullptr;
    QLabel *m_summary = nullptr;
    QLineEdit *m_filterBox = nullptr;
    QComboBox *m_frameworkBox = nullptr;
    QCheckBox *m_offlineBox = nullptr;
    monitor::WorkerTableModel *m_model = nullptr;
    WorkerFilter *m_filter = nullptr;
    QTableView *m_table = nullptr;
    monitor::StuckJobModel *m_stuck = nullptr;
    QLabel *m_stuckLabel = nullptr;
    QTableView *m_stuckTable = nullptr;
    QString m_problems; // what the last scan could not read, for the banner
    HealthLevel m_problemLevel = HealthLevel::Unknown;
    bool m_sized = false;      // columns fitted to the first scan with workers
    bool m_stuckSized = false; // and to the first with stuck jobs
};

// "12 workers: 9 busy, 2 idle, 1 offline": a scan in one line.
QString describeWorkers(const queues::WorkerScan &scan);

} // namespace qs::widgets
