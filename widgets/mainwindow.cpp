#include "mainwindow.h"

#include "auditlogdialog.h"
#include "dashboardpage.h"
#include "logpane.h"
#include "serverview.h"

#include "core/redisurl.h"
#include "monitor/poller.h"
#include "monitor/serversession.h"
#include "monitor/units.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace qs::widgets {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_servers(new QListWidget)
    , m_pages(new QStackedWidget)
    , m_log(new LogPane)
    , m_state(new QLabel(tr("No server open")))
    , m_cost(new QLabel)
{
    setWindowTitle(QStringLiteral("QueueScope"));
    auto *welcome = new QLabel(tr("<h2>QueueScope</h2><p>Open a server with <b>File → Connect to "
                                  "URL…</b> (Ctrl+O),<br>or start with <tt>queuescope --url "
                                  "redis://host:6379</tt>.</p>"));
    welcome->setAlignment(Qt::AlignCenter);
    m_welcome = welcome;
    m_pages->addWidget(m_welcome);
    setCentralWidget(m_pages);

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
        m_pages->setCurrentIndex(row < 0 ? 0 : row + 1);
        showCurrentStatus();
    });
    createActions();
    resize(1280, 860);
    resizeDocks({m_logDock}, {110}, Qt::Vertical);
    resizeDocks({serversDock}, {200}, Qt::Horizontal);
    restoreWindowState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Connect to URL…"), QKeySequence::Open, this, &MainWindow::connectToUrl);
    file->addAction(tr("Close &server"), QKeySequence::Close, this,
                    &MainWindow::closeCurrentServer);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Refresh now"), QKeySequence::Refresh, this, [this] {
        if (ServerView *current = currentView())
            current->session()->poller()->pollNow();
    });
    const QStringList pageNames{tr("&Dashboard"), tr("&Queues"), tr("&Jobs"), tr("&Server page")};
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
    auto *session = new monitor::ServerSession(profile, this);
    auto *serverView = new ServerView(session, m_pages);
    connect(serverView, &ServerView::logMessage, m_log, &LogPane::append);
    connect(session, &monitor::ServerSession::statusChanged, this, [this, serverView] {
        if (serverView == currentView())
            showCurrentStatus();
    });
    connect(session, &monitor::ServerSession::polled, this, [this, serverView] {
        if (serverView == currentView())
            showCurrentStatus();
    });
    m_pages->addWidget(serverView);
    m_servers->addItem(serverView->title());
    m_servers->setCurrentRow(m_servers->count() - 1);
    m_log->append(serverView->title(), tr("opening %1").arg(profile.displayUrl()));
    session->open();
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
    const int row = m_pages->indexOf(current) - 1;
    delete m_servers->takeItem(row);
    m_pages->removeWidget(current);
    monitor::ServerSession *session = current->session();
    delete current;
    delete session;
    showCurrentStatus();
}

void MainWindow::showCurrentStatus()
{
    ServerView *current = currentView();
    if (!current) {
        m_state->setText(tr("No server open"));
        m_cost->clear();
        setWindowTitle(QStringLiteral("QueueScope"));
        return;
    }
    const monitor::ServerSession *session = current->session();
    m_state->setText(QStringLiteral("%1 — %2").arg(current->title(), session->status().describe()));
    setWindowTitle(QStringLiteral("%1 — QueueScope").arg(current->title()));
    const monitor::PollCost &cost = session->latest().cost;
    if (cost.roundTrips > 0)
        m_cost->setText(tr("poll: %1 cmd · %2 round trip · %3 out · %4 in · %5 ms")
                            .arg(cost.commands)
                            .arg(cost.roundTrips)
                            .arg(monitor::formatBytes(cost.bytesSent),
                                 monitor::formatBytes(cost.bytesReceived),
                                 QString::number(cost.milliseconds, 'f', 2)));
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace qs::widgets
