#pragma once

#include "statuscolors.h"

#include "queues/actionrequest.h"
#include "queues/workerinfo.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTreeView;

namespace qs::monitor {
class StuckJobModel;
class WorkerTreeModel;
} // namespace qs::monitor

namespace qs::widgets {

class InlineBanner;
class WorkerFilter;

// The "Workers" page of one server: every framework's workers grouped by framework and host
// (coloured by state, filtered by text, framework and offline), the jobs stuck with dead workers,
// and what could not be read ("workers unknown: CLIENT LIST not permitted") in a banner, never
// as zero workers. Double-clicking a worker or a stuck job opens its job on the Jobs page;
// "Recover" asks for the framework's own recovery of a stuck job (RQ: move to failed, Celery:
// restore the delivery), which the Jobs page confirms and runs.
class WorkersPage final : public QWidget
{
    Q_OBJECT
public:
    explicit WorkersPage(QWidget *parent = nullptr);

    // Shows one scan; rows merge by worker, so the selection survives the next one.
    void setScan(const queues::WorkerScan &scan);
    // Why the last scan failed (the rows of the one before stay); empty when it completed.
    void setScanError(const QString &error);
    // Why writes are refused on this server (a read-only profile); empty when they are allowed.
    void setReadOnlyReason(const QString &reason);
    // "Ping Celery workers…" is offered where the server has Celery queues.
    void setPingOffered(bool offered);
    // What the last "Ping Celery workers" brought back, in one line.
    void showPingResult(const QString &text, HealthLevel level);

    // For tests.
    QTreeView *table() const { return m_table; }
    QTableView *stuckTable() const { return m_stuckTable; }
    monitor::WorkerTreeModel *model() const { return m_model; }
    monitor::StuckJobModel *stuckModel() const { return m_stuck; }
    WorkerFilter *filter() const { return m_filter; }
    InlineBanner *banner() const { return m_banner; }
    QLabel *summary() const { return m_summary; }
    QLineEdit *filterBox() const { return m_filterBox; }
    QComboBox *frameworkBox() const { return m_frameworkBox; }
    QCheckBox *offlineBox() const { return m_offlineBox; }
    QPushButton *recoverButton() const { return m_recover; }
    QPushButton *pingButton() const { return m_ping; }
    QLabel *pingResult() const { return m_pingResult; }

Q_SIGNALS:
    void jobActivated(const qs::queues::QueueRef &queue, const QString &id);
    void recoverRequested(const qs::jobs::ActionRequest &request);
    // "Ping Celery workers…": a write the owner confirms (ServerView) before sending.
    void pingRequested();

private:
    QWidget *createFilterBar();
    QWidget *createStuckPane();
    void onWorkerActivated(const QModelIndex &index);
    void onStuckActivated(const QModelIndex &index);
    const queues::StuckJob *selectedStuckJob() const;
    void updateRecover();

    InlineBanner *m_banner = nullptr;
    QLabel *m_summary = nullptr;
    QLineEdit *m_filterBox = nullptr;
    QComboBox *m_frameworkBox = nullptr;
    QCheckBox *m_offlineBox = nullptr;
    monitor::WorkerTreeModel *m_model = nullptr;
    WorkerFilter *m_filter = nullptr;
    QTreeView *m_table = nullptr;
    monitor::StuckJobModel *m_stuck = nullptr;
    QLabel *m_stuckLabel = nullptr;
    QTableView *m_stuckTable = nullptr;
    QPushButton *m_recover = nullptr;
    QPushButton *m_ping = nullptr;
    QLabel *m_pingResult = nullptr;
    QString m_readOnlyReason;
    QString m_problems; // what the last scan could not read, for the banner
    HealthLevel m_problemLevel = HealthLevel::Unknown;
    bool m_sized = false;      // columns fitted to the first scan with workers
    bool m_stuckSized = false; // and to the first with stuck jobs
};

// "12 workers: 9 busy, 2 idle, 1 offline": a scan in one line.
QString describeWorkers(const queues::WorkerScan &scan);

} // namespace qs::widgets
