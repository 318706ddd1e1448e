#pragma once

#include "chartmarkers.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QCPGraph;

namespace qs::monitor {
class NodeHistory;
}

namespace qs::widgets {

class ChartPlot;

// Memory and ops/sec of each node of a cluster or Sentinel group over the last 15 minutes, one
// line per node (replicas labelled so), the failovers marked across both. Shown on the Topology
// page once more than one node is polled. refresh() appends only what is newer than the last
// sample drawn. qcustomplot.h stays in the .cpp.
class NodeCharts final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int WindowSeconds = 900;

    explicit NodeCharts(QWidget *parent = nullptr);
    ~NodeCharts() override;

    void refresh(const monitor::NodeHistory &history, const QList<ChartMarker> &markers);
    int lineCount() const { return int(m_lines.size()); }
    QStringList lineNames() const; // the memory chart's legend, in order
    QList<ChartMarker> markers() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Line
    {
        QCPGraph *memory = nullptr;
        QCPGraph *ops = nullptr;
        qint64 drawnUntilMs = 0;
    };

    void addLine(const QString &address);
    void applyPalette();

    ChartPlot *m_memory = nullptr;
    ChartPlot *m_ops = nullptr;
    std::unique_ptr<ChartMarkers> m_memoryMarkers;
    std::unique_ptr<ChartMarkers> m_opsMarkers;
    QHash<QString, Line> m_lines;
    QStringList m_order;
};

} // namespace qs::widgets
