#include "topologypage.h"

#include "nodecharts.h"

#include "core/displaytext.h"
#include "monitor/topologymodel.h"
#include "session/serversession.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace qs::widgets {

TopologyPage::TopologyPage(session::ServerSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new monitor::TopologyModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_summary(new QLabel(this))
    , m_view(new QTableView(this))
    , m_charts(new NodeCharts(this))
{
    m_summary->setObjectName(QStringLiteral("topologySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(monitor::TopologyModel::SortRole);
    m_view->setObjectName(QStringLiteral("topologyView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // the topology's own order: first node first
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_charts, 2);
    m_charts->setObjectName(QStringLiteral("nodeCharts"));
    m_charts->setMinimumHeight(220);
    m_charts->hide();
    m_summary->setText(tr("Waiting for the first poll…"));
    connect(session, &session::ServerSession::polled, this, &TopologyPage::onPolled);
}

void TopologyPage::onPolled()
{
    const monitor::PollSnapshot &latest = m_session->latest();
    if (!latest.ok()) {
        if (m_shownAtMs > 0)
            m_summary->setText(
                tr("%1\nThe last poll failed: this is the topology as of %2.")
                    .arg(core::displayText(monitor::topologySummary(m_model->topology())),
                         QDateTime::fromMSecsSinceEpoch(m_shownAtMs).toString(u"HH:mm:ss")));
        return;
    }
    m_shownAtMs = latest.timestampMs;
    m_model->setTopology(latest.topology);
    m_view->setColumnHidden(int(monitor::TopologyModel::Column::Slots),
                            latest.topology.mode != redis::TopologyMode::Cluster);
    m_nodeHistory.append(latest.timestampMs, latest.topology);
    if (m_nodeHistory.nodes().size() > 1) {
        m_charts->refresh(m_nodeHistory, topologyMarkers(m_session->topologyChanges()));
        m_charts->show();
    }
    const QString summary = monitor::topologySummary(latest.topology);
    m_summary->setText(summary.isEmpty()
                           ? tr("A single server without replicas.")
                           : core::displayText(summary.left(1).toUpper() + summary.mid(1)));
    if (!m_sized && m_model->rowCount() > 0) {
        m_view->resizeColumnsToContents();
        m_sized = true;
    }
}

} // namespace qs::widgets
