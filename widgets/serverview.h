#pragma once

#include "monitor/serveralerts.h"
#include "redis/connectionstatus.h"
#include "statuscolors.h"

#include <QWidget>

class QTabWidget;

namespace qs::session {
class ServerSession;
}
namespace qs::monitor {
struct CeleryPingResult;
}

namespace qs::widgets {

class AlertsPage;
class DashboardPage;
class InlineBanner;
class JobsPage;
class ServerPage;
class TopologyPage;
class WorkersPage;

// The pages of one open server (Dashboard, Queues, Jobs, Workers, Server, Topology, Alerts) under
// an inline banner that tells the operator about connection trouble while it lasts.
class ServerView final : public QWidget
{
    Q_OBJECT
public:
    explicit ServerView(session::ServerSession *session, QWidget *parent = nullptr);

    session::ServerSession *session() const { return m_session; }
    QTabWidget *tabs() const { return m_tabs; }
    DashboardPage *dashboard() const { return m_dashboard; }
    JobsPage *jobs() const { return m_jobs; }
    WorkersPage *workers() const { return m_workers; }
    InlineBanner *banner() const { return m_banner; }
    AlertsPage *alerts() const { return m_alerts; } // nullptr when the session has no alerts
    TopologyPage *topology() const { return m_topology; }
    QString title() const;

Q_SIGNALS:
    void logMessage(const QString &source, const QString &message);
    // A worker went offline, or a queue lost its last live consumer: worth a notification (the
    // window logs what it notifies).
    void workerAlert(const QString &title, const QString &message);
    // An alert rule fired or started flapping, and its rule is not snoozed: for the tray.
    void ruleAlert(const qs::monitor::ServerNotification &notification);

private:
    void onStatusChanged(const redis::ConnectionStatus &status);
    void followWorkers();
    void followAlerts();
    void confirmPing(); // asks before "Ping Celery workers" writes to the server

    session::ServerSession *m_session = nullptr;
    InlineBanner *m_banner = nullptr;
    QTabWidget *m_tabs = nullptr;
    DashboardPage *m_dashboard = nullptr;
    JobsPage *m_jobs = nullptr;
    WorkersPage *m_workers = nullptr;
    ServerPage *m_serverPage = nullptr;
    TopologyPage *m_topology = nullptr;
    AlertsPage *m_alerts = nullptr;
    redis::ConnectionState m_lastState = redis::ConnectionState::Disconnected;
};

// "2 worker(s) answered: w1@host 7 ms, w2@host 9 ms" and its level: a ping's results in a line.
QPair<QString, HealthLevel> describePing(const QList<monitor::CeleryPingResult> &results);

} // namespace qs::widgets
