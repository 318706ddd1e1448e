#include "workerspage.h"

#include "inlinebanner.h"
#include "workerfilter.h"

#include "frameworks/registry.h"
#include "monitor/stuckjobmodel.h"
#include "monitor/workertreemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace qs::widgets {

using monitor::StuckJobModel;
using monitor::WorkerTreeModel;
using queues::WorkerState;

namespace {

// What both views of the page share: sortable, one whole row selected, read-only.
template <typename View> View *createView(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new View(parent);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    return view;
}

} // namespace

QString describeWorkers(const queues::WorkerScan &scan)
{
    const QString states = monitor::describeStates(scan.workers);
    const QString total = WorkersPage::tr("%n worker(s)", nullptr, int(scan.workers.size()));
    return states.isEmpty() ? total : QStringLiteral("%1: %2").arg(total, states);
}

WorkersPage::WorkersPage(QWidget *parent)
    : QWidget(parent)
    , m_banner(new InlineBanner(this))
    , m_summary(new QLabel(this))
    , m_model(new WorkerTreeModel(this))
    , m_filter(new WorkerFilter(this))
    , m_stuck(new StuckJobModel(this))
    , m_stuckLabel(new QLabel(tr("Stuck jobs"), this))
{
    m_filter->setSourceModel(m_model);
    m_table = createView<QTreeView>(m_filter, this);
    m_table->setUniformRowHeights(true);
    m_table->setAllColumnsShowFocus(true);
    m_table->header()->setStretchLastSection(true);
    m_table->sortByColumn(int(WorkerTreeModel::Column::Framework), Qt::AscendingOrder);
    // A group appears expanded; one the operator folds stays folded across scans.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                for (int row = first; !parent.isValid() && row <= last; ++row)
                    m_table->expand(m_filter->index(row, 0));
            });
    m_summary->setText(tr("Workers are read every few seconds while the server is open."));
    connect(m_table, &QTreeView::activated, this, &WorkersPage::onWorkerActivated);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(createStuckPane());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
}

QWidget *WorkersPage::createStuckPane()
{
    auto *stuckProxy = new QSortFilterProxyModel(this);
    stuckProxy->setSourceModel(m_stuck);
    stuckProxy->setSortRole(StuckJobModel::SortRole);
    m_stuckTable = createView<QTableView>(stuckProxy, this);
    m_stuckTable->verticalHeader()->hide();
    m_stuckTable->horizontalHeader()->setStretchLastSection(true);
    m_stuckTable->sortByColumn(int(StuckJobModel::Column::Since), Qt::DescendingOrder);
    connect(m_stuckTable, &QTableView::activated, this, &WorkersPage::onStuckActivated);
    m_recover = new QPushButton(tr("Recover…"), this);
    connect(m_recover, &QPushButton::clicked, this, [this] {
        if (const queues::StuckJob *job = selectedStuckJob()) {
            jobs::ActionRequest request;
            request.queue = {job->framework, job->prefix, job->queue};
            request.action = jobs::JobAction::Restore;
            request.ids = {job->id.toUtf8()};
            Q_EMIT recoverRequested(request);
        }
    });
    connect(m_stuckTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &WorkersPage::updateRecover);
    updateRecover();

    auto *pane = new QWidget(this);
    auto *header = new QHBoxLayout;
    header->addWidget(m_stuckLabel, 1);
    header->addWidget(m_recover);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_stuckTable);
    return pane;
}

QWidget *WorkersPage::createFilterBar()
{
    auto *bar = new QWidget(this);
    m_filterBox = new QLineEdit(bar);
    m_filterBox->setPlaceholderText(tr("Filter by worker, host, queue or job"));
    m_filterBox->setClearButtonEnabled(true);
    m_frameworkBox = new QComboBox(bar);
    m_frameworkBox->addItem(tr("All frameworks"));
    for (const queues::FrameworkEntry &entry : frameworks::all())
        m_frameworkBox->addItem(entry.label, int(entry.framework));
    m_offlineBox = new QCheckBox(tr("Show offline"), bar);
    m_offlineBox->setChecked(true);
    m_ping = new QPushButton(tr("Ping Celery workers…"), bar);
    m_ping->setToolTip(tr("Asks every Celery worker to answer, as `celery inspect ping` (a write: "
                          "one broadcast on the pidbox channel)"));
    m_ping->hide(); // until a scan knows Celery there
    m_pingResult = new QLabel(bar);
    m_pingResult->hide();
    connect(m_ping, &QPushButton::clicked, this, &WorkersPage::pingRequested);
    connect(m_filterBox, &QLineEdit::textChanged, m_filter, &WorkerFilter::setText);
    connect(m_frameworkBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant data = m_frameworkBox->itemData(index);
        m_filter->setFramework(data.isValid() ? std::optional(queues::Framework(data.toInt()))
                                              : std::nullopt);
    });
    connect(m_offlineBox, &QCheckBox::toggled, m_filter, &WorkerFilter::setShowOffline);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filterBox, 1);
    layout->addWidget(m_frameworkBox);
    layout->addWidget(m_offlineBox);
    layout->addWidget(m_ping);
    layout->addWidget(m_pingResult);
    return bar;
}

