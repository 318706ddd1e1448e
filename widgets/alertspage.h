#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace qs::alerts {
class AlertEventModel;
class AlertMonitor;
} // namespace qs::alerts

namespace qs::widgets {

class InlineBanner;

// The Alerts page of a server: what fires now, the stored events newest first (fired, resolved,
// flapping; acknowledged; what the notifier did), and the snoozes. Acknowledge marks the selected
// events; Snooze keeps the selected events' rules (for their queue) from notifying anyone for a
// while. Problems with the rules files or the log are said in a banner.
class AlertsPage final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kShownEvents = 500;

    explicit AlertsPage(alerts::AlertMonitor *alerts, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    alerts::AlertEventModel *model() const { return m_model; }
    QPushButton *acknowledgeButton() const { return m_acknowledge; }
    QToolButton *snoozeButton() const { return m_snooze; }
    QString firingText() const;
    QString snoozesText() const;
    int firingCount() const;
    void refresh(); // reads the log again

    void acknowledgeSelected();
    void snoozeSelected(qint64 forMs); // 0 ends their snooze

Q_SIGNALS:
    void firingChanged(int count);

private:
    QList<int> selectedRows() const;
    void updateButtons();

    alerts::AlertMonitor *m_alerts = nullptr;
    alerts::AlertEventModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    InlineBanner *m_banner = nullptr;
    QLabel *m_firing = nullptr;
    QLabel *m_snoozes = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_acknowledge = nullptr;
    QToolButton *m_snooze = nullptr;
    int m_firingCount = -1;
};

} // namespace qs::widgets
