#pragma once

#include <QString>
#include <QWidget>

class QComboBox;
class QCustomPlot;

namespace qs::monitor {
class QueueHistory;
}
namespace qs::history {
class HistoryReader;
}

namespace qs::widgets {

class ChartHistoryFeed;

// Job states of one queue over time (waiting, active, delayed, failed), or of all queues together
// when no queue is chosen. Reads a QueueHistory; refresh() appends only the samples newer than the
// last one drawn and queues one replot. NaN samples are gaps. qcustomplot.h stays in the .cpp.
//
// The range (15 min, 1 h; with the server's history on disk also 24 h, 7 d, 30 d, 90 d) follows
// the newest sample until the user pans or zooms (double-click follows again). With a reader, a
// queue's range before its memory is read from disk (ChartHistoryFeed: each line the sum of the
// framework's states that mean it), at a finer tier when zoomed in, with gaps where nothing was
// recorded. The all-queues total shows memory only.
class QueueStatesChart final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int WindowSeconds = 900; // the default span, newest sample at the right

    explicit QueueStatesChart(QWidget *parent = nullptr);
    ~QueueStatesChart() override;

    // Not owned; must outlive the chart. Rebuilds the graphs.
    void setHistory(const monitor::QueueHistory *history);
    // An empty id shows the server-wide total. Rebuilds the graphs.
    void setQueue(const QString &queueId, const QString &title);
    QString queueId() const { return m_queueId; }
    QString title() const { return m_title; }
    void refresh();

    // The server's history on disk; not owned, nullptr for none. Offers the longer ranges.
    void setHistoryReader(history::HistoryReader *reader);
    // The series on disk of each line (waiting, active, delayed, failed) of the charted queue,
    // each the sum of its series; empty when the chart shows no stored history (the total).
    void setStoredSeries(const QList<QStringList> &lines);
    void setWindow(int seconds); // the visible span; follows the newest sample again
    int window() const { return m_windowSeconds; }
    QComboBox *windowChoice() const { return m_window; }
    bool followLive() const { return m_followLive; }
    qint64 storedStepMs() const; // of the history drawn from disk; 0 when none

    QCustomPlot *plot() const { return m_plot; }
    int pointCount() const; // samples drawn per line (tests)

Q_SIGNALS:
    void storedRangeShown(qint64 stepMs, const QString &message); // history from disk drawn

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void applyPalette();
    void applyXRange(qint64 newestMs, qint64 oldestMs);
    void rescaleValueAxis();
    void onRangeChanged();
    qint64 memoryStartMs() const;

    QCustomPlot *m_plot = nullptr;
    QComboBox *m_window = nullptr;
    ChartHistoryFeed *m_feed = nullptr;
    int m_windowSeconds = WindowSeconds;
    bool m_followLive = true;
    bool m_settingRange = false; // our own x range changes are not the user's
    const monitor::QueueHistory *m_history = nullptr;
    QString m_queueId;
    QString m_title;
    qint64 m_lastTimestampMs = 0;
};

} // namespace qs::widgets
