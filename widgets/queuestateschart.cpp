#include "queuestateschart.h"

#include "charthistoryfeed.h"

#include "monitor/queuehistory.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
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

struct Range
{
    const char *label;
    int seconds;
    bool stored; // offered only with the history on disk
};

const std::array<Range, 6> kRanges{{
    {QT_TRANSLATE_NOOP("QueueStatesChart", "Last 15 minutes"), 900, false},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "Last hour"), 3'600, false},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "Last 24 hours"), 86'400, true},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "Last 7 days"), 7 * 86'400, true},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "Last 30 days"), 30 * 86'400, true},
    {QT_TRANSLATE_NOOP("QueueStatesChart", "Last 90 days"), 90 * 86'400, true},
}};

} // namespace

QueueStatesChart::QueueStatesChart(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_window(new QComboBox(this))
{
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Range:"), this));
    controls->addWidget(m_window);
    controls->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_plot);
    setMinimumHeight(180);
    for (const Range &range : kRanges) {
        if (!range.stored)
            m_window->addItem(tr(range.label), range.seconds);
    }
    m_window->setToolTip(tr("Time span of the chart. Drag or wheel to pan and zoom; a "
                            "double-click follows the newest sample again."));
    connect(m_window, &QComboBox::currentIndexChanged, this,
            [this] { setWindow(m_window->currentData().toInt()); });
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            &QueueStatesChart::onRangeChanged);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { setWindow(m_windowSeconds); });
    m_feed = new ChartHistoryFeed(
        m_plot, [this] { return memoryStartMs(); }, this);
    // Following the newest sample, the chart wants its whole window even while it shows less.
    m_feed->setWantedRange([this]() -> std::pair<double, double> {
        if (!m_followLive)
            return {m_plot->xAxis->range().lower, m_plot->xAxis->range().upper};
        const double newest = double(m_lastTimestampMs > 0 ? m_lastTimestampMs
                                                           : QDateTime::currentMSecsSinceEpoch()) /
                              1000;
        return {newest - m_windowSeconds, newest};
    });
    connect(m_feed, &ChartHistoryFeed::shown, this, [this](qint64 stepMs, const QString &message) {
        if (m_followLive) // the past fills the window now
            applyXRange(m_lastTimestampMs > 0 ? m_lastTimestampMs
                                              : QDateTime::currentMSecsSinceEpoch(),
                        memoryStartMs());
        rescaleValueAxis();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        Q_EMIT storedRangeShown(stepMs, message);
    });

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
    m_feed->forget();
    refresh();
    m_feed->schedule(0);
}

void QueueStatesChart::setHistoryReader(history::HistoryReader *reader)
{
    m_feed->setReader(reader);
    const QSignalBlocker block(m_window);
    for (const Range &range : kRanges) {
        if (range.stored && reader && m_window->findData(range.seconds) < 0)
            m_window->addItem(tr(range.label), range.seconds);
        else if (range.stored && !reader && m_window->findData(range.seconds) >= 0)
            m_window->removeItem(m_window->findData(range.seconds));
    }
    setWindow(std::min(m_windowSeconds, reader ? kRanges.back().seconds : 3'600));
}

void QueueStatesChart::setStoredSeries(const QList<QStringList> &lines)
{
    QList<ChartHistoryFeed::Line> fed;
    for (qsizetype i = 0; i < lines.size() && i < m_plot->graphCount(); ++i)
        fed.append({lines.at(i), m_plot->graph(int(i)), false});
    // Nothing read from disk stays drawn for lines that no longer read it.
    if (m_feed->active()) {
        const double seam = double(m_feed->seamMs()) / 1000;
        for (int g = 0; g < m_plot->graphCount(); ++g)
            m_plot->graph(g)->data()->removeBefore(seam);
    }
    m_feed->setLines(fed);
    m_feed->schedule(0);
}

void QueueStatesChart::setWindow(int seconds)
{
    m_windowSeconds = seconds;
    if (const int index = m_window->findData(seconds); index >= 0) {
        const QSignalBlocker block(m_window);
        m_window->setCurrentIndex(index);
    }
    m_followLive = true;
    refresh();
    m_feed->schedule(0);
}

qint64 QueueStatesChart::storedStepMs() const
{
    return m_feed->stepMs();
}

qint64 QueueStatesChart::memoryStartMs() const
{
    const monitor::QueueHistory::Series *series = !m_history ? nullptr
                                                  : m_queueId.isEmpty()
                                                      ? &m_history->total()
                                                      : m_history->series(m_queueId);
    return series && series->size() > 0 ? series->at(0).timestampMs
                                        : QDateTime::currentMSecsSinceEpoch();
}

void QueueStatesChart::onRangeChanged()
{
    if (m_settingRange)
        return;
    // Only wheel and drag change the range behind our back: the user took over.
    m_followLive = false;
    rescaleValueAxis();
    m_feed->schedule(ChartHistoryFeed::settleMs);
}

void QueueStatesChart::applyXRange(qint64 newestMs, qint64 oldestMs)
{
    if (!m_followLive)
        return;
    // Unless the history on disk drew older points, a fresh history fills the width (never less
    // than a minute) instead of sitting in a sliver at the right edge.
    const double span = m_feed->hasPoints() ? double(m_windowSeconds)
                                            : std::clamp(double(newestMs - oldestMs) / 1000, 60.0,
                                                         double(m_windowSeconds));
    m_settingRange = true;
    m_plot->xAxis->setRange(double(newestMs) / 1000, span, Qt::AlignRight);
    m_settingRange = false;
    auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>();
    if (ticker)
        ticker->setDateTimeFormat(span <= 900       ? QStringLiteral("HH:mm:ss")
                                  : span <= 129'600 ? QStringLiteral("HH:mm")
                                                    : QStringLiteral("d MMM\nHH:mm"));
}

void QueueStatesChart::rescaleValueAxis()
{
    bool found = false;
    QCPRange values(0, 1);
    for (int g = 0; g < m_plot->graphCount(); ++g) {
        const QCPRange r =
            m_plot->graph(g)->getValueRange(found, QCP::sdBoth, m_plot->xAxis->range());
        if (found)
            values.expand(r);
    }
    m_plot->yAxis->setRange(0, std::max(1.0, values.upper * 1.1));
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
        // The history is bounded; keep the graphs to what it still holds (and what was read
        // from disk before it).
        double oldest = double(series->at(0).timestampMs) / 1000;
        if (m_feed->active())
            oldest = std::min(oldest, double(m_feed->fromMs()) / 1000);
        for (int g = 0; g < m_plot->graphCount(); ++g)
            m_plot->graph(g)->data()->removeBefore(oldest);
        applyXRange(m_lastTimestampMs, series->at(0).timestampMs);
    } else {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        applyXRange(now, now - qint64(m_windowSeconds) * 1000);
    }
    rescaleValueAxis();
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
