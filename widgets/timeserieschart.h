#pragma once

#include "chartmarkers.h"
#include "chartvalueformat.h"

#include "monitor/metric.h"

#include <QSharedPointer>
#include <QWidget>

#include <memory>
#include <vector>

class QCPGraph;
class QCustomPlot;
class QTimer;

namespace qs::monitor {
class MetricHistory;
}
namespace qs::history {
class HistoryReader;
}

namespace qs::widgets {

class ChartHistoryFeed;
class ChartPlot;

// One dashboard chart: a few metrics of a MetricHistory over time, drawn by QCustomPlot.
//
// refresh() is called once per poll and appends only the rows newer than the last one taken,
// trims data older than 24 h and queues one replot. Follow-live keeps the newest sample at the
// right edge; zooming (wheel) or panning (drag) the time axis turns it off. NaN samples are gaps.
// The plot itself is a ChartPlot; dense data is drawn by SampledGraph.
//
// With a HistoryReader (the server's history on disk) the window goes up to 90 days: whatever the
// visible range holds before the oldest row in memory is read from disk off the GUI thread, at the
// finest resolution that fits (again, finer, when the user zooms in; a pan or zoom is read once it
// settles), and drawn before the rows in memory, with a gap where nothing was recorded. A range
// within memory is the live view alone, as without a reader.
class TimeSeriesChart final : public QWidget
{
    Q_OBJECT
public:
    using ValueFormat = ChartValueFormat;

    static constexpr int maxHistorySeconds = 86'400;     // data older than this is dropped
    static constexpr int maxStoredSeconds = 90 * 86'400; // the widest window with a reader

    explicit TimeSeriesChart(const QString &title, QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    QString title() const { return m_title; }

    void addSeries(monitor::Metric metric, const QString &label = {});
    // A dashed reference line (e.g. maxmemory); not drawn while its value is 0 or NaN.
    void addLimitSeries(monitor::Metric metric, const QString &label);
    QList<monitor::Metric> metrics() const;

    void setValueFormat(ValueFormat format);
    ValueFormat valueFormat() const { return m_format; }
    // Whether the value axis always shows 0; by default on for Number, Rate and Bytes.
    void setIncludeZero(bool include);

    // Not owned; must outlive the chart or be reset with nullptr. Rebuilds the graphs.
    void setHistory(const monitor::MetricHistory *history);
    void refresh();

    // The server's history on disk, read for ranges older than the memory holds; not owned,
    // nullptr for none. Shared by every chart of a server.
    void setHistoryReader(history::HistoryReader *reader);
    // Width of the time window in seconds (10 s to 24 h; 90 days with a reader). Keeps the
    // follow-live state.
    void setWindow(int seconds);
    // A fixed range (follow-live off), read from disk where memory does not hold it.
    void setRange(qint64 fromMs, qint64 toMs);
    // The step of the history last drawn from disk (1 s, 10 s, 1 min); 0 when none is drawn.
    qint64 storedStepMs() const;
    // Where the rows in memory start: points before it came from disk.
    qint64 storedUntilMs() const;
    int window() const { return m_windowSeconds; }
    bool followLive() const { return m_followLive; }
    void setFollowLive(bool follow);

    // Events drawn across the chart (failovers): replaces the previous ones.
    void setMarkers(const QList<ChartMarker> &markers);
    const QList<ChartMarker> &markers() const;

    bool exportPng(const QString &path) const;
    bool exportCsv(const QString &path) const; // this chart's metrics over the visible range

    // Whether every legend entry has its full width inside the plot (as laid out by the last
    // replot): a narrow chart wraps its legend instead of cutting entries.
    bool legendFits() const;

    // The plot itself, for tests and benchmarks that inspect graphs or time replots.
    QCustomPlot *plot() const;

signals:
    void followLiveChanged(bool follow);
    // History read from disk is drawn (stepMs 0: there was none for the range; message says why
    // when the database could not be read).
    void storedRangeShown(qint64 stepMs, const QString &message);
    void failed(const QString &message); // an export from the context menu went wrong

protected:
    bool event(QEvent *event) override;

private:
    struct Series
    {
        monitor::Metric metric = monitor::Metric::UsedMemory;
        QCPGraph *graph = nullptr;
        bool limit = false;
    };

    void addGraph(monitor::Metric metric, const QString &label, bool limit);
    void rebuild();
    void appendRows(int from);
    void updateView();
    void applyPalette();
    void applyXRange();
    void rescaleValueAxis();
    void onRangeChanged();
    int maxWindowSeconds() const;
    qint64 memoryStartMs() const; // the oldest row in memory; now when there is none
    void feedLines();             // tells the feed which series each graph reads from disk
    void showStored(qint64 stepMs, const QString &message);
    void showToolTip(const QPoint &pos);
    void showContextMenu(const QPoint &pos);
    QString formatValue(monitor::Metric metric, double value) const;

    QString m_title;
    ChartPlot *m_plot = nullptr;
    std::vector<Series> m_series;
    const monitor::MetricHistory *m_history = nullptr;
    ValueFormat m_format = ValueFormat::Number;
    bool m_includeZero = true;
    bool m_includeZeroSet = false; // set explicitly: the format no longer decides
    int m_windowSeconds = 300;
    bool m_followLive = true;
    bool m_settingRange = false; // our own x range changes are not the user's
    bool m_haveRows = false;
    qint64 m_lastTimestampMs = 0;       // of the newest row taken from the history
    int m_rowsAtLastTimestamp = 0;      // rows taken with that timestamp (a clock step repeats it)
    ChartHistoryFeed *m_feed = nullptr; // what memory does not hold, read from disk
    std::unique_ptr<ChartMarkers> m_markers;
};

} // namespace qs::widgets
