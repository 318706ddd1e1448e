#include "chartmarkers.h"

#include "monitor/topologychanges.h"

#include <QCoreApplication>

#include <qcustomplot.h>

#include <cmath>

namespace qs::widgets {

QList<ChartMarker> topologyMarkers(const QList<monitor::TopologyChange> &changes)
{
    const QString failover = QCoreApplication::translate("qs::widgets::ChartMarkers", "failover");
    const QString node = QCoreApplication::translate("qs::widgets::ChartMarkers", "node");
    QList<ChartMarker> markers;
    for (const monitor::TopologyChange &change : changes) {
        // What one poll saw is one event (a promoted replica and its demoted master, a node
        // failing as its replica takes over): one marker, every sentence in its tooltip.
        if (!markers.isEmpty() && markers.last().atMs == change.atMs) {
            ChartMarker &same = markers.last();
            same.label = change.failover ? failover : same.label;
            same.detail += u'\n' + change.summary;
            continue;
        }
        markers.append({change.atMs, change.failover ? failover : node, change.summary});
    }
    return markers;
}

void ChartMarkers::set(const QList<ChartMarker> &markers)
{
    if (markers == m_markers)
        return;
    for (QCPAbstractItem *item : std::as_const(m_items))
        m_plot->removeItem(item);
    m_items.clear();
    m_markers = markers;
    const QColor colour = m_plot->palette().color(QPalette::Text);
    QPen pen(colour, 1, Qt::DashLine);
    for (const ChartMarker &marker : markers) {
        const double x = double(marker.atMs) / 1000.0;
        auto *line = new QCPItemStraightLine(m_plot);
        line->setPen(pen);
        line->setSelectable(false);
        line->point1->setTypeX(QCPItemPosition::ptPlotCoords);
        line->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
        line->point1->setCoords(x, 0);
        line->point2->setTypeX(QCPItemPosition::ptPlotCoords);
        line->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
        line->point2->setCoords(x, 1);
        auto *text = new QCPItemText(m_plot);
        text->setText(marker.label);
        text->setColor(colour);
        text->setSelectable(false);
        text->setClipToAxisRect(true);
        // Left of the line: a live chart has its newest markers at the right edge, which
        // would cut a label drawn to their right.
        text->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        text->position->setTypeX(QCPItemPosition::ptPlotCoords);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(x, 0);
        text->setPadding(QMargins(3, 1, 3, 1));
        QColor behind = m_plot->palette().color(QPalette::Base); // readable over the lines
        behind.setAlpha(210);
        text->setBrush(behind);
        text->setPen(Qt::NoPen);
        m_items << line << text;
    }
}

const ChartMarker *ChartMarkers::near(double x, double pixels) const
{
    for (const ChartMarker &marker : m_markers) {
        const double at = m_plot->xAxis->coordToPixel(double(marker.atMs) / 1000.0);
        if (std::abs(at - x) <= pixels)
            return &marker;
    }
    return nullptr;
}

} // namespace qs::widgets
