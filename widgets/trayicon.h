#pragma once

#include "monitor/serveralerts.h"

#include <QObject>

class QSystemTrayIcon;

namespace qs::widgets {

// The tray icon: its colour is the worst state of every watched server (green, amber, red),
// its tooltip lists them, and it shows a desktop notification when a server is lost, comes
// back, or turns degraded or unhealthy (transitions only, never one per poll). Where the
// desktop has no tray, the notifications still reach notified() (the window logs them).
class TrayIcon final : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    void report(const monitor::ServerState &state);
    // One notification of another kind (a worker offline): shown, and passed to notified().
    void notify(const monitor::ServerNotification &notification);
    void forget(const QString &name);
    bool isVisible() const;
    monitor::ServerNotification::Level level() const { return m_alerts.overall(); }
    QString toolTip() const;

Q_SIGNALS:
    void notified(const qs::monitor::ServerNotification &notification);
    void activated(); // the icon was clicked: show the window

private:
    void refresh();

    monitor::ServerAlerts m_alerts;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace qs::widgets
