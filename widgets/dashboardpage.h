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

namespace qs::widgets {

class KpiTile;
class TimeSeriesChart;

// The live health of one server: KPI tiles over a grid of charts, with a shared time window
// (5 min / 1 h / 24 h), follow-live and pause. Updated once per poll; charts replot once.
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

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildTiles(QWidget *container);
    void buildCharts(QWidget *container);
    void onPolled();
    void setWindowSeconds(int seconds);
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
    QWidget *m_chartArea = nullptr;
    bool m_hadData = false; // a poll succeeded once: the charts have something to show
};

} // namespace qs::widgets