void WorkersPage::setScan(const queues::WorkerScan &scan)
{
    m_model->setWorkers(scan.workers, scan.scannedAtMs);
    m_stuck->setStuck(scan.stuck, scan.scannedAtMs);
    m_stuckLabel->setText(scan.stuck.isEmpty()
                              ? tr("Stuck jobs: none")
                              : tr("Stuck jobs: %n (jobs no live worker will finish)", nullptr,
                                   int(scan.stuck.size())));
    QStringList problems;
    for (const auto &[framework, why] : scan.unknown)
        problems.append(QStringLiteral("%1 %2").arg(frameworks::label(framework), why));
    problems.append(scan.notes);
    m_problems = problems.join(u'\n');
    m_problemLevel = scan.unknown.isEmpty() ? HealthLevel::Unknown : HealthLevel::Warning;
    setScanError({});
    m_summary->setText(describeWorkers(scan));
    if (!m_sized && !scan.workers.isEmpty()) {
        for (int column = 0; column < WorkerTreeModel::ColumnCount; ++column)
            m_table->resizeColumnToContents(column);
        m_sized = true;
    }
    if (!m_stuckSized && !scan.stuck.isEmpty()) {
        m_stuckTable->resizeColumnsToContents();
        m_stuckSized = true;
    }
    updateRecover();
}

void WorkersPage::setReadOnlyReason(const QString &reason)
{
    m_readOnlyReason = reason;
    updateRecover();
    m_ping->setEnabled(reason.isEmpty());
    if (!reason.isEmpty())
        m_ping->setToolTip(reason);
}

void WorkersPage::setPingOffered(bool offered)
{
    m_ping->setVisible(offered);
}

void WorkersPage::showPingResult(const QString &text, HealthLevel level)
{
    m_pingResult->setText(text);
    m_pingResult->setToolTip(text);
    m_pingResult->setStyleSheet(
        QStringLiteral("QLabel { color: %1; }").arg(levelColor(level).name()));
    m_pingResult->show();
}

const queues::StuckJob *WorkersPage::selectedStuckJob() const
{
    const QModelIndexList rows = m_stuckTable->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    const auto *proxy = qobject_cast<const QSortFilterProxyModel *>(m_stuckTable->model());
    return &m_stuck->job(proxy->mapToSource(rows.first()).row());
}

// "Recover" is the framework's own recovery of the selected stuck job (its Restore action under
// the framework's word); where there is none, the button says why.
void WorkersPage::updateRecover()
{
    const queues::StuckJob *job = selectedStuckJob();
    if (!job) {
        m_recover->setText(tr("Recover…"));
        m_recover->setEnabled(false);
        m_recover->setToolTip(tr("Select a stuck job"));
        return;
    }
    const jobs::ActionSupport support =
        frameworks::actionSupport(job->framework, jobs::JobAction::Restore);
    m_recover->setText(support.supported ? support.label + u'…' : tr("Recover…"));
    m_recover->setEnabled(support.supported && m_readOnlyReason.isEmpty());
    m_recover->setToolTip(!support.supported ? support.reason : m_readOnlyReason);
}

void WorkersPage::setScanError(const QString &error)
{
    if (!error.isEmpty())
        m_banner->showMessage(tr("Workers could not be read: %1").arg(error),
                              HealthLevel::Critical);
    else if (!m_problems.isEmpty())
        m_banner->showMessage(m_problems, m_problemLevel);
    else
        m_banner->clear();
}

void WorkersPage::onWorkerActivated(const QModelIndex &index)
{
    const queues::WorkerInfo *worker = m_model->worker(m_filter->mapToSource(index));
    if (!worker || worker->currentJobs.isEmpty())
        return; // a group row folds and unfolds by itself
    const queues::WorkerJob &job = worker->currentJobs.first();
    Q_EMIT jobActivated({worker->framework, worker->prefix, job.queue}, job.id);
}

void WorkersPage::onStuckActivated(const QModelIndex &index)
{
    const auto *proxy = qobject_cast<const QSortFilterProxyModel *>(m_stuckTable->model());
    const queues::StuckJob &job = m_stuck->job(proxy->mapToSource(index).row());
    Q_EMIT jobActivated({job.framework, job.prefix, job.queue}, job.id);
}

} // namespace qs::widgets
