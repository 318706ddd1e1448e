#include "serverpage.h"

#include "monitor/clientlistmodel.h"
#include "monitor/slowlogmodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace qs::widgets {

ServerPage::ServerPage(QWidget *parent)
    : QWidget(parent)
    , m_inspector(new monitor::ServerInspector(this))
    , m_refreshAction(new QAction(tr("Refresh"), this))
    , m_status(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refreshAction->setToolTip(tr("Refresh now (F5). While shown, this page refreshes every %1 s.")
                                    .arg(RefreshIntervalMs / 1000));
    addAction(m_refreshAction);
    connect(m_refreshAction, &QAction::triggered, this, &ServerPage::refresh);
    auto *refreshButton = new QToolButton(this);
    refreshButton->setObjectName(QStringLiteral("refreshButton"));
    refreshButton->setDefaultAction(m_refreshAction);

    m_slowLog = createTableTab(m_inspector->slowLog(), monitor::SlowLogModel::SortRole,
                               QStringLiteral("slowLog"), tr("Reset slow log"));
    m_slowLog.filter->setPlaceholderText(tr("Filter by command or client…"));
    m_slowLog.view->sortByColumn(int(monitor::SlowLogModel::Column::Id), Qt::DescendingOrder);
    m_slowLog.view->horizontalHeader()->setSectionResizeMode(
        int(monitor::SlowLogModel::Column::Command), QHeaderView::Stretch);
    connect(m_slowLog.action, &QPushButton::clicked, this, &ServerPage::resetSlowLog);

    m_clients = createTableTab(m_inspector->clients(), monitor::ClientListModel::SortRole,
                               QStringLiteral("clients"), tr("Kill client…"));
    m_clients.filter->setPlaceholderText(tr("Filter by address, name, user, command or flags…"));
    m_clients.view->sortByColumn(int(monitor::ClientListModel::Column::Id), Qt::AscendingOrder);
    m_clients.view->horizontalHeader()->setSectionResizeMode(
        int(monitor::ClientListModel::Column::Name), QHeaderView::Stretch);
    connect(m_clients.action, &QPushButton::clicked, this, &ServerPage::killSelectedClient);
    connect(m_clients.view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ServerPage::updateActions);

    showNodeColumns(false);

    m_tabs->addTab(m_slowLog.page, tr("Slow log"));
    m_tabs->addTab(m_clients.page, tr("Clients"));
    m_tabs->addTab(createInfoTab(), tr("INFO"));

    auto *top = new QHBoxLayout;
    top->addWidget(refreshButton);
    top->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    connect(m_inspector, &monitor::ServerInspector::cleared, this, [this] {
        clearData();
        updateActions();
    });
    connect(m_inspector, &monitor::ServerInspector::refreshed, this, &ServerPage::onRefreshed);
    connect(m_inspector, &monitor::ServerInspector::actionFinished, this,
            &ServerPage::onActionFinished);
    clearData();
    updateActions();
}

ServerPage::~ServerPage() = default;

