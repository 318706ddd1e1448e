#include "jobspage.h"

#include "actionconfirmdialog.h"
#include "actionprogress.h"
#include "inlinebanner.h"
#include "jobactionbar.h"
#include "jobdetailview.h"

#include "frameworks/registry.h"
#include "jobs/bulkaction.h"
#include "jobs/jobbrowser.h"
#include "monitor/jobtablemodel.h"
#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "queues/jobsource.h"
#include "redis/redisconnection.h"
#include "session/serversession.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace qs::widgets {

using monitor::JobTableModel;

JobsPage::JobsPage(session::ServerSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_browser(new jobs::JobBrowser(session->connection(), this))
    , m_queue(new QComboBox(this))
    , m_state(new QComboBox(this))
    , m_find(new QLineEdit(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_actions(new JobActionBar(this))
    , m_banner(new InlineBanner(this))
    , m_model(new JobTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_detail(new JobDetailView(this))
    , m_previous(new QPushButton(tr("◀ Previous"), this))
    , m_next(new QPushButton(tr("Next ▶"), this))
    , m_pageLabel(new QLabel(this))
    , m_progress(new ActionProgress(this))
{
    m_queue->setMinimumContentsLength(24);
    m_queue->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_find->setPlaceholderText(tr("Find a job by id"));
    m_find->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(JobTableModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    // Until the operator sorts, rows keep the page's own order (next to run / newest first).
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->viewport()->installEventFilter(this);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Queue:"), this));
    bar->addWidget(m_queue, 2);
    bar->addWidget(new QLabel(tr("State:"), this));
    bar->addWidget(m_state, 1);
    bar->addWidget(m_find, 1);
    bar->addWidget(m_refresh);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 2); // the table two thirds: its columns fit at 1280 px
    splitter->setStretchFactor(1, 1);
    auto *paging = new QHBoxLayout;
    paging->addWidget(m_previous);
    paging->addWidget(m_pageLabel, 1, Qt::AlignCenter);
    paging->addWidget(m_next);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_actions);
    layout->addWidget(m_banner);
    layout->addWidget(m_progress);
    layout->addWidget(splitter, 1);
    layout->addLayout(paging);

    connect(m_queue, &QComboBox::currentIndexChanged, this, &JobsPage::onQueueChanged);
    connect(m_state, &QComboBox::currentIndexChanged, this, &JobsPage::onStateChanged);
    connect(m_refresh, &QPushButton::clicked, this, &JobsPage::reload);
    connect(m_find, &QLineEdit::returnPressed, this, &JobsPage::findJob);
    connect(m_previous, &QPushButton::clicked, this, [this] {
        m_offset = qMax<qint64>(0, m_offset - pageSize);
        m_cursor.clear();
        reload();
    });
    connect(m_next, &QPushButton::clicked, this, [this] {
        const jobs::JobPage &page = m_model->page();
        if (!page.nextCursor.isEmpty())
            m_cursor = page.nextCursor; // SCAN-based: continue where the last page ended
        else
            m_offset += pageSize;
        reload();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &JobsPage::onSelectionChanged);
    connect(m_browser, &jobs::JobBrowser::pageLoaded, this, &JobsPage::onPageLoaded);
    connect(m_browser, &jobs::JobBrowser::detailLoaded, m_detail, &JobDetailView::showDetail);
    connect(m_browser, &jobs::JobBrowser::located, this,
            [this](const QByteArray &id, const jobs::JobSummary &job, bool found,
                   const QString &error) {
                if (!found) {
                    m_banner->showMessage(error.isEmpty() ? tr("No job “%1” in %2.")
                                                                .arg(QString::fromUtf8(id),
                                                                     currentQueue().displayName())
                                                          : error,
                                          HealthLevel::Warning);
                    return;
                }
                m_banner->clear();
                m_browser->loadDetail(currentQueue(), job);
                const int index = m_state->findData(job.state);
                if (index >= 0 && index != m_state->currentIndex()) {
                    m_pendingFind = job.id;
                    m_state->setCurrentIndex(index); // reloads from the first page
                }
            });
    connect(m_actions, &JobActionBar::actionRequested, this,
            [this](jobs::JobAction action, bool all) { requestAction(requestFor(action, all)); });
    connect(m_progress, &ActionProgress::started, this, &JobsPage::updateControls);
    connect(m_progress, &ActionProgress::finished, this, &JobsPage::onActionFinished);
    connect(session->queues(), &monitor::QueueMonitor::queuesChanged, this,
            &JobsPage::refillQueues);
    connect(session, &session::ServerSession::polled, this, &JobsPage::updateStateCounts);
    connect(session, &session::ServerSession::statusChanged, this, &JobsPage::updateControls);
    // A visible page follows the queue; a hidden one costs nothing.
    m_refreshTimer.setInterval(5000);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (!m_loading && !m_progress->isRunning())
            reload();
    });
    refillQueues();
}

JobsPage::~JobsPage() = default;

queues::QueueRef JobsPage::currentQueue() const
{
    const int index = m_queue->currentIndex();
    return index >= 0 && index < m_queues.size() ? m_queues.at(index) : queues::QueueRef{};
}

QString JobsPage::currentState() const
{
    return m_state->currentData().toString();
}

void JobsPage::showQueue(const queues::QueueRef &queue, const QString &state)
{
    if (!m_queues.contains(queue)) {
        m_queues.append(queue);
        m_queue->addItem(QStringLiteral("%1 · %2").arg(queues::frameworkName(queue.framework),
                                                       queue.displayName()));
    }
    const int queueIndex = int(m_queues.indexOf(queue));
    const bool sameQueue = queueIndex == m_queue->currentIndex();
    m_queue->setCurrentIndex(queueIndex); // a new queue starts on its first page
    const int stateIndex = state.isEmpty() ? -1 : m_state->findData(state);
    if (stateIndex >= 0 && stateIndex != m_state->currentIndex())
        m_state->setCurrentIndex(stateIndex);
    else if (sameQueue)
        onStateChanged(); // asked for again: back to the first page
}

void JobsPage::showJob(const queues::QueueRef &queue, const QString &id)
{
    showQueue(queue);
    m_find->setText(id);
    findJob();
}

void JobsPage::refillQueues()
{
    const queues::QueueRef current = currentQueue();
    QList<queues::QueueRef> found = m_session->queues()->queues();
    std::sort(found.begin(), found.end(),
              [](const queues::QueueRef &a, const queues::QueueRef &b) { return a.id() < b.id(); });
    if (found == m_queues)
        return;
    const QSignalBlocker block(m_queue);
    m_queue->clear();
    m_queues = found;
    for (const queues::QueueRef &queue : m_queues)
        m_queue->addItem(QStringLiteral("%1 · %2").arg(queues::frameworkName(queue.framework),
                                                       queue.displayName()));
    const int keep = int(m_queues.indexOf(current));
    m_queue->setCurrentIndex(keep >= 0 ? keep : (m_queues.isEmpty() ? -1 : 0));
    if (keep < 0)
        onQueueChanged();
}

void JobsPage::onQueueChanged()
{
    const queues::QueueRef queue = currentQueue();
    {
        const QSignalBlocker block(m_state);
        m_state->clear();
        if (m_queue->currentIndex() >= 0) {
            for (const QString &state : frameworks::stateNames(queue))
                m_state->addItem(state, state);
        }
        // Finished states are where operators look first.
        const int failed = std::max(m_state->findData(QStringLiteral("failed")),
                                    m_state->findData(QStringLiteral("retries")));
        m_state->setCurrentIndex(failed >= 0 ? failed : 0);
    }
    const core::ConnectionProfile &profile = m_session->profile();
    m_actions->setFramework(queue.framework, profile.readOnly, readOnlyReason(profile));
    m_banner->clear();
    updateStateCounts();
    onStateChanged();
}

void JobsPage::onStateChanged()
{
    m_offset = 0;
    m_cursor.clear();
    m_detail->showMessage(tr("Select a job to see its data, error and stack traces."));
    reload();
}

void JobsPage::reload()
{
    if (m_queue->currentIndex() < 0 || m_state->currentIndex() < 0)
        return;
    m_loading = true;
    m_browser->loadPage(currentQueue(), currentState(), m_offset, pageSize, m_cursor);
    updateControls();
}

void JobsPage::onPageLoaded(const jobs::JobPage &page)
{
    m_loading = false;
    if (!page.error.isEmpty())
        m_banner->showMessage(page.error, HealthLevel::Warning);
    // Columns fit the jobs: on a new page, and when the first jobs arrive on an empty one (a
    // state that was empty when opened must not keep header-wide columns).
    const bool newPage =
        page.queue != m_model->page().queue || page.state != m_model->page().state ||
        page.offset != m_model->page().offset || (m_model->rowCount() == 0 && !page.jobs.isEmpty());
    m_model->setPage(page);
    if (newPage)
        fitColumns();
    // After an action: a job still selected (still in this state) is read again; one that left
    // the state left the selection, and the panel was cleared with it.
    if (std::exchange(m_refreshDetail, false)) {
        if (const QList<jobs::JobSummary> selected = selectedJobs(); selected.size() == 1)
            m_browser->loadDetail(currentQueue(), selected.first());
    }
    if (!m_pendingFind.isEmpty()) {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->job(row).id == m_pendingFind)
                m_table->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
        }
        m_pendingFind.clear();
    }
    const QLocale locale;
    if (page.total >= 0)
        m_pageLabel->setText(
            page.jobs.isEmpty() && page.offset == 0
                ? tr("no %1 jobs").arg(page.state)
                : tr("%1–%2 of %3")
                      .arg(locale.toString(page.offset + (page.jobs.isEmpty() ? 0 : 1)),
                           locale.toString(page.offset + page.jobs.size()),
                           locale.toString(page.total)));
    else
        m_pageLabel->setText(tr("%n job(s) on this page", "", int(page.jobs.size())));
    if (!page.note.isEmpty())
        m_pageLabel->setToolTip(page.note);
    updateControls();
}

