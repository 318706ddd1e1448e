#include "dashboardpage.h"

#include "dashboardtiles.h"
#include "kpitile.h"
#include "statuscolors.h"
#include "timerangedialog.h"
#include "timeserieschart.h"

#include "history/historyreader.h"

#include "monitor/poller.h"
#include "session/serversession.h"

#include "core/limits.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace qs::widgets {

using monitor::Metric;
using Format = TimeSeriesChart::ValueFormat;

DashboardPage::DashboardPage(session::ServerSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    auto *tiles = new QWidget;
    buildTiles(tiles);
    contentLayout->addWidget(tiles);

    auto *controls = new QHBoxLayout;
    m_window = new QComboBox;
    m_window->addItem(tr("Last 5 minutes"), 300);
    m_window->addItem(tr("Last hour"), 3600);
    m_window->addItem(tr("Last 24 hours"), 86'400);
    if (!m_session->options().historyPath.isEmpty()) {
        m_reader = new history::HistoryReader(m_session->options().historyPath, this);
        m_window->addItem(tr("Last 7 days"), 7 * 86'400);
        m_window->addItem(tr("Last 30 days"), 30 * 86'400);
        m_window->addItem(tr("Last 90 days"), 90 * 86'400);
        m_window->addItem(tr("Custom range…"), 0);
    }
    m_window->setToolTip(tr("Time window of every chart. Beyond what this session polled, the "
                            "charts show the history recorded on disk."));
    m_follow = new QCheckBox(tr("Follow live"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest point at the right edge. Zooming or panning a "
                            "chart turns this off."));
    m_pause = new QCheckBox(tr("Pause polling"));
    m_pause->setToolTip(tr("Stop polling this server (no load from QueueScope while paused)"));
    controls->addWidget(new QLabel(tr("Window:")));
    controls->addWidget(m_window);
    controls->addWidget(m_follow);
    controls->addWidget(m_pause);
    m_interval = new QDoubleSpinBox;
    m_interval->setRange(core::limits::minPollIntervalMs / 1000.0,
                         core::limits::maxPollIntervalMs / 1000.0);
    m_interval->setDecimals(1);
    m_interval->setSingleStep(0.5);
    m_interval->setSuffix(tr(" s"));
    m_interval->setValue(m_session->poller()->intervalMs() / 1000.0);
    m_interval->setToolTip(tr("Time between polls. Each poll is one round trip to the server."));
    controls->addWidget(new QLabel(tr("Poll every")));
    controls->addWidget(m_interval);
    m_historyNote = new QLabel;
    m_historyNote->setObjectName(QStringLiteral("historyNote"));
    m_historyNote->setTextFormat(Qt::PlainText);
    m_historyNote->hide();
    controls->addWidget(m_historyNote);
    controls->addStretch();
    contentLayout->addLayout(controls);

    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("dashboardProblem"));
    m_problem->setWordWrap(true);
    m_problem->setAlignment(Qt::AlignCenter);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_problem->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_problem->setFont(big);
    m_problem->setStyleSheet(
        QStringLiteral("color: %1; padding: 24px;").arg(levelColor(HealthLevel::Critical).name()));
    m_problem->hide();
    contentLayout->addWidget(m_problem);

    m_chartArea = new QWidget;
    buildCharts(m_chartArea);
    contentLayout->addWidget(m_chartArea, 1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the grid fits the width
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_window, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_window->currentData().toInt() == 0) {
            chooseCustomRange();
            return;
        }
        m_windowIndex = index;
        setWindowSeconds(m_window->currentData().toInt());
    });
    connect(m_follow, &QCheckBox::toggled, this, &DashboardPage::setFollowLive);
    connect(m_pause, &QCheckBox::toggled, this, [this](bool paused) {
        if (paused)
            m_session->poller()->stop();
        else
            m_session->poller()->start();
    });
    connect(m_interval, &QDoubleSpinBox::valueChanged, this,
            [this](double seconds) { m_session->poller()->setIntervalMs(int(seconds * 1000)); });
    connect(m_session, &session::ServerSession::polled, this, &DashboardPage::onPolled);
    connect(m_session, &session::ServerSession::statusChanged, this, &DashboardPage::showProblem);
    connect(m_session, &session::ServerSession::topologyChanged, this,
            &DashboardPage::showTopologyChanges);
    setWindowSeconds(300);
    showProblem();
}

void DashboardPage::showTopologyChanges()
{
    const QList<ChartMarker> markers = topologyMarkers(m_session->topologyChanges());
    for (TimeSeriesChart *chart : std::as_const(m_charts))
        chart->setMarkers(markers);
}

void DashboardPage::showProblem()
{
    // Empty 0-1 charts say nothing; an unreachable server says why, on its own page. Charts
    // that already hold data stay (with a gap) below the message.
    const QString problem = m_session->problem();
    m_problem->setText(problem.isEmpty() ? QString()
                                         : problem.left(1).toUpper() + problem.mid(1) +
                                               tr(". QueueScope keeps trying."));
    m_problem->setVisible(!problem.isEmpty());
    m_hadData = m_hadData || (m_session->latest().ok() && m_session->latest().timestampMs > 0);
    m_chartArea->setVisible(problem.isEmpty() || m_hadData);
}

void DashboardPage::buildTiles(QWidget *container)
{
    auto *grid = new QGridLayout(container);
    grid->setContentsMargins(0, 0, 0, 0);
    const QList<QPair<QString, QString>> tiles = dashboardTileTitles();
    const int columns = 6;
    for (int i = 0; i < tiles.size(); ++i) {
        auto *tile = new KpiTile(tiles.at(i).second, container);
        tile->setObjectName(QStringLiteral("tile-") + tiles.at(i).first);
        m_tiles.insert(tiles.at(i).first, tile);
        grid->addWidget(tile, i / columns, i % columns);
    }
}

void DashboardPage::buildCharts(QWidget *container)
{
    auto *grid = new QGridLayout(container);
    grid->setContentsMargins(0, 0, 0, 0);
    auto add = [&](const QString &title, Format format, QList<Metric> metrics) {
        auto *chart = new TimeSeriesChart(title, container);
        chart->setValueFormat(format);
        for (Metric metric : metrics)
            chart->addSeries(metric);
        chart->setHistory(&m_session->history());
        chart->setHistoryReader(m_reader);
        connect(chart, &TimeSeriesChart::storedRangeShown, this,
                [this](qint64, const QString &message) {
                    m_historyNote->setText(message.isEmpty() ? QString()
                                                             : tr("History: %1").arg(message));
                    m_historyNote->setVisible(!message.isEmpty());
                });
        chart->setMinimumHeight(220);
        chart->setMinimumWidth(260); // overrides the plot's legend-wide size hint: no clipping
        connect(chart, &TimeSeriesChart::followLiveChanged, this, [this](bool follow) {
            if (!follow)
                m_follow->setChecked(false);
        });
        const int index = int(m_charts.size());
        grid->addWidget(chart, index / 2, index % 2);
        m_charts.append(chart);
        return chart;
    };
    add(tr("Memory"), Format::Bytes, {Metric::UsedMemory, Metric::RssMemory})
        ->addLimitSeries(Metric::MaxMemory, tr("maxmemory"));
    add(tr("Operations per second"), Format::Rate, {Metric::OpsPerSec});
    add(tr("Clients"), Format::Number, {Metric::ConnectedClients, Metric::BlockedClients});
    add(tr("Network (kbit/s)"), Format::Rate, {Metric::NetInKbps, Metric::NetOutKbps});
    add(tr("Hit rate"), Format::Percent, {Metric::HitRatePercent});
    add(tr("Evictions and expirations per second"), Format::Rate,
        {Metric::EvictedPerSec, Metric::ExpiredPerSec});
    add(tr("CPU (% of one core)"), Format::Percent, {Metric::CpuPercent});
    add(tr("Fragmentation ratio"), Format::Number, {Metric::Fragmentation});
}

TimeSeriesChart *DashboardPage::chart(const QString &title) const
{
    for (TimeSeriesChart *chart : m_charts) {
        if (chart->title() == title)
            return chart;
    }
    return nullptr;
}

void DashboardPage::onPolled()
{
    showProblem();
    updateDashboardTiles(m_tiles, *m_session);
    if (!isVisible())
        return; // hidden: the history keeps growing; charts catch up when shown
    for (TimeSeriesChart *chart : m_charts)
        chart->refresh();
}

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    for (TimeSeriesChart *chart : m_charts)
        chart->refresh();
}

void DashboardPage::setWindowSeconds(int seconds)
{
    for (TimeSeriesChart *chart : m_charts)
        chart->setWindow(seconds);
}

void DashboardPage::chooseCustomRange()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TimeRangeDialog dialog(now - 86'400'000, now, this);
    // Back to the last fixed window in the list: "Custom range…" is a command, not a state.
    const QSignalBlocker block(m_window);
    m_window->setCurrentIndex(m_windowIndex);
    if (dialog.exec() == QDialog::Accepted)
        showRange(dialog.fromMs(), dialog.toMs());
}

void DashboardPage::showRange(qint64 fromMs, qint64 toMs)
{
    m_follow->setChecked(false);
    for (TimeSeriesChart *chart : m_charts)
        chart->setRange(fromMs, toMs);
}

void DashboardPage::setFollowLive(bool follow)
{
    for (TimeSeriesChart *chart : m_charts)
        chart->setFollowLive(follow);
}

} // namespace qs::widgets