ServerPage::TableTab ServerPage::createTableTab(QAbstractItemModel *model, int sortRole,
                                                const QString &name, const QString &actionText)
{
    TableTab tab;
    tab.page = new QWidget(this);
    tab.banner = new QLabel(tab.page);
    tab.banner->setObjectName(name + QStringLiteral("Banner"));
    tab.filter = new QLineEdit(tab.page);
    tab.filter->setObjectName(name + QStringLiteral("Filter"));
    tab.filter->setClearButtonEnabled(true);
    tab.action = new QPushButton(actionText, tab.page);
    tab.action->setObjectName(name + QStringLiteral("Action"));

    tab.proxy = new QSortFilterProxyModel(this);
    tab.proxy->setSourceModel(model);
    tab.proxy->setSortRole(sortRole);
    tab.proxy->setFilterKeyColumn(-1);
    tab.proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(tab.filter, &QLineEdit::textChanged, tab.proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    tab.view = new QTableView(tab.page);
    tab.view->setObjectName(name + QStringLiteral("View"));
    tab.view->setModel(tab.proxy);
    tab.view->setSortingEnabled(true);
    tab.view->setSelectionBehavior(QAbstractItemView::SelectRows);
    tab.view->setSelectionMode(QAbstractItemView::SingleSelection);
    tab.view->setAlternatingRowColors(true);
    tab.view->setWordWrap(false);
    tab.view->verticalHeader()->hide();
    // Dense rows: an operator scans hundreds of clients; the default height fits a third as many.
    tab.view->verticalHeader()->setDefaultSectionSize(tab.view->fontMetrics().height() + 6);

    auto *bar = new QHBoxLayout;
    bar->addWidget(tab.filter, 1);
    bar->addWidget(tab.action);
    auto *layout = new QVBoxLayout(tab.page);
    layout->addWidget(tab.banner);
    layout->addLayout(bar);
    layout->addWidget(tab.view, 1);
    showBanner(tab.banner, {});
    return tab;
}

QWidget *ServerPage::createInfoTab()
{
    auto *page = new QWidget(this);
    m_infoBanner = new QLabel(page);
    m_infoBanner->setObjectName(QStringLiteral("infoBanner"));
    m_infoFilter = new QLineEdit(page);
    m_infoFilter->setObjectName(QStringLiteral("infoFilter"));
    m_infoFilter->setClearButtonEnabled(true);
    m_infoFilter->setPlaceholderText(tr("Filter by section, field or value…"));
    m_infoTree = new QTreeWidget(page);
    m_infoTree->setObjectName(QStringLiteral("infoTree"));
    m_infoTree->setHeaderLabels({tr("Field"), tr("Value")});
    m_infoTree->setUniformRowHeights(true);
    m_infoTree->setAlternatingRowColors(true);
    connect(m_infoFilter, &QLineEdit::textChanged, this, &ServerPage::applyInfoFilter);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_infoBanner);
    layout->addWidget(m_infoFilter);
    layout->addWidget(m_infoTree, 1);
    showBanner(m_infoBanner, {});
    return page;
}

void ServerPage::setConnection(redis::RedisConnection *connection)
{
    m_inspector->setConnection(connection);
}

void ServerPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_inspector->setActive(true);
}

void ServerPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_inspector->setActive(false);
}

void ServerPage::refresh()
{
    m_inspector->refresh();
}

void ServerPage::onRefreshed(const monitor::Inspection &inspection)
{
    const QString now = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    if (inspection.ok) {
        showNodeColumns(connection() && connection()->isCluster());
        showBanner(m_slowLog.banner, inspection.slowLogError);
        fitColumnsOnce(m_slowLog);
        showBanner(m_clients.banner, inspection.clientsError);
        fitColumnsOnce(m_clients);
        updateActions();
        showBanner(m_infoBanner, inspection.infoError);
        updateInfoTree(m_inspector->info());
        m_status->setText(tr("Updated %1 (%2 ms)").arg(now).arg(inspection.elapsedMs, 0, 'f', 1));
    } else {
        for (QLabel *banner : {m_slowLog.banner, m_clients.banner, m_infoBanner})
            showBanner(banner, inspection.error);
        m_status->setText(tr("Refresh failed at %1").arg(now));
    }
    Q_EMIT refreshed();
}

void ServerPage::showNodeColumns(bool cluster)
{
    const int slowLogNode = int(monitor::SlowLogModel::Column::Node);
    if (m_slowLog.view->isColumnHidden(slowLogNode) != cluster)
        return;
    m_slowLog.view->setColumnHidden(slowLogNode, !cluster);
    m_clients.view->setColumnHidden(int(monitor::ClientListModel::Column::Node), !cluster);
    // Every node numbers its own slow log: across nodes only the time orders the entries.
    m_slowLog.view->sortByColumn(
        int(cluster ? monitor::SlowLogModel::Column::Time : monitor::SlowLogModel::Column::Id),
        Qt::DescendingOrder);
}

