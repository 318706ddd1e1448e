#pragma once

#include "core/connectionprofile.h"
#include "core/credentialresolver.h"
#include "core/profilestore.h"
#include "core/secretstore.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QDockWidget;

namespace qs::session {
class ProfileProbe;
class ServerSession;
} // namespace qs::session

namespace qs::widgets {

class LogPane;
class OverviewPage;
class ServerView;
class TrayIcon;

// The window: the overview of every saved profile and the open servers on the left, the
// selected one's pages in the middle, a log pane at the bottom, connection state and the
// poller's own cost in the status bar, and a tray icon with the overall state.
// `secrets` is where saved profiles' passwords live (the OS keychain in the app); without one,
// QueueScope asks for a password when it opens a profile and keeps it for the session only.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(core::SecretStore *secrets = nullptr,
                        const QString &profilesPath = core::ProfileStore::defaultPath(),
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerView *openServer(const core::ConnectionProfile &profile);
    // Opens a saved profile (its password from the keychain, or asked for); an open one is
    // shown instead. False when there is no such profile.
    bool openProfile(const QString &name);
    void manageProfiles();
    ServerView *currentView() const;
    LogPane *logPane() const { return m_log; }
    OverviewPage *overview() const { return m_overview; }
    QLabel *statusText() const { return m_state; } // connection state or problem
    QLabel *costText() const { return m_cost; }    // the current server's last poll cost
    TrayIcon *tray() const { return m_tray; }
    core::ProfileStore &profiles() { return m_store; }

    // Closing the window keeps QueueScope polling and recording in the tray (setting
    // "tray/keepRunning"; on by default where the desktop has a tray). Only where a tray is
    // shown: without one a hidden window could not come back.
    bool keepsRunningInTray() const;
    void setKeepRunningInTray(bool keep);
    QAction *keepRunningAction() const { return m_keepRunning; }
    // Ends QueueScope, even when closing would keep it in the tray (File > Quit, the tray's Quit).
    void quit();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void connectToUrl();
    void closeCurrentServer();
    void showCurrentStatus();
    QString overviewStatus() const;
    void restoreWindowState();
    void reloadProfiles();
    void rebuildProfileMenu();
    void reportToTray(session::ServerSession *session, const QString &name);
    void openWithPassword(core::ConnectionProfile profile);
    void askPasswordOnAuthError(ServerView *view, const core::ConnectionProfile &profile);

    core::NoSecretStore m_noKeychain;
    core::SecretStore *m_secrets = nullptr; // never null: m_noKeychain when none was given
    core::CredentialResolver m_credentials; // keychain + passwords typed when there is none
    core::ProfileStore m_store;
    QMenu *m_profileMenu = nullptr;
    TrayIcon *m_tray = nullptr;
    QListWidget *m_servers = nullptr;
    QStackedWidget *m_pages = nullptr;
    OverviewPage *m_overview = nullptr;
    LogPane *m_log = nullptr;
    QDockWidget *m_logDock = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_cost = nullptr;
    QAction *m_keepRunning = nullptr;
    bool m_quitting = false;
};

} // namespace qs::widgets
