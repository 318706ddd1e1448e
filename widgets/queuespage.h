#pragma once

#include "monitor/frameworktotals.h"
#include "monitor/queuehistory.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace qs::monitor {
class QueueTableModel;
} // namespace qs::monitor
namespace qs::session {
class ServerSession;
}
namespace qs::history {
class HistoryReader;
}

namespace qs::widgets {

class QueueStatesChart;

// The queues of one server: a sortable, filterable table (one row per queue, merged on every
// poll so selection and scroll survive), a line per framework for what no single queue owns
// (Sidekiq's retries and throughput, Celery's reserved messages), a "Discover now" button with the
// discovery state, and below the table the job states of the selected queue over time (all queues
// when none is selected). The page keeps the per-queue history itself, fed by every poll of the
// session.
class QueuesPage final : public QWidget
{
    Q_OBJECT
public:
    explicit QueuesPage(session::ServerSession *session, QWidget *parent = nullptr);
    ~QueuesPage() override;

    monitor::QueueTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *filter() const { return m_filter; }
    QPushButton *discoverButton() const { return m_discover; }
    QLabel *summary() const { return m_summary; }
    QLabel *emptyState() const { return m_empty; }
    QLabel *frameworkTotals() const { return m_totalsLabel; } // server-wide counts, per framework
    QueueStatesChart *chart() const { return m_chart; }
    const monitor::QueueHistory &history() const { return m_history; }
    QString selectedQueueId() const; // empty when none
    // The server's history on disk (not owned; nullptr for none): the chosen queue's chart reads
    // what memory does not hold from it.
    void setHistoryReader(history::HistoryReader *reader);

Q_SIGNALS:
    // Double-click or Enter on a queue: open its jobs.
    void queueActivated(const qs::queues::QueueRef &queue);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onPolled();
    void onCurrentChanged();
    void restoreSelection(); // the charted queue, once the filter shows it again
    void updateSummary();
    void fitColumns();
    QString lookedFor() const;
    void chartQueue(const QString &queueId, const QString &title); // empty id: all queues
    // The series on disk of the chart's lines (waiting, active, delayed, failed) of a queue.
    QList<QStringList> storedSeries(const QString &queueId) const;

    session::ServerSession *m_session = nullptr;
    monitor::QueueHistory m_history;
    monitor::FrameworkTotals m_totals;
    monitor::QueueTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_discover = nullptr;
    QLabel *m_summary = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_totalsLabel = nullptr;
    QTableView *m_table = nullptr;
    QueueStatesChart *m_chart = nullptr;
    QString m_discoveryError;
    bool m_discovered = false; // a discovery pass finished: "none found" is now true
    bool m_filtering = false;  // the filter, not the user, moves the current row
    int m_fittedRows = -1;     // rows when the columns were last fitted
};

} // namespace qs::widgets