void JobsPage::fitColumns()
{
    // A column no job of this page fills (run-at of failed jobs, progress...) is hidden.
    for (int column = 0; column < JobTableModel::ColumnCount; ++column) {
        bool filled = false;
        for (int row = 0; row < m_model->rowCount() && !filled; ++row)
            filled = !m_model->index(row, column).data().toString().isEmpty();
        m_table->setColumnHidden(column, !filled && m_model->rowCount() > 0);
    }
    m_table->resizeColumnsToContents();
    for (int column = 0; column < JobTableModel::ColumnCount; ++column)
        m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), 360));
    fitReasonColumn();
}

void JobsPage::fitReasonColumn()
{
    // The failed reason gets what the other columns leave (its full text is in the tooltip and
    // the detail panel), so that no column runs off the right edge next to the detail pane.
    const int reason = int(JobTableModel::Column::Reason);
    if (m_table->isColumnHidden(reason))
        return;
    int others = 0;
    for (int column = 0; column < JobTableModel::ColumnCount; ++column) {
        if (column != reason && !m_table->isColumnHidden(column))
            others += m_table->columnWidth(column);
    }
    const QAbstractItemView *view = m_table; // sizeHintForColumn is public there
    const int wanted = qMax(view->sizeHintForColumn(reason), 120);
    const int room = m_table->viewport()->width() - others;
    // Still too wide (long job names, every column filled): the name gives way, down to 80 px;
    // its full text is in the detail panel.
    const int name = int(JobTableModel::Column::Name);
    if (room < 120 && !m_table->isColumnHidden(name))
        m_table->setColumnWidth(name, qMax(80, m_table->columnWidth(name) - (120 - room)));
    m_table->setColumnWidth(reason, qBound(120, room, wanted));
}

