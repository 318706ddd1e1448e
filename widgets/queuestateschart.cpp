#include "queuestateschart.h"

#include "monitor/queuehistory.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>

namespace qs::widgets {

namespace {

using Sample = monitor::QueueHistory::Sample;

struct Line
{
    const char *label;
    double Sample::*value;
    QRgb colour; // mid-luminance, readable on light and dark bases (as the dashboard's charts)
};

const std::array<Line, 4> kLines{{
    {QT_TRANSLATE_NOOP("QueueStatesChart", "waiting"), &Sample::waiting, 0x3a7bd5},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "active"), &Sample::active, 0x2e9e44},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "delayed"), &Sample::delayed, 0xd9730d},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "failed"), &Sample::failed, 0xd9434e},
}};

} // namespace

QueueStatesChart::QueueStatesChart(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumHeight(180);

    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("jobs"));
    for (const Line &line : kLines) {
        QCPGraph *graph = m_plot->addGraph();
        graph->setName(tr(line.label));
        graph->setPen(QPen(QColor(line.colour), 1)); // thin pens keep long histories cheap
    }
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, QString()));
    applyPalette();
    setQueue({}, tr("All queues"));
}

QueueStatesChart::~QueueStatesChart() = default;

void QueueStatesChart::setHistory(const monitor::QueueHistory *history)
{
    m_history = history;
    rebuild();
}

void QueueStatesChart::setQueue(const QString &queueId, const QString &title)
{
    m_queueId = queueId;
    m_title = title;
    if (auto *text = qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0)))
        text->setText(tr("Job states — %1").arg(title));
    rebuild();
}

int QueueStatesChart::pointCount() const
{
    return m_plot->graph(0)->dataCount();
}

void QueueStatesChart::rebuild()
{
    for (int i = 0; i < m_plot->graphCount(); ++i)
        m_plot->graph(i)->data()->clear();
    m_lastTimestampMs = 0;
    refresh();
}

void QueueStatesChart::refresh()
{
    if (!m_history) {
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const monitor::QueueHistory::Series *series =
        m_queueId.isEmpty() ? &m_history->total() : m_history->series(m_queueId);
    if (series && series->size() > 0) {
        // Samples arrive in time order: only those after the newest drawn one are new.
        int first = series->size();
        while (first > 0 && series->at(first - 1).timestampMs > m_lastTimestampMs)
            --first;
        for (int i = first; i < series->size(); ++i) {
            const Sample &sample = series->at(i);
            for (int g = 0; g < int(kLines.size()); ++g)
                m_plot->graph(g)->addData(double(sample.timestampMs) / 1000,
                                          sample.*(kLines[g].value));
        }
        m_lastTimestampMs = series->latest().timestampMs;
        // The history is bounded; keep the graphs to what it still holds.
        const double oldest = double(series->at(0).timestampMs) / 1000;
        for (int g = 0; g < m_plot->graphCount(); ++g)
            m_plot->graph(g)->data()->removeBefore(oldest);
        const double newest = double(m_lastTimestampMs) / 1000;
        // Up to WindowSeconds of the newest data, never less than a minute: a fresh history
        // fills the width instead of sitting in a sliver at the right edge.
        const double span = std::clamp(newest - oldest, 60.0, double(WindowSeconds));
        m_plot->xAxis->setRange(newest, span, Qt::AlignRight);
        bool found = false;
        QCPRange values(0, 1);
        for (int g = 0; g < m_plot->graphCount(); ++g) {
            const QCPRange r =
                m_plot->graph(g)->getValueRange(found, QCP::sdBoth, m_plot->xAxis->range());
            if (found)
                values.expand(r);
        }
        m_plot->yAxis->setRange(0, std::max(1.0, values.upper * 1.1));
    } else {
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000;
        m_plot->xAxis->setRange(now, WindowSeconds, Qt::AlignRight);
        m_plot->yAxis->setRange(0, 1);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void QueueStatesChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void QueueStatesChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    m_plot->setBackground(pal.brush(QPalette::Base));
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setBasePen(QPen(text, 1));
        axis->setTickPen(QPen(text, 1));
        axis->setSubTickPen(QPen(text, 1));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
    }
    m_plot->legend->setTextColor(text);
    m_plot->legend->setBorderPen(Qt::NoPen);
    if (auto *title = qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0)))
        title->setTextColor(text);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace qs::widgets
