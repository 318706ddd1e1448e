#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>

class QCPGraph;
class QCustomPlot;
class QTimer;

namespace qs::history {
class HistoryReader;
struct RangeReply;
} // namespace qs::history

namespace qs::widgets {

// The part of a chart's visible range that its memory history does not hold, read from the
// history on disk (history::HistoryReader, off the GUI thread) into the chart's graphs, before
// the rows from memory. Asked again whenever the range changes (a pan or zoom once it has settled),
// so zooming in reads a finer tier. A range that memory holds reads nothing. The chart keeps its
// own graphs, axes and replots: shown() says when the graphs changed.
class ChartHistoryFeed final : public QObject
{
    Q_OBJECT
public:
    // One graph of the chart: the sum of these series (one for a server metric).
    struct Line
    {
        QStringList series;
        QCPGraph *graph = nullptr;
        bool zeroIsGap = false; // a limit: 0 means "none", no line at zero
    };
    static constexpr int maxPoints = 4'000; // per line: the finest tier with at most these
    static constexpr int settleMs = 150;    // a wheel or drag in progress is not read every step

    // `memoryStartMs` tells where the chart's rows from memory start (now when it has none).
    ChartHistoryFeed(QCustomPlot *plot, std::function<qint64()> memoryStartMs,
                     QObject *parent = nullptr);

    void setReader(history::HistoryReader *reader); // not owned; nullptr for none
    // The range to read, in seconds (lower, upper); unset: the plot's visible range. A chart that
    // shows less than it wants (a fresh history filling the width) asks for what it wants.
    void setWantedRange(std::function<std::pair<double, double>()> wanted);
    history::HistoryReader *reader() const { return m_reader; }
    void setLines(const QList<Line> &lines); // forgets what was read

    // Reads the plot's visible range after `delayMs`, if it reaches before memory (or something
    // read is on the graphs: it is replaced).
    void schedule(int delayMs);
    // The graphs were cleared by the chart: nothing read from disk is on them any more (a read
    // under way still lands on them).
    void forget();

    bool active() const { return m_fromMs >= 0; }  // the graphs hold points read from disk
    qint64 fromMs() const { return m_fromMs; }     // the start of what was read; -1 for none
    qint64 stepMs() const { return m_stepMs; }     // of the tier read; 0 for none
    qint64 seamMs() const { return m_seamMs; }     // points before it came from disk
    bool hasPoints() const { return m_hasPoints; } // the last read drew values

Q_SIGNALS:
    // The graphs hold what was read (stepMs 0: nothing for the range; message: why the database
    // could not be read). The chart rescales and replots.
    void shown(qint64 stepMs, const QString &message);

private:
    void read();
    void show(const history::RangeReply &reply);
    std::pair<double, double> wanted() const;

    QCustomPlot *m_plot = nullptr;
    std::function<qint64()> m_memoryStartMs;
    std::function<std::pair<double, double>()> m_wanted;
    history::HistoryReader *m_reader = nullptr;
    QList<Line> m_lines;
    QTimer *m_delay = nullptr;
    quint64 m_request = 0; // the newest read asked for
    qint64 m_fromMs = -1;
    qint64 m_stepMs = 0;
    qint64 m_seamMs = 0;
    bool m_hasPoints = false;
};

} // namespace qs::widgets