bool JobsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        fitReasonColumn();
    return QWidget::eventFilter(watched, event);
}

QList<jobs::JobSummary> JobsPage::selectedJobs() const
{
    QList<jobs::JobSummary> jobs;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        jobs.append(m_model->job(m_proxy->mapToSource(index).row()));
    return jobs;
}

void JobsPage::onSelectionChanged()
{
    const QList<jobs::JobSummary> selected = selectedJobs();
    if (selected.size() == 1) {
        m_detail->showMessage(tr("Loading…"));
        m_browser->loadDetail(currentQueue(), selected.first());
    } else if (selected.size() > 1) {
        m_detail->showMessage(tr("%n jobs selected.", "", int(selected.size())));
    } else {
        // Nothing selected any more (the job left this state, e.g. after a retry): the panel
        // must not keep showing it in a state it is no longer in.
        m_detail->showMessage(tr("Select a job to see its data, error and stack traces."));
    }
    updateControls();
}

void JobsPage::updateStateCounts()
{
    const queues::QueueRef queue = currentQueue();
    const monitor::PollSnapshot &latest = m_session->latest();
    const QLocale locale;
    for (int i = 0; i < m_state->count(); ++i) {
        const QString state = m_state->itemData(i).toString();
        std::optional<qint64> count;
        for (const queues::QueueCounts &counts : latest.queues) {
            if (counts.queue == queue)
                count = counts.count(state);
        }
        for (const queues::ServerCounts &server : latest.queueServers) {
            if (!count && server.framework == queue.framework && server.prefix == queue.prefix)
                count = server.count(state);
        }
        m_state->setItemText(
            i, count ? QStringLiteral("%1 (%2)").arg(state, locale.toString(*count)) : state);
    }
}

