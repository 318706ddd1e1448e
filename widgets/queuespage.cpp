#include "queuespage.h"

#include "queuestateschart.h"

#include "monitor/historysamples.h"
#include "monitor/queuemonitor.h"
#include "monitor/queuetablemodel.h"
#include "monitor/workerscanner.h"
#include "queues/queueadapter.h"
#include "session/serversession.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace qs::widgets {

using monitor::QueueTableModel;

QueuesPage::QueuesPage(session::ServerSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new QueueTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_discover(new QPushButton(tr("Discover &now"), this))
    , m_summary(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_totalsLabel(new QLabel(this))
    , m_table(new QTableView(this))
    , m_chart(new QueueStatesChart(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(QueueTableModel::SortRole);
    m_proxy->setFilterRole(QueueTableModel::FilterRole);
    m_proxy->setFilterKeyColumn(int(QueueTableModel::Column::Name));
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);

    m_filter->setPlaceholderText(tr("Filter by framework or name"));
    m_filter->setClearButtonEnabled(true);
    m_discover->setToolTip(tr("Look for queues again now (an incremental SCAN; never KEYS)"));

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(int(QueueTableModel::Column::Name), Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    QHeaderView *header = m_table->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignCenter); // two-line titles have their own '\n'
    // Sized by fitColumns(); the note takes what is left (the whole note is in the tooltip).
    header->setSectionResizeMode(int(QueueTableModel::Column::Note), QHeaderView::Stretch);
    header->setMinimumSectionSize(36);

    m_totalsLabel->setWordWrap(true);
    m_totalsLabel->setTextFormat(Qt::PlainText);
    m_totalsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totalsLabel->hide();

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);

    m_chart->setHistory(&m_history);
    auto *tableArea = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableArea);
    tableLayout->setContentsMargins(0, 0, 0, 4); // clear of the splitter's grip
    tableLayout->addWidget(m_stack, 1);
    tableLayout->addWidget(m_totalsLabel);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(tableArea);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_summary);
    bar->addWidget(m_discover);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const int row = m_proxy->mapToSource(index).row();
        if (row >= 0 && row < m_model->rowCount())
            Q_EMIT queueActivated(m_model->row(row).queue);
    });
    m_table->setToolTip(tr("Double-click a queue to browse its jobs"));
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        // The view moves the current row to a neighbour when the filter hides it; the charted
        // queue stays the user's choice and is selected again once the filter shows it.
        m_filtering = true;
        m_proxy->setFilterFixedString(text);
        restoreSelection();
        m_filtering = false;
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &QueuesPage::onCurrentChanged);
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this] {
        m_fittedRows = -1; // the arrow moved to another column
        fitColumns();
    });
    connect(m_session, &session::ServerSession::polled, this, &QueuesPage::onPolled);
    connect(m_session->workers(), &monitor::WorkerScanner::scanned, this,
            [this] { m_model->setConsumers(m_session->workers()->consumers()); });
    monitor::QueueMonitor *queues = m_session->queues();
    connect(m_discover, &QPushButton::clicked, this, [this, queues] {
        m_discoveryError.clear();
        queues->discover();
        updateSummary();
    });
    connect(queues, &monitor::QueueMonitor::queuesChanged, this, &QueuesPage::updateSummary);
    connect(queues, &monitor::QueueMonitor::discoveryFinished, this, [this](const QString &error) {
        m_discoveryError = error;
        m_discovered = true;
        updateSummary();
    });
    updateSummary();
}

QueuesPage::~QueuesPage() = default;

QString QueuesPage::selectedQueueId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || !m_table->selectionModel()->isRowSelected(current.row(), {}))
        return {};
    return current.data(QueueTableModel::QueueIdRole).toString();
}

void QueuesPage::onPolled()
{
    const monitor::PollSnapshot &snapshot = m_session->latest();
    m_history.append(snapshot, *m_session->queues());
    m_model->update(snapshot, *m_session->queues());
    fitColumns();
    m_totals.update(snapshot);
    m_totalsLabel->setText(m_totals.lines().join(QLatin1Char('\n')));
    m_totalsLabel->setVisible(!m_totals.lines().isEmpty());
    if (isVisible())
        m_chart->refresh();
    updateSummary();
}

void QueuesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_chart->refresh(); // polls that arrived while hidden were recorded, not drawn
}

void QueuesPage::onCurrentChanged()
{
    if (m_filtering)
        return;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        // Hidden by the filter: keep charting it (and select it again when it shows). Gone
        // from the server: back to all queues.
        if (m_model->rowOf(m_chart->queueId()) < 0)
            chartQueue({}, tr("All queues"));
        return;
    }
    const QModelIndex name = current.siblingAtColumn(int(QueueTableModel::Column::Name));
    const QModelIndex framework = current.siblingAtColumn(int(QueueTableModel::Column::Framework));
    const QString id = current.data(QueueTableModel::QueueIdRole).toString();
    if (id == m_chart->queueId())
        return;
    chartQueue(id,
               QStringLiteral("%1 %2").arg(framework.data().toString(), name.data().toString()));
}

