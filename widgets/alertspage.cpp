#include "alertspage.h"

#include "inlinebanner.h"
#include "statuscolors.h"

#include "alerts/alerteventmodel.h"
#include "alerts/alertmonitor.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace qs::widgets {

namespace {

using alerts::AlertEventModel;

// Colours the events that want someone's attention (fired or flapping, not acknowledged).
class AttentionProxy final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::ForegroundRole) {
            const QVariant severity =
                QSortFilterProxyModel::data(index, AlertEventModel::AttentionRole);
            if (!severity.isNull())
                return levelColor(severity.toInt() == int(alerts::Severity::Critical)
                                      ? HealthLevel::Critical
                                      : HealthLevel::Warning);
        }
        return QSortFilterProxyModel::data(index, role);
    }
};

} // namespace

AlertsPage::AlertsPage(alerts::AlertMonitor *alerts, QWidget *parent)
    : QWidget(parent)
    , m_alerts(alerts)
    , m_model(new AlertEventModel(this))
    , m_proxy(new AttentionProxy(this))
    , m_banner(new InlineBanner(this))
    , m_firing(new QLabel(this))
    , m_snoozes(new QLabel(this))
    , m_view(new QTableView(this))
    , m_acknowledge(new QPushButton(tr("&Acknowledge"), this))
    , m_snooze(new QToolButton(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AlertEventModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(int(AlertEventModel::Column::Time), Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    // At most kShownEvents rows: fitting the columns to them is cheap.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(int(AlertEventModel::Column::Message),
                                                     QHeaderView::Stretch);
    m_view->setWordWrap(false);
    m_firing->setObjectName(QStringLiteral("alertsFiring"));
    m_firing->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_snoozes->setObjectName(QStringLiteral("alertsSnoozes"));
    m_snoozes->setWordWrap(true);

    m_acknowledge->setToolTip(tr("Mark the selected events as seen by someone"));
    m_snooze->setText(tr("&Snooze"));
    m_snooze->setToolTip(tr("Notify nobody of the selected events' rules (for their queue) for "
                            "a while; the events are still recorded"));
    m_snooze->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_snooze);
    for (const auto &[label, ms] : {std::pair{tr("For 1 hour"), qint64(3'600'000)},
                                    std::pair{tr("For 8 hours"), qint64(8 * 3'600'000)},
                                    std::pair{tr("For 24 hours"), qint64(24 * 3'600'000)},
                                    std::pair{tr("End the snooze"), qint64(0)}})
        menu->addAction(label, this, [this, ms = ms] { snoozeSelected(ms); });
    m_snooze->setMenu(menu);
    auto *reload = new QPushButton(tr("&Reload rules"), this);
    reload->setToolTip(tr("Read alerts.json and the profile's rules file again"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_firing, 1);
    buttons->addWidget(m_acknowledge);
    buttons->addWidget(m_snooze);
    buttons->addWidget(reload);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_snoozes);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertsPage::updateButtons);
    connect(m_acknowledge, &QPushButton::clicked, this, &AlertsPage::acknowledgeSelected);
    connect(reload, &QPushButton::clicked, this, [this] {
        m_alerts->reloadRules();
        refresh();
    });
    connect(m_alerts, &alerts::AlertMonitor::eventsAdded, this, &AlertsPage::refresh);
    connect(m_alerts, &alerts::AlertMonitor::notified, this, &AlertsPage::refresh);
    connect(m_alerts, &alerts::AlertMonitor::changed, this, &AlertsPage::refresh);
    refresh();
}

void AlertsPage::refresh()
{
    m_model->setEvents(m_alerts->log().events(kShownEvents));
    const QString message = m_alerts->message();
    if (message.isEmpty())
        m_banner->clear();
    else
        m_banner->showMessage(message, HealthLevel::Warning);
    m_firing->setText(firingText());
    m_snoozes->setText(snoozesText());
    m_snoozes->setVisible(!m_snoozes->text().isEmpty());
    updateButtons();
    if (const int count = firingCount(); count != m_firingCount) {
        m_firingCount = count;
        Q_EMIT firingChanged(count);
    }
}

int AlertsPage::firingCount() const
{
    return int(m_alerts->engine().firing().size());
}

QString AlertsPage::firingText() const
{
    const QList<alerts::AlertEvent> firing = m_alerts->engine().firing();
    if (firing.isEmpty())
        return tr("Nothing fires now.");
    QStringList names;
    for (const alerts::AlertEvent &event : firing)
        names << (event.queue.isEmpty() ? event.rule
                                        : QStringLiteral("%1 (%2)").arg(event.rule, event.queue));
    return tr("Firing now: %1").arg(names.join(QStringLiteral(", ")));
}

QString AlertsPage::snoozesText() const
{
    QStringList parts;
    for (const alerts::AlertSnooze &snooze :
         m_alerts->log().snoozes(QDateTime::currentMSecsSinceEpoch()))
        parts << tr("%1%2 until %3")
                     .arg(snooze.rule,
                          snooze.queue.isEmpty() ? QString() : QStringLiteral(" @ ") + snooze.queue,
                          QDateTime::fromMSecsSinceEpoch(snooze.untilMs)
                              .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    return parts.isEmpty() ? QString() : tr("Snoozed: %1").arg(parts.join(QStringLiteral("; ")));
}

QList<int> AlertsPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << m_proxy->mapToSource(index).row();
    return rows;
}

void AlertsPage::updateButtons()
{
    bool unacknowledged = false;
    const QList<int> rows = selectedRows();
    for (int row : rows)
        unacknowledged = unacknowledged || !m_model->eventAt(row).acknowledgedMs;
    m_acknowledge->setEnabled(unacknowledged);
    m_snooze->setEnabled(!rows.isEmpty());
}

void AlertsPage::acknowledgeSelected()
{
    QList<qint64> ids;
    for (int row : selectedRows())
        ids << m_model->eventAt(row).id;
    for (qint64 id : std::as_const(ids))
        m_alerts->acknowledge(id);
}

void AlertsPage::snoozeSelected(qint64 forMs)
{
    QList<std::pair<QString, QString>> targets;
    for (int row : selectedRows()) {
        const alerts::AlertEvent &event = m_model->eventAt(row).event;
        if (!targets.contains(std::pair{event.rule, event.queue}))
            targets << std::pair{event.rule, event.queue};
    }
    const qint64 until = forMs > 0 ? QDateTime::currentMSecsSinceEpoch() + forMs : 0;
    for (const auto &[rule, queue] : std::as_const(targets))
        m_alerts->snooze(rule, queue, until);
}

} // namespace qs::widgets
