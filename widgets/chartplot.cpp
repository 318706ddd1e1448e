#include "chartplot.h"

#include <algorithm>

namespace qs::widgets {

namespace {

QString timeFormatFor(double spanSeconds)
{
    if (spanSeconds <= 15 * 60)
        return QStringLiteral("HH:mm:ss");
    if (spanSeconds <= 36 * 3600)
        return QStringLiteral("HH:mm");
    return QStringLiteral("d MMM\nHH:mm");
}

} // namespace

ChartPlot::ChartPlot(const QString &title, const QFont &titleFont, QWidget *parent)
    : QCustomPlot(parent)
{
    // Speed over smoothness for the data: 1 px lines without antialiasing (text stays smooth).
    setNotAntialiasedElements(QCP::aePlottables | QCP::aeGrid | QCP::aeSubGrid | QCP::aeAxes |
                              QCP::aeZeroLine);
    // Nothing is drawn on the overlay: sharing the main buffer saves a full-size clear and blend.
    layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    setMouseTracking(true);
    setContextMenuPolicy(Qt::CustomContextMenu);

    // Header row: the title on the left, the legend on the right, so no data hides behind it.
    m_title = new QCPTextElement(this, title, titleFont);
    m_title->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
    m_title->setMargins(QMargins(8, 4, 8, 0));
    auto *header = new QCPLayoutGrid;
    plotLayout()->insertRow(0);
    plotLayout()->setRowStretchFactor(0, 0.01);
    plotLayout()->addElement(0, 0, header);
    header->addElement(0, 0, m_title);
    axisRect()->insetLayout()->take(legend);
    header->addElement(0, 1, legend);
    header->setColumnStretchFactor(0, 1);
    header->setColumnStretchFactor(1, 0.01);

    auto timeTicker = QSharedPointer<QCPAxisTickerDateTime>::create();
    timeTicker->setDateTimeSpec(Qt::LocalTime);
    xAxis->setTicker(timeTicker);
    m_valueTicker = QSharedPointer<ValueTicker>::create();
    yAxis->setTicker(m_valueTicker);
    for (QCPAxis *axis : {xAxis, yAxis}) {
        axis->setSubTicks(false);
        axis->grid()->setSubGridVisible(false);
    }

    legend->setVisible(true);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    legend->setIconSize(18, 8);
    legend->setMargins(QMargins(4, 4, 8, 0));
}

void ChartPlot::applyPalette(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor axisColour = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(140); // Mid at full strength competes with the data on light themes
    setBackground(palette.color(QPalette::Base));
    for (QCPAxis *axis : {xAxis, yAxis, xAxis2, yAxis2}) {
        axis->setBasePen(QPen(axisColour, 0));
        axis->setTickPen(QPen(axisColour, 0));
        axis->setSubTickPen(QPen(axisColour, 0));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 0, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    m_title->setTextColor(text);
    legend->setBrush(Qt::NoBrush);
    legend->setBorderPen(Qt::NoPen);
    legend->setTextColor(text);
}

void ChartPlot::updateTimeFormat()
{
    auto ticker = xAxis->ticker().staticCast<QCPAxisTickerDateTime>();
    const QString format = timeFormatFor(xAxis->range().size());
    if (ticker->dateTimeFormat() != format)
        ticker->setDateTimeFormat(format);
}

void ChartPlot::fitLegend()
{
    // itemCount() counts the grid's cells; a removed entry leaves an empty one (a null item).
    int items = 0;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (const QCPAbstractLegendItem *item = legend->item(i)) {
            ++items;
            widest = std::max(widest, item->minimumOuterSizeHint().width());
        }
    }
    if (items == 0)
        return;
    const QMargins margins = legend->margins();
    const QCPLayoutElement *title = m_title; // its size hint is public from the base
    const int available =
        width() - title->minimumOuterSizeHint().width() - margins.left() - margins.right();
    const int perRow = std::clamp((available + legend->columnSpacing()) /
                                      std::max(1, widest + legend->columnSpacing()),
                                  1, items);
    if (perRow == legend->wrap() && items == m_fittedLegendItems)
        return;
    m_fittedLegendItems = items;
    legend->setWrap(perRow);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    replot(QCustomPlot::rpQueuedReplot);
}

bool ChartPlot::legendFits() const
{
    const QRect plot = rect();
    for (int i = 0; i < legend->itemCount(); ++i) {
        const QCPAbstractLegendItem *item = legend->item(i);
        if (!item)
            continue;
        const QRect itemRect = item->outerRect();
        if (!plot.contains(itemRect) || itemRect.width() < item->minimumOuterSizeHint().width())
            return false;
    }
    return true;
}

} // namespace qs::widgets
