#pragma once

#include "core/connectionprofile.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;
class QDockWidget;

namespace qs::monitor {
class ServerSession;
}

namespace qs::widgets {

class LogPane;
class ServerView;

// The window: open servers on the left, the selected server's pages in the middle, a log pane
// at the bottom, connection state and the poller's own cost in the status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerView *openServer(const core::ConnectionProfile &profile);
    ServerView *currentView() const;
    LogPane *logPane() const { return m_log; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void connectToUrl();
    void closeCurrentServer();
    void showCurrentStatus();
    void restoreWindowState();

    QListWidget *m_servers = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_welcome = nullptr;
    LogPane *m_log = nullptr;
    QDockWidget *m_logDock = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_cost = nullptr;
};

} // namespace qs::widgets