void ServerPage::onActionFinished(monitor::ServerInspector::Part part, const QString &problem)
{
    if (!problem.isEmpty())
        showBanner(part == monitor::ServerInspector::Part::Clients ? m_clients.banner
                                                                   : m_slowLog.banner,
                   problem);
}

void ServerPage::updateInfoTree(const redis::InfoSnapshot &info)
{
    // Update items in place rather than rebuilding, so expansion and scrolling survive polls.
    const bool first = m_infoTree->topLevelItemCount() == 0;
    QHash<QString, QTreeWidgetItem *> sections;
    for (int i = 0; i < m_infoTree->topLevelItemCount(); ++i)
        sections.insert(m_infoTree->topLevelItem(i)->text(0), m_infoTree->topLevelItem(i));
    QSet<QTreeWidgetItem *> keep;
    for (const redis::InfoSection &section : info.sections) {
        QTreeWidgetItem *item = sections.value(section.name);
        if (!item) {
            item = new QTreeWidgetItem(QStringList{section.name});
            m_infoTree->insertTopLevelItem(int(keep.size()), item);
            item->setFirstColumnSpanned(true);
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
            item->setExpanded(true);
        }
        keep.insert(item);
        QHash<QString, QTreeWidgetItem *> fields;
        for (int i = 0; i < item->childCount(); ++i)
            fields.insert(item->child(i)->text(0), item->child(i));
        QSet<QTreeWidgetItem *> keepFields;
        for (const redis::InfoField &field : section.fields) {
            QTreeWidgetItem *child = fields.value(field.key);
            if (!child) {
                child = new QTreeWidgetItem(QStringList{field.key, field.value});
                item->insertChild(int(keepFields.size()), child);
            } else if (child->text(1) != field.value) {
                child->setText(1, field.value);
            }
            keepFields.insert(child);
        }
        for (int i = item->childCount() - 1; i >= 0; --i) {
            if (!keepFields.contains(item->child(i)))
                delete item->takeChild(i);
        }
    }
    for (int i = m_infoTree->topLevelItemCount() - 1; i >= 0; --i) {
        if (!keep.contains(m_infoTree->topLevelItem(i)))
            delete m_infoTree->takeTopLevelItem(i);
    }
    applyInfoFilter();
    if (first && m_infoTree->topLevelItemCount() > 0)
        m_infoTree->resizeColumnToContents(0);
}

void ServerPage::applyInfoFilter()
{
    const QString text = m_infoFilter->text().trimmed();
    for (int i = 0; i < m_infoTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *section = m_infoTree->topLevelItem(i);
        const bool sectionMatches = section->text(0).contains(text, Qt::CaseInsensitive);
        bool anyField = false;
        for (int j = 0; j < section->childCount(); ++j) {
            QTreeWidgetItem *field = section->child(j);
            const bool match = sectionMatches ||
                               field->text(0).contains(text, Qt::CaseInsensitive) ||
                               field->text(1).contains(text, Qt::CaseInsensitive);
            field->setHidden(!match);
            anyField = anyField || match;
        }
        section->setHidden(!sectionMatches && !anyField);
    }
}

void ServerPage::clearData()
{
    m_infoTree->clear();
    for (QLabel *banner : {m_slowLog.banner, m_clients.banner, m_infoBanner})
        showBanner(banner, {});
    m_status->setText(connection() ? tr("Waiting for the server…") : tr("No server connection"));
}

void ServerPage::updateActions()
{
    const bool connected = connection() != nullptr;
    const bool readOnly = m_inspector->isReadOnly();
    QString readOnlyReason;
    if (readOnly) {
        const core::ConnectionProfile &profile = connection()->profile();
        readOnlyReason = tr("Disabled: profile “%1” is read-only, so QueueScope sends nothing "
                            "that changes this server.")
                             .arg(profile.name.isEmpty() ? profile.endpoint() : profile.name);
    }
    m_slowLog.action->setEnabled(connected && !readOnly);
    m_slowLog.action->setToolTip(readOnly ? readOnlyReason
                                          : tr("Empty the server's slow log (SLOWLOG RESET)."));
    const int row = selectedClientRow();
    m_clients.action->setEnabled(connected && !readOnly && row >= 0);
    if (readOnly)
        m_clients.action->setToolTip(readOnlyReason);
    else if (row < 0)
        m_clients.action->setToolTip(tr("Select a client to close its connection."));
    else
        m_clients.action->setToolTip(tr("Close the selected client's connection (CLIENT KILL)."));
}

