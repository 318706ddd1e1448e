#pragma once

#include <QString>
#include <QWidget>

class QCustomPlot;

namespace qs::monitor {
class QueueHistory;
}

namespace qs::widgets {

// Job states of one queue over time (waiting, active, delayed, failed), or of all queues together
// when no queue is chosen. Reads a QueueHistory; refresh() appends only the samples newer than the
// last one drawn and queues one replot. NaN samples are gaps. qcustomplot.h stays in the .cpp.
class QueueStatesChart final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int WindowSeconds = 900; // the visible time span, newest sample at the right

    explicit QueueStatesChart(QWidget *parent = nullptr);
    ~QueueStatesChart() override;

    // Not owned; must outlive the chart. Rebuilds the graphs.
    void setHistory(const monitor::QueueHistory *history);
    // An empty id shows the server-wide total. Rebuilds the graphs.
    void setQueue(const QString &queueId, const QString &title);
    QString queueId() const { return m_queueId; }
    QString title() const { return m_title; }
    void refresh();

    QCustomPlot *plot() const { return m_plot; }
    int pointCount() const; // samples drawn per line (tests)

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void applyPalette();

    QCustomPlot *m_plot = nullptr;
    const monitor::QueueHistory *m_history = nullptr;
    QString m_queueId;
    QString m_title;
    qint64 m_lastTimestampMs = 0;
};

} // namespace qs::widgets