void JobsPage::updateControls()
{
    const jobs::JobPage &page = m_model->page();
    const bool connected = m_session->connection()->isConnected();
    m_previous->setEnabled(m_offset > 0 || !m_cursor.isEmpty());
    m_next->setEnabled(page.nextCursor.isEmpty() ? page.total > page.offset + page.jobs.size()
                                                 : page.nextCursor != "0");
    m_actions->updateFor(currentState(), int(m_table->selectionModel()->selectedRows().size()),
                         connected && m_queue->currentIndex() >= 0, m_progress->isRunning());
}

jobs::ActionRequest JobsPage::requestFor(jobs::JobAction action, bool all) const
{
    const jobs::ActionSupport support = frameworks::actionSupport(currentQueue().framework, action);
    jobs::ActionRequest request;
    request.queue = currentQueue();
    request.action = action;
    if (!support.states.isEmpty())
        request.state =
            support.actsOn(currentState()) ? currentState() : support.states.first().first;
    request.all = all && support.selection == jobs::Selection::IdsOrAll;
    if (!all && support.selection != jobs::Selection::Queue) {
        for (const jobs::JobSummary &job : selectedJobs())
            request.ids.append(job.handle.isEmpty() ? job.id : job.handle);
    }
    return request;
}

QString JobsPage::howMany(const jobs::ActionRequest &request) const
{
    const QLocale locale;
    if (!request.ids.isEmpty())
        return tr("%n selected job(s)", "", int(request.ids.size()));
    const jobs::JobPage &page = m_model->page();
    if (!request.state.isEmpty()) {
        const std::optional<jobs::StateStore> store =
            frameworks::makeJobSource(request.queue.framework)->store(request.queue, request.state);
        if (store && store->spansQueues) // Sidekiq's retry/dead/schedule sets hold every queue
            return tr("every %1 job of queue %2 (the set holds %3 for all queues)")
                .arg(request.state, request.queue.displayName(),
                     page.state == request.state && page.total >= 0 ? locale.toString(page.total)
                                                                    : tr("jobs"));
        const bool known = page.state == request.state && page.total >= 0;
        return known ? tr("every %1 job (%2 now)").arg(request.state, locale.toString(page.total))
                     : tr("every %1 job").arg(request.state);
    }
    return tr("the whole queue");
}

void JobsPage::requestAction(const jobs::ActionRequest &request)
{
    if (request.ids.size() == 1 && currentQueue() != request.queue)
        showJob(request.queue, QString::fromUtf8(request.ids.first()));
    if (const QString why = jobs::BulkAction::validate(request); !why.isEmpty()) {
        m_banner->showMessage(why, HealthLevel::Warning);
        return;
    }
    ActionConfirmDialog dialog(m_session->profile(), request, howMany(request), this);
    const QPointer<JobsPage> self(this); // the dialog's event loop may outlive this page
    if (dialog.exec() != QDialog::Accepted || !self)
        return;
    runConfirmed(dialog.request());
}

void JobsPage::runConfirmed(const jobs::ActionRequest &request)
{
    m_banner->clear();
    m_refreshTimer.stop();
    m_progress->run(m_session->connection(), request);
    updateControls();
}

void JobsPage::onActionFinished(const jobs::ActionSummary &summary)
{
    const HealthLevel level = !summary.error.isEmpty()                   ? HealthLevel::Critical
                              : summary.skipped > 0 || summary.cancelled ? HealthLevel::Warning
                                                                         : HealthLevel::Good;
    m_banner->showMessage(summary.describe(), level);
    Q_EMIT logMessage(
        QStringLiteral("%1: %2").arg(summary.request.queue.displayName(), summary.describe()));
    Q_EMIT actionFinished(summary);
    if (isVisible())
        m_refreshTimer.start();
    // Everything on the page follows the action at once: the state counts (a poll now, not at
    // the next tick), the page, and the job in the detail panel (reloaded, or cleared with the
    // selection when it left this state).
    m_session->poller()->pollNow();
    m_refreshDetail = true;
    reload();
}

void JobsPage::findJob()
{
    const QByteArray id = m_find->text().trimmed().toUtf8();
    if (!id.isEmpty() && m_queue->currentIndex() >= 0)
        m_browser->find(currentQueue(), id);
}

void JobsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_refreshTimer.start();
    reload();
}

void JobsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
}

} // namespace qs::widgets