int ServerPage::selectedClientRow() const
{
    const QModelIndexList rows = m_clients.view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return m_clients.proxy->mapToSource(rows.first()).row();
}

void ServerPage::killSelectedClient()
{
    const int row = selectedClientRow();
    if (row < 0 || !connection() || m_inspector->isReadOnly())
        return;
    const monitor::ClientInfo client = m_inspector->clients()->client(row);
    const QString who = client.name.isEmpty()
                            ? tr("client %1 at %2").arg(QString::number(client.id), client.address)
                            : tr("client “%1” (id %2, %3)")
                                  .arg(client.name, QString::number(client.id), client.address);
    const quint64 generation = m_inspector->generation();
    const QString where = client.node.isEmpty()
                              ? serverDescription()
                              : tr("node %1 of %2").arg(client.node, serverDescription());
    if (!confirm(tr("Kill client"), tr("Kill %1 on %2?").arg(who, where),
                 tr("Redis closes that connection at once. Most clients and queue workers "
                    "reconnect by themselves."),
                 tr("Kill client")) ||
        generation != m_inspector->generation()) {
        return;
    }
    // Otherwise the view selects the neighbouring row when the killed one disappears, and the
    // button would offer to kill that one next.
    m_clients.view->selectionModel()->clear();
    updateActions();
    m_inspector->killClient(client.id, client.node); // on the node that listed it
}

void ServerPage::resetSlowLog()
{
    if (!connection() || m_inspector->isReadOnly())
        return;
    const quint64 generation = m_inspector->generation();
    if (!confirm(tr("Reset slow log"), tr("Reset the slow log of %1?").arg(serverDescription()),
                 tr("Its %n entries are discarded for everyone who looks at this server.", "",
                    m_inspector->slowLog()->rowCount()),
                 tr("Reset slow log")) ||
        generation != m_inspector->generation()) {
        return;
    }
    m_inspector->resetSlowLog();
}

bool ServerPage::confirm(const QString &title, const QString &text, const QString &informative,
                         const QString &acceptText)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                    this);
    box.setInformativeText(informative);
    box.button(QMessageBox::Yes)->setText(acceptText);
    box.setDefaultButton(QMessageBox::Cancel);
    // The box runs a nested event loop: this page may be deleted meanwhile.
    const QPointer<ServerPage> self(this);
    const bool accepted = box.exec() == QMessageBox::Yes;
    return accepted && self;
}

QString ServerPage::serverDescription() const
{
    if (!connection())
        return {};
    const core::ConnectionProfile &profile = connection()->profile();
    QString text = profile.name.isEmpty()
                       ? profile.endpoint()
                       : QStringLiteral("“%1” (%2)").arg(profile.name, profile.endpoint());
    if (!profile.environment.isEmpty())
        text += QStringLiteral(" [%1]").arg(profile.environment.toUpper());
    return text;
}

void ServerPage::showBanner(QLabel *banner, const QString &message)
{
    if (banner->styleSheet().isEmpty()) {
        banner->setWordWrap(true);
        banner->setTextFormat(Qt::PlainText); // server text may contain '<'
        banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
        banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; "
                                             "border: 1px solid #f1aeb5; border-radius: 3px; "
                                             "padding: 6px; }"));
    }
    banner->setText(message);
    banner->setVisible(!message.isEmpty());
}

void ServerPage::fitColumnsOnce(TableTab &tab)
{
    if (tab.sized || tab.proxy->rowCount() == 0)
        return;
    tab.view->resizeColumnsToContents();
    tab.sized = true;
}

} // namespace qs::widgets
