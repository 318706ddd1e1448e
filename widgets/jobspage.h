#pragma once

#include "jobs/actionsummary.h"
#include "queues/jobsummary.h"

#include "core/limits.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace qs::jobs {
class JobBrowser;
}
namespace qs::monitor {
class JobTableModel;
} // namespace qs::monitor
namespace qs::session {
class ServerSession;
}

namespace qs::widgets {

class ActionProgress;
class InlineBanner;
class JobActionBar;
class JobDetailView;

// The jobs of one queue, state by state, a page at a time (never a whole set), with the
// selected job in full beside them, find-by-id, and the framework's own actions on the
// selection, the state or the queue: confirmed, run in bounded batches with progress and
// cancel, and written to the audit log.
class JobsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPage(session::ServerSession *session, QWidget *parent = nullptr);
    ~JobsPage() override;

    void showQueue(const queues::QueueRef &queue, const QString &state = {});
    // The queue, and the job of that id in the detail panel (as "Find a job by id" does).
    void showJob(const queues::QueueRef &queue, const QString &id);
    queues::QueueRef currentQueue() const;
    QString currentState() const;
    // Shows the request's job and asks for it as the action bar does: checked, confirmed, run
    // with progress (the Workers page's "Recover" on a stuck job).
    void requestAction(const jobs::ActionRequest &request);

    static constexpr int pageSize = core::limits::defaultJobPageSize;

    // For tests.
    QComboBox *queueBox() const { return m_queue; }
    QComboBox *stateBox() const { return m_state; }
    QTableView *table() const { return m_table; }
    monitor::JobTableModel *model() const { return m_model; }
    JobDetailView *detail() const { return m_detail; }
    JobActionBar *actions() const { return m_actions; }
    ActionProgress *progress() const { return m_progress; }
    InlineBanner *banner() const { return m_banner; }
    QLineEdit *findBox() const { return m_find; }
    QLabel *pageLabel() const { return m_pageLabel; }
    // Runs an action without the confirmation dialog (tests; the dialog has its own test).
    void runConfirmed(const jobs::ActionRequest &request);
    jobs::ActionRequest requestFor(jobs::JobAction action, bool all) const;

Q_SIGNALS:
    void logMessage(const QString &message);
    void actionFinished(const qs::jobs::ActionSummary &summary);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refillQueues();
    void onQueueChanged();
    void onStateChanged();
    void reload();
    void onPageLoaded(const jobs::JobPage &page);
    void onSelectionChanged();
    void onActionFinished(const jobs::ActionSummary &summary);
    void findJob();
    void updateStateCounts();
    void updateControls();
    void fitColumns();
    void fitReasonColumn();
    QList<jobs::JobSummary> selectedJobs() const;
    QString howMany(const jobs::ActionRequest &request) const;

    session::ServerSession *m_session = nullptr;
    jobs::JobBrowser *m_browser = nullptr;
    QList<queues::QueueRef> m_queues;
    QComboBox *m_queue = nullptr;
    QComboBox *m_state = nullptr;
    QLineEdit *m_find = nullptr;
    QPushButton *m_refresh = nullptr;
    JobActionBar *m_actions = nullptr;
    InlineBanner *m_banner = nullptr;
    monitor::JobTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    JobDetailView *m_detail = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QLabel *m_pageLabel = nullptr;
    ActionProgress *m_progress = nullptr;
    QTimer m_refreshTimer;
    qint64 m_offset = 0;
    QByteArray m_cursor;      // SCAN-based states: where this page started
    QByteArray m_pendingFind; // a found job to select once its page is in
    bool m_loading = false;
    bool m_refreshDetail = false; // an action finished: read the selected job again
};

} // namespace qs::widgets
