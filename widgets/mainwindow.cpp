#include "mainwindow.h"

#include "redis/redisconnection.h"

#include <QLabel>
#include <QStatusBar>

namespace qs::widgets {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_centre(new QLabel(this))
    , m_state(new QLabel(tr("Not connected"), this))
{
    setWindowTitle(QStringLiteral("QueueScope"));
    m_centre->setAlignment(Qt::AlignCenter);
    m_centre->setText(tr("Open a server with <tt>queuescope --url redis://host:port</tt>"));
    setCentralWidget(m_centre);
    statusBar()->addPermanentWidget(m_state);
    resize(1100, 720);
}

MainWindow::~MainWindow() = default;

void MainWindow::openServer(const core::ConnectionProfile &profile)
{
    delete m_connection;
    m_connection = new redis::RedisConnection(profile, {}, this);
    connect(m_connection, &redis::RedisConnection::statusChanged, this, &MainWindow::showStatus);
    setWindowTitle(QStringLiteral("%1 — QueueScope").arg(profile.displayUrl()));
    m_centre->setText(profile.displayUrl());
    m_connection->open();
}

void MainWindow::showStatus(const redis::ConnectionStatus &status)
{
    m_state->setText(status.describe());
}

} // namespace qs::widgets
