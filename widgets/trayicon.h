#pragma once

#include "monitor/serveralerts.h"

#include <QObject>

#include <memory>
#include <optional>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace qs::widgets {

// The tray icon: its colour is the worst state of every watched server (green, amber, red),
// its tooltip lists them, and it shows a desktop notification when a server is lost, comes
// back, or turns degraded or unhealthy (transitions only, never one per poll). Where the
// desktop has no tray, the notifications still reach notified() (the window logs them).
// Its menu shows the window or quits QueueScope: the way out while the window is closed to the
// tray and QueueScope keeps polling and recording.
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
    // Whether this desktop shows a tray (QSystemTrayIcon::isSystemTrayAvailable()): only then can
    // a closed window leave QueueScope running, with a way back.
    bool isAvailable() const;
    QAction *showAction() const { return m_show; }
    QAction *quitAction() const { return m_quit; }
    // Tests: act as if the desktop had a tray (true) or had none (false); nullopt asks Qt again.
    static void setAvailableForTest(std::optional<bool> available);
    monitor::ServerNotification::Level level() const { return m_alerts.overall(); }
    QString toolTip() const;

Q_SIGNALS:
    void notified(const qs::monitor::ServerNotification &notification);
    void activated();     // the icon was clicked, or "Show QueueScope": show the window
    void quitRequested(); // "Quit QueueScope" in the tray's menu

private:
    void refresh();

    monitor::ServerAlerts m_alerts;
    QSystemTrayIcon *m_tray = nullptr;
    std::unique_ptr<QMenu> m_menu; // a QMenu wants no QObject parent
    QAction *m_show = nullptr;
    QAction *m_quit = nullptr;
};

} // namespace qs::widgets
