#include "mainwindow.h"

#include "auditlogdialog.h"
#include "dashboardpage.h"
#include "logpane.h"
#include "overviewpage.h"
#include "profiledialog.h"
#include "serverview.h"
#include "statuscolors.h"
#include "trayicon.h"

#include "core/redisurl.h"
#include "core/secretstore.h"
#include "monitor/poller.h"
#include "monitor/units.h"
#include "session/profileprobe.h"
#include "session/serversession.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace qs::widgets {

MainWindow::MainWindow(core::SecretStore *secrets, const QString &profilesPath, QWidget *parent)
    : QMainWindow(parent)
    , m_secrets(secrets ? secrets : &m_noKeychain)
    , m_credentials(m_secrets)
    , m_store(profilesPath)
    , m_tray(new TrayIcon(this))
    , m_servers(new QListWidget)
    , m_pages(new QStackedWidget)
    , m_log(new LogPane)
    , m_state(new QLabel)
    , m_cost(new QLabel)
{
    setWindowTitle(QStringLiteral("QueueScope"));
    m_overview = new OverviewPage(&m_credentials);
    m_pages->addWidget(m_overview);
    m_servers->addItem(tr("Overview"));
    setCentralWidget(m_pages);
    connect(m_overview, &OverviewPage::openRequested, this, &MainWindow::openProfile);
    connect(m_overview, &OverviewPage::manageRequested, this, &MainWindow::manageProfiles);
    connect(m_overview, &OverviewPage::probeUpdated, this, [this](session::ProfileProbe *probe) {
        monitor::ServerState state;
        state.name = probe->profile().name;
        state.reachable = probe->status().state == redis::ConnectionState::Connected;
        if (probe->health())
            state.health = probe->health()->status;
        state.detail = state.reachable && probe->health()
                           ? probe->health()->reasons.join(QStringLiteral("; "))
                           : probe->status().describe();
        if (state.reachable && !probe->health())
            return; // connected, nothing polled yet: no verdict to report
        if (!state.reachable && probe->status().state == redis::ConnectionState::Connecting)
            return;
        m_tray->report(state);
    });
    connect(m_tray, &TrayIcon::notified, this, [this](const monitor::ServerNotification &n) {
        m_log->append(tr("alert"),
                      n.message.isEmpty() ? n.title : n.title + QStringLiteral(": ") + n.message);
    });
    connect(m_tray, &TrayIcon::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);

    auto *serversDock = new QDockWidget(tr("Servers"), this);
    serversDock->setObjectName(QStringLiteral("serversDock"));
    serversDock->setWidget(m_servers);
    addDockWidget(Qt::LeftDockWidgetArea, serversDock);
    m_logDock = new QDockWidget(tr("Log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);

    m_cost->setToolTip(tr("What the last poll cost: commands, round trips, bytes and time"));
    statusBar()->addWidget(m_state, 1);
    statusBar()->addPermanentWidget(m_cost);
    connect(m_servers, &QListWidget::currentRowChanged, this, [this](int row) {
        m_pages->setCurrentIndex(qMax(0, row)); // row 0 is the overview
        showCurrentStatus();
    });
    createActions();
    reloadProfiles();
    // 1280 wide (every page is checked to fit at 1280x800), never larger than the screen.
    const QSize screenSize = screen() ? screen()->availableGeometry().size() : QSize(1280, 860);
    resize(qMin(1280, screenSize.width()), qMin(860, screenSize.height()));
    resizeDocks({m_logDock}, {110}, Qt::Vertical);
    resizeDocks({serversDock}, {200}, Qt::Horizontal);
    restoreWindowState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Connect to URL…"), QKeySequence::Open, this, &MainWindow::connectToUrl);
    m_profileMenu = file->addMenu(tr("Open &profile"));
    file->addAction(tr("&Manage profiles…"), QKeySequence(Qt::CTRL | Qt::Key_P), this,
                    &MainWindow::manageProfiles);
    file->addAction(tr("Close &server"), QKeySequence::Close, this,
                    &MainWindow::closeCurrentServer);
    file->addSeparator();
    m_keepRunning = file->addAction(tr("&Keep polling in the tray when closed"));
    m_keepRunning->setCheckable(true);
    m_keepRunning->setChecked(keepsRunningInTray());
    m_keepRunning->setEnabled(m_tray->isAvailable());
    m_keepRunning->setToolTip(m_tray->isAvailable()
                                  ? tr("Closing the window leaves QueueScope in the tray, polling "
                                       "and recording history; Quit in its menu ends it")
                                  : tr("This desktop shows no tray: closing the window quits"));
    connect(m_keepRunning, &QAction::toggled, this, &MainWindow::setKeepRunningInTray);
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &MainWindow::quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Refresh now"), QKeySequence::Refresh, this, [this] {
        if (ServerView *current = currentView())
            current->session()->poller()->pollNow();
    });
    view->addAction(tr("&Overview"), QKeySequence(Qt::CTRL | Qt::Key_0), this,
                    [this] { m_servers->setCurrentRow(0); });
    const QStringList pageNames{tr("&Dashboard"), tr("&Queues"), tr("&Jobs"), tr("&Workers"),
                                tr("&Server page")};
    for (int i = 0; i < int(pageNames.size()); ++i) {
        view->addAction(pageNames.at(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                        [this, i] {
                            if (ServerView *current = currentView())
                                current->tabs()->setCurrentIndex(i);
                        });
    }
    QAction *toggleLog = m_logDock->toggleViewAction();
    toggleLog->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    view->addAction(toggleLog);
    view->addAction(tr("&Audit log…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this,
                    [this] { AuditLogDialog(this).exec(); });
}

ServerView *MainWindow::openServer(const core::ConnectionProfile &profile)
{
    auto *opened =
        new session::ServerSession(profile, session::SessionOptions::window(profile), this);
    auto *serverView = new ServerView(opened, m_pages);
    connect(serverView, &ServerView::logMessage, m_log, &LogPane::append);
    connect(serverView, &ServerView::workerAlert, this,
            [this](const QString &title, const QString &message) {
                m_tray->notify({monitor::ServerNotification::Level::Warning, title, message});
            });
    connect(serverView, &ServerView::ruleAlert, m_tray, &TrayIcon::notify);
    // The overview's status line lists every open server, so it follows them all.
    connect(opened, &session::ServerSession::statusChanged, this, [this, serverView] {
        if (serverView == currentView() || !currentView())
            showCurrentStatus();
    });
    connect(opened, &session::ServerSession::polled, this, [this, serverView] {
        if (serverView == currentView())
            showCurrentStatus();
    });
    connect(opened, &session::ServerSession::statusChanged, this,
            [this, opened, name = serverView->title()] { reportToTray(opened, name); });
    connect(opened, &session::ServerSession::healthChanged, this,
            [this, opened, name = serverView->title()] { reportToTray(opened, name); });
    m_pages->addWidget(serverView);
    auto *item = new QListWidgetItem(serverView->title(), m_servers);
    if (!profile.environment.isEmpty()) {
        item->setText(
            QStringLiteral("%1  [%2]").arg(serverView->title(), profile.environment.toUpper()));
        item->setForeground(environmentColor(profile.environment));
    }
    m_servers->setCurrentRow(m_servers->count() - 1);
    m_log->append(serverView->title(), tr("opening %1").arg(profile.displayUrl()));
    opened->open();
    return serverView;
}

ServerView *MainWindow::currentView() const
{
    return qobject_cast<ServerView *>(m_pages->currentWidget());
}

void MainWindow::connectToUrl()
{
    bool ok = false;
    const QString url = QInputDialog::getText(
        this, tr("Connect to URL"),
        tr("Redis URL (redis://, rediss:// or unix://). A password in the URL is used for this "
           "session only and never saved:"),
        QLineEdit::Normal, QStringLiteral("redis://127.0.0.1:6379"), &ok);
    if (!ok || url.trimmed().isEmpty())
        return;
    const auto profile = core::parseRedisUrl(url.trimmed());
    if (!profile) {
        QMessageBox::warning(this, tr("Connect to URL"), profile.error());
        return;
    }
    openServer(profile.value());
}

void MainWindow::closeCurrentServer()
{
    ServerView *current = currentView();
    if (!current)
        return;
    const int row = m_pages->indexOf(current);
    delete m_servers->takeItem(row);
    m_pages->removeWidget(current);
    // A closed server is no longer watched by this session (a saved profile's tile still is).
    if (!m_store.profile(current->title()))
        m_tray->forget(current->title());
    session::ServerSession *session = current->session();
    delete current;
    delete session;
    showCurrentStatus();
}

void MainWindow::showCurrentStatus()
{
    ServerView *current = currentView();
    if (!current) {
        m_state->setText(overviewStatus());
        m_cost->clear();
        setWindowTitle(QStringLiteral("QueueScope"));
        return;
    }
    const session::ServerSession *session = current->session();
    const QString problem = session->problem();
    m_state->setText(QStringLiteral("%1 — %2").arg(
        current->title(), problem.isEmpty() ? session->status().describe() : problem));
    const QString environment = session->profile().environment;
    setWindowTitle(
        environment.isEmpty()
            ? QStringLiteral("%1 — QueueScope").arg(current->title())
            : QStringLiteral("%1 [%2] — QueueScope").arg(current->title(), environment.toUpper()));
    // Only this server's own last poll: nothing at all until it has one.
    const monitor::PollSnapshot &latest = session->latest();
    const monitor::PollCost &cost = latest.cost;
    if (!latest.ok() || cost.roundTrips == 0) {
        m_cost->clear();
        return;
    }
    m_cost->setText(tr("poll: %1 cmd · %2 round trip%3 · %4 out · %5 in · %6 ms")
                        .arg(cost.commands)
                        .arg(cost.roundTrips)
                        .arg(cost.roundTrips == 1 ? QString() : QStringLiteral("s"),
                             monitor::formatBytes(cost.bytesSent),
                             monitor::formatBytes(cost.bytesReceived),
                             QString::number(cost.milliseconds, 'f', 2)));
}

QString MainWindow::overviewStatus() const
{
    QStringList open;
    for (int row = 1; row < m_pages->count(); ++row) {
        if (const auto *view = qobject_cast<ServerView *>(m_pages->widget(row))) {
            const QString problem = view->session()->problem();
            open.append(QStringLiteral("%1 (%2)").arg(
                view->title(), problem.isEmpty() ? view->session()->status().describe() : problem));
        }
    }
    const QString saved = tr("%n saved profile(s)", nullptr, int(m_store.profiles().size()));
    if (open.isEmpty())
        return tr("Overview — %1; no server open").arg(saved);
    return tr("Overview — %1; open: %2").arg(saved, open.join(QStringLiteral(", ")));
}

void MainWindow::reloadProfiles()
{
    if (const core::Result<bool> loaded = m_store.load(); !loaded)
        m_log->append(tr("profiles"), loaded.error());
    m_overview->setProfiles(m_store.profiles());
    rebuildProfileMenu();
    showCurrentStatus();
}

void MainWindow::rebuildProfileMenu()
{
    m_profileMenu->clear();
    for (const core::ConnectionProfile &profile : m_store.profiles()) {
        QString text = profile.name;
        if (!profile.environment.isEmpty())
            text += QStringLiteral("  [%1]").arg(profile.environment);
        m_profileMenu->addAction(text, this, [this, name = profile.name] { openProfile(name); });
    }
    m_profileMenu->setEnabled(!m_store.profiles().isEmpty());
}

void MainWindow::manageProfiles()
{
    ProfileDialog dialog(m_store, *m_secrets, this);
    connect(&dialog, &ProfileDialog::saved, this, &MainWindow::reloadProfiles);
    connect(&dialog, &ProfileDialog::openRequested, this, [this, &dialog](const QString &name) {
        dialog.accept();
        openProfile(name);
    });
    dialog.exec();
}

bool MainWindow::openProfile(const QString &name)
{
    const std::optional<core::ConnectionProfile> profile = m_store.profile(name);
    if (!profile)
        return false;
    for (int row = 1; row < m_pages->count(); ++row) {
        auto *view = qobject_cast<ServerView *>(m_pages->widget(row));
        if (view && view->session()->profile().name == name) {
            m_servers->setCurrentRow(row);
            return true;
        }
    }
    QPointer<MainWindow> self(this);
    m_credentials.resolveSavedProfile(*profile, [self](const core::ConnectionProfile &withSecrets,
                                                       const core::Credential &credential) {
        if (!self)
            return;
        if (!credential.keychainProblem.isEmpty()) {
            // No keychain: try without a password; ask only if the
            // server wants one.
            self->m_log->append(withSecrets.name,
                                tr("%1 — connecting without a saved password; QueueScope "
                                   "asks for one if the server wants it")
                                    .arg(credential.keychainProblem));
            self->askPasswordOnAuthError(self->openServer(withSecrets), withSecrets);
            return;
        }
        self->openServer(withSecrets);
    });
    return true;
}

void MainWindow::askPasswordOnAuthError(ServerView *view, const core::ConnectionProfile &profile)
{
    QPointer<ServerView> guard(view);
    auto *watch = new QObject(view);
    connect(view->session(), &session::ServerSession::statusChanged, watch,
            [this, guard, watch, profile](const redis::ConnectionStatus &status) {
                using Kind = redis::RedisError::Kind;
                if (status.state == redis::ConnectionState::Connected) {
                    watch->deleteLater(); // it needed no password
                    return;
                }
                if (!guard || (status.error.kind != Kind::AuthRequired &&
                               status.error.kind != Kind::AuthFailed))
                    return;
                watch->deleteLater();
                m_servers->setCurrentRow(m_pages->indexOf(guard));
                closeCurrentServer();
                openWithPassword(profile);
            });
}

void MainWindow::openWithPassword(core::ConnectionProfile profile)
{
    bool ok = false;
    const QString password = QInputDialog::getText(
        this, tr("Password for %1").arg(profile.name),
        tr("No keychain is available, so QueueScope does not store passwords.\nPassword for "
           "%1 (leave empty if it needs none; kept until QueueScope quits):")
            .arg(profile.displayUrl()),
        QLineEdit::Password, QString(), &ok);
    if (!ok)
        return;
    m_credentials.remember(profile.name, password);
    profile.password = password;
    openServer(profile);
}

void MainWindow::reportToTray(session::ServerSession *session, const QString &name)
{
    monitor::ServerState state;
    state.name = name;
    state.reachable = session->status().state == redis::ConnectionState::Connected;
    if (session->latest().ok())
        state.health = session->health().status;
    state.detail = state.reachable ? session->health().reasons.join(QStringLiteral("; "))
                                   : session->status().describe();
    if (session->status().state == redis::ConnectionState::Connecting)
        return;
    m_tray->report(state);
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

bool MainWindow::keepsRunningInTray() const
{
    return QSettings().value(QStringLiteral("tray/keepRunning"), m_tray->isAvailable()).toBool();
}

void MainWindow::setKeepRunningInTray(bool keep)
{
    QSettings().setValue(QStringLiteral("tray/keepRunning"), keep);
    if (m_keepRunning->isChecked() != keep)
        m_keepRunning->setChecked(keep);
}

void MainWindow::quit()
{
    m_quitting = true;
    if (close())
        QApplication::quit(); // the window may be hidden already: closing it ends nothing then
    m_quitting = false;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (!m_quitting && m_tray->isAvailable() && keepsRunningInTray()) {
        event->ignore();
        hide();
        m_log->append(QStringLiteral("QueueScope"),
                      tr("window closed: polling and recording go on in the tray (Quit in its "
                         "menu ends QueueScope)"));
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace qs::widgets
