#include "nodecharts.h"

#include "chartcolours.h"
#include "chartplot.h"

#include "monitor/nodehistory.h"

#include <QEvent>
#include <QHBoxLayout>

namespace qs::widgets {

NodeCharts::NodeCharts(QWidget *parent)
    : QWidget(parent)
{
    const QFont titleFont(font().family(), -1, QFont::Bold);
    m_memory = new ChartPlot(tr("Memory per node"), titleFont, this);
    m_memory->setValueFormat(ChartValueFormat::Bytes);
    m_ops = new ChartPlot(tr("Ops/sec per node"), titleFont, this);
    m_ops->setValueFormat(ChartValueFormat::Rate);
    m_memoryMarkers = std::make_unique<ChartMarkers>(m_memory);
    m_opsMarkers = std::make_unique<ChartMarkers>(m_ops);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_memory);
    layout->addWidget(m_ops);
    applyPalette();
}

NodeCharts::~NodeCharts() = default;

void NodeCharts::addLine(const QString &address)
{
    Line line;
    line.memory = m_memory->addGraph();
    line.ops = m_ops->addGraph();
    for (QCPGraph *graph : {line.memory, line.ops}) {
        graph->setAdaptiveSampling(true);
        graph->setPen(QPen(seriesColour(int(m_order.size())), 1));
    }
    m_lines.insert(address, line);
    m_order.append(address);
}

void NodeCharts::refresh(const monitor::NodeHistory &history, const QList<ChartMarker> &markers)
{
    for (const QString &address : history.nodes()) {
        if (!m_lines.contains(address))
            addLine(address);
        Line &line = m_lines[address];
        // Named by its role now: a failover turns a master's line into a replica's.
        const QString name =
            history.role(address) == u"replica" ? tr("%1 (replica)").arg(address) : address;
        line.memory->setName(name);
        line.ops->setName(name);
        for (const monitor::NodeHistory::Sample &sample : history.samples(address)) {
            if (sample.atMs <= line.drawnUntilMs)
                continue;
            const double key = double(sample.atMs) / 1000.0;
            line.memory->addData(key, sample.usedMemory);
            line.ops->addData(key, sample.opsPerSec);
            line.drawnUntilMs = sample.atMs;
        }
    }
    const double newest = double(history.newestMs()) / 1000.0;
    m_memoryMarkers->set(markers);
    m_opsMarkers->set(markers);
    for (ChartPlot *plot : {m_memory, m_ops}) {
        for (int i = 0; i < plot->graphCount(); ++i)
            plot->graph(i)->data()->removeBefore(newest - 3600);
        plot->xAxis->setRange(newest - WindowSeconds, newest);
        plot->yAxis->rescale(true);
        plot->yAxis->setRangeLower(0);
        if (plot->yAxis->range().upper <= 0)
            plot->yAxis->setRangeUpper(1);
        plot->updateTimeFormat();
        plot->fitLegend();
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

QStringList NodeCharts::lineNames() const
{
    QStringList names;
    for (int i = 0; i < m_memory->graphCount(); ++i)
        names << m_memory->graph(i)->name();
    return names;
}

QList<ChartMarker> NodeCharts::markers() const
{
    return m_memoryMarkers->markers();
}

void NodeCharts::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void NodeCharts::applyPalette()
{
    m_memory->applyPalette(palette());
    m_ops->applyPalette(palette());
}

} // namespace qs::widgets
