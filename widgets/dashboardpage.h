#pragma once

#include <QHash>
#include <QWidget>

class QComboBox;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;

namespace qs::session {
class ServerSession;
}
namespace qs::history {
class HistoryReader;
}

namespace qs::widgets {

class KpiTile;
class TimeSeriesChart;

// The live health of one server: KPI tiles over a grid of charts, with a shared time window
// (5 min / 1 h / 24 h / 7 d / 30 d / 90 d or a custom range), follow-live and pause. Updated once
// per poll; charts replot once. Where the server's history is recorded on disk, the charts read
// what memory does not hold from it (one reader thread for the page).
class DashboardPage final : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardPage(session::ServerSession *session, QWidget *parent = nullptr);

    KpiTile *tile(const QString &id) const { return m_tiles.value(id); }
    QList<TimeSeriesChart *> charts() const { return m_charts; }
    TimeSeriesChart *chart(const QString &title) const;
    // "Unreachable: …" (or why polls fail) while this server gives no data; hidden otherwise.
    QLabel *problemLabel() const { return m_problem; }
    QComboBox *windowChoice() const { return m_window; }
    // Shows every chart over [fromMs, toMs] (follow-live off): the "Custom range…" choice.
    void showRange(qint64 fromMs, qint64 toMs);
    // Why the charts show no history from disk ("no history recorded yet"); empty when they do.
    QLabel *historyNote() const { return m_historyNote; }
    // Reads the server's history on disk for the charts (this page's thread); nullptr when the
    // session does not record history. Other pages of the server may share it.
    history::HistoryReader *historyReader() const { return m_reader; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showTopologyChanges(); // failovers as markers across every chart
    void buildTiles(QWidget *container);
    void buildCharts(QWidget *container);
    void onPolled();
    void setWindowSeconds(int seconds);
    void chooseCustomRange();
    void setFollowLive(bool follow);
    void showProblem();

    session::ServerSession *m_session = nullptr;
    QHash<QString, KpiTile *> m_tiles;
    QList<TimeSeriesChart *> m_charts;
    QComboBox *m_window = nullptr;
    QCheckBox *m_follow = nullptr;
    QCheckBox *m_pause = nullptr;
    QDoubleSpinBox *m_interval = nullptr;
    QLabel *m_problem = nullptr;
    QLabel *m_historyNote = nullptr;
    history::HistoryReader *m_reader = nullptr; // nullptr when history is not recorded
    int m_windowIndex = 0;                      // the last choice that was not "Custom range…"
    QWidget *m_chartArea = nullptr;
    bool m_hadData = false; // a poll succeeded once: the charts have something to show
};

} // namespace qs::widgets