void QueuesPage::setHistoryReader(history::HistoryReader *reader)
{
    m_chart->setHistoryReader(reader);
}

void QueuesPage::chartQueue(const QString &queueId, const QString &title)
{
    m_chart->setQueue(queueId, title);
    m_chart->setStoredSeries(storedSeries(queueId));
}

QList<QStringList> QueuesPage::storedSeries(const QString &queueId) const
{
    const int row = queueId.isEmpty() ? -1 : m_model->rowOf(queueId);
    if (row < 0)
        return {}; // the total of every queue: memory only
    const queues::QueueRef &queue = m_model->row(row).queue;
    const queues::QueueAdapter *adapter = m_session->queues()->adapterFor(queue.framework);
    if (!adapter)
        return {};
    using queues::UnifiedState;
    QList<QStringList> lines(4); // the chart's lines, as QueueHistory sums them
    for (const auto &[state, meaning] : adapter->states()) {
        const int line = meaning == UnifiedState::Waiting   ? 0
                         : meaning == UnifiedState::Active  ? 1
                         : meaning == UnifiedState::Delayed ? 2
                         : meaning == UnifiedState::Failed  ? 3
                                                            : -1;
        if (line >= 0)
            lines[line].append(monitor::HistorySamples::queueSeries(queue, state));
    }
    return lines;
}

void QueuesPage::restoreSelection()
{
    const QString chosen = m_chart->queueId();
    if (chosen.isEmpty())
        return;
    const int row = m_model->rowOf(chosen);
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) {
        m_table->selectionModel()->clear();
        return;
    }
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void QueuesPage::updateSummary()
{
    const monitor::QueueMonitor *queues = m_session->queues();
    const bool discovering = queues->isDiscovering();
    const qsizetype found = queues->queues().size();
    QString text = found == 1 ? tr("1 queue") : tr("%1 queues").arg(found);
    if (discovering)
        text += tr(" · discovering…");
    else if (!m_discoveryError.isEmpty())
        text += tr(" · discovery failed: %1").arg(m_discoveryError);
    m_summary->setText(text);
    m_discover->setEnabled(!discovering);

    const bool empty = found == 0 && m_model->rowCount() == 0;
    if (empty) {
        m_empty->setText(discovering || !m_discovered
                             ? tr("Looking for queues…")
                             : tr("No BullMQ, Bull, Celery, RQ or Sidekiq queues found on this "
                                  "server (looked for %1).")
                                   .arg(lookedFor()));
    }
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_table);
}

void QueuesPage::fitColumns()
{
    // Each column as wide as its title or its widest cell, whichever is wider: ResizeToContents
    // also reserves room for a sort arrow in every column, which pushed the last five of fifteen
    // columns off a 1280-pixel window. Only the sorted column gets that room. Columns grow with
    // their numbers and never shrink while the operator watches (no jitter on every poll).
    QHeaderView *header = m_table->horizontalHeader();
    const QFontMetrics metrics(header->font());
    const int margin = 2 * style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    const int arrow = style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header) + margin;
    const QAbstractItemView *view = m_table; // sizeHintForColumn is public there
    for (int column = 0; column < QueueTableModel::ColumnCount; ++column) {
        if (column == int(QueueTableModel::Column::Note))
            continue;
        int title = 0;
        const QString text = m_model->headerData(column, Qt::Horizontal).toString();
        for (const QString &line : text.split(QLatin1Char('\n')))
            title = qMax(title, metrics.horizontalAdvance(line));
        title += margin + (header->sortIndicatorSection() == column ? arrow : 0);
        const int width = qMax(title, view->sizeHintForColumn(column)) + 8; // room to breathe
        if (width > header->sectionSize(column) || m_fittedRows != m_model->rowCount())
            header->resizeSection(column, width);
    }
    m_fittedRows = m_model->rowCount();
}

QString QueuesPage::lookedFor() const
{
    QStringList places;
    for (const auto &adapter : m_session->queues()->adapters()) {
        for (const auto &pattern : adapter->scanPatterns())
            places.append(QString::fromUtf8(pattern.match));
        for (const redis::RedisCommand &command : adapter->registryCommands()) {
            if (command.size() > 1)
                places.append(QString::fromUtf8(command.at(1)));
        }
    }
    places.removeDuplicates();
    return places.join(QStringLiteral(", "));
}

} // namespace qs::widgets
