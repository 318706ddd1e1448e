#pragma once

#include <QList>
#include <QString>

namespace qs::monitor {
struct TopologyChange;
}

class QCustomPlot;
class QCPAbstractItem;

namespace qs::widgets {

// An event drawn across a chart at a moment (a failover): a dashed vertical line with a short
// label at its top left; the full text is the label's tooltip on the chart.
struct ChartMarker
{
    qint64 atMs = 0;
    QString label;  // a word or two: "failover"
    QString detail; // the whole sentence
    bool operator==(const ChartMarker &) const = default;
};

// Failovers (and cluster nodes failing or back) as markers: "failover" or "node", the sentence;
// the changes one poll saw share one marker (its sentences one per line).
QList<ChartMarker> topologyMarkers(const QList<monitor::TopologyChange> &changes);

// The markers of one plot: set() replaces them (the plot is replotted by its owner).
class ChartMarkers
{
public:
    explicit ChartMarkers(QCustomPlot *plot)
        : m_plot(plot)
    {
    }

    void set(const QList<ChartMarker> &markers);
    const QList<ChartMarker> &markers() const { return m_markers; }
    // The marker drawn within `pixels` of x (in the plot's pixel coordinates), if any.
    const ChartMarker *near(double x, double pixels = 4) const;

private:
    QCustomPlot *m_plot = nullptr;
    QList<ChartMarker> m_markers;
    QList<QCPAbstractItem *> m_items;
};

} // namespace qs::widgets
