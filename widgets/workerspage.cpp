#include "workerspage.h"

#include "inlinebanner.h"
#include "workerfilter.h"

#include "frameworks/registry.h"
#include "monitor/stuckjobmodel.h"
#include "monitor/workertablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <map>

namespace qs::widgets {

using monitor::StuckJobModel;
using monitor::WorkerTableModel;
using queues::WorkerState;

namespace {

QTableView *createTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

QString describeWorkers(const queues::WorkerScan &scan)
{
    std::map<WorkerState, int> byState;
    for (const queues::WorkerInfo &worker : scan.workers)
        ++byState[worker.state];
    QStringList parts;
    for (const auto &[state, count] : byState)
        parts.append(QStringLiteral("%1 %2").arg(count).arg(queues::workerStateName(state)));
    const QString total = WorkersPage::tr("%n worker(s)", nullptr, int(scan.workers.size()));
    return parts.isEmpty() ? total : QStringLiteral("%1: %2").arg(total, parts.join(u", "));
}

WorkersPage::WorkersPage(QWidget *parent)
    : QWidget(parent)
    , m_banner(new InlineBanner(this))
    , m_summary(new QLabel(this))
    , m_model(new WorkerTableModel(this))
    , m_filter(new WorkerFilter(this))
    , m_stuck(new StuckJobModel(this))
    , m_stuckLabel(new QLabel(tr("Stuck jobs"), this))
{
    m_filter->setSourceModel(m_model);
    m_table = createTable(m_filter, this);
    m_table->sortByColumn(int(WorkerTableModel::Column::Framework), Qt::AscendingOrder);
    auto *stuckProxy = new QSortFilterProxyModel(this);
    stuckProxy->setSourceModel(m_stuck);
    stuckProxy->setSortRole(StuckJobModel::SortRole);
    m_stuckTable = createTable(stuckProxy, this);
    m_stuckTable->sortByColumn(int(StuckJobModel::Column::Since), Qt::DescendingOrder);
    m_summary->setText(tr("Workers are read every few seconds while the server is open."));
    connect(m_table, &QTableView::activated, this, &WorkersPage::onWorkerActivated);
    connect(m_stuckTable, &QTableView::activated, this, &WorkersPage::onStuckActivated);

    auto *stuckPane = new QWidget(this);
    auto *stuckLayout = new QVBoxLayout(stuckPane);
    stuckLayout->setContentsMargins(0, 0, 0, 0);
    stuckLayout->addWidget(m_stuckLabel);
    stuckLayout->addWidget(m_stuckTable);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(stuckPane);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
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
    if (problems.isEmpty())
        m_banner->clear();
    else
        m_banner->showMessage(problems.join(u'\n'),
                              scan.unknown.isEmpty() ? HealthLevel::Unknown : HealthLevel::Warning);
    m_summary->setText(describeWorkers(scan));
    if (!m_sized && !scan.workers.isEmpty()) {
        m_table->resizeColumnsToContents();
        m_sized = true;
    }
    if (!m_stuckSized && !scan.stuck.isEmpty()) {
        m_stuckTable->resizeColumnsToContents();
        m_stuckSized = true;
    }
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
    const queues::WorkerInfo &worker = m_model->worker(m_filter->mapToSource(index).row());
    if (worker.currentJobs.isEmpty())
        return;
    const queues::WorkerJob &job = worker.currentJobs.first();
    Q_EMIT jobActivated({worker.framework, worker.prefix, job.queue}, job.id);
}

void WorkersPage::onStuckActivated(const QModelIndex &index)
{
    const auto *proxy = qobject_cast<const QSortFilterProxyModel *>(m_stuckTable->model());
    const queues::StuckJob &job = m_stuck->job(proxy->mapToSource(index).row());
    Q_EMIT jobActivated({job.framework, job.prefix, job.queue}, job.id);
}

} // namespace qs::widgets
