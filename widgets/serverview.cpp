#include "serverview.h"

#include "alertspage.h"
#include "dashboardpage.h"
#include "inlinebanner.h"
#include "jobactionbar.h"
#include "jobspage.h"
#include "queuespage.h"
#include "serverpage.h"
#include "statuscolors.h"
#include "topologypage.h"
#include "workerspage.h"

#include "alerts/alertmonitor.h"
#include "core/displaytext.h"
#include "frameworks/registry.h"
#include "history/historyrecorder.h"
#include "monitor/celeryping.h"
#include "monitor/queuemonitor.h"
#include "monitor/workerscanner.h"
#include "redis/redisconnection.h"
#include "session/serversession.h"

#include <QDateTime>
#include <QLabel>
#include <QMessageBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace qs::widgets {

ServerView::ServerView(session::ServerSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_banner(new InlineBanner(this))
    , m_tabs(new QTabWidget(this))
    , m_dashboard(new DashboardPage(session, this))
    , m_jobs(new JobsPage(session, this))
    , m_workers(new WorkersPage(this))
    , m_serverPage(new ServerPage(this))
{
    m_serverPage->setConnection(session->connection());
    auto *queues = new QueuesPage(session, this);
    queues->setHistoryReader(m_dashboard->historyReader());
    m_tabs->addTab(m_dashboard, tr("&Dashboard"));
    m_tabs->addTab(queues, tr("&Queues"));
    m_tabs->addTab(m_jobs, tr("&Jobs"));
    m_tabs->addTab(m_workers, tr("&Workers"));
    m_tabs->addTab(m_serverPage, tr("&Server"));
    m_topology = new TopologyPage(session, this);
    m_tabs->addTab(m_topology, tr("T&opology"));
    followAlerts();
    connect(queues, &QueuesPage::queueActivated, this, [this](const queues::QueueRef &queue) {
        m_jobs->showQueue(queue);
        m_tabs->setCurrentWidget(m_jobs);
    });
    connect(m_workers, &WorkersPage::jobActivated, this,
            [this](const queues::QueueRef &queue, const QString &id) {
                m_jobs->showJob(queue, id);
                m_tabs->setCurrentWidget(m_jobs);
            });
    connect(m_workers, &WorkersPage::recoverRequested, this,
            [this](const jobs::ActionRequest &request) {
                m_tabs->setCurrentWidget(m_jobs);
                m_jobs->requestAction(request);
            });
    m_workers->setReadOnlyReason(readOnlyReason(session->profile()));
    followWorkers();
    if (history::HistoryRecorder *recorder = session->recorder())
        connect(recorder, &history::HistoryRecorder::messageChanged, this,
                [this](const QString &message) {
                    Q_EMIT logMessage(title(), message.isEmpty() ? tr("history: recording again")
                                                                 : tr("history: %1").arg(message));
                });
    connect(m_jobs, &JobsPage::logMessage, this,
            [this](const QString &message) { Q_EMIT logMessage(title(), message); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // The environment is on every page of the server, in its colour: no slip on production.
    if (const core::ConnectionProfile &p = session->profile(); !p.environment.isEmpty()) {
        auto *strip = new QLabel(
            tr("%1 — %2%3")
                .arg(p.environment.toUpper(), title(), p.readOnly ? tr(" — read-only") : QString()),
            this);
        strip->setObjectName(QStringLiteral("environmentStrip"));
        strip->setAlignment(Qt::AlignCenter);
        strip->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; "
                                            "font-weight: bold; padding: 3px; }")
                                 .arg(environmentColor(p.environment).name()));
        layout->addWidget(strip);
    }
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    connect(session, &session::ServerSession::statusChanged, this, &ServerView::onStatusChanged);
    connect(session, &session::ServerSession::topologyChanged, this,
            [this](const monitor::TopologyChange &change) {
                Q_EMIT logMessage(title(), change.summary);
            });
    connect(session, &session::ServerSession::healthChanged, this,
            [this](monitor::HealthReport::Status status) {
                const QStringList reasons = m_session->health().reasons;
                Q_EMIT logMessage(title(), tr("health %1%2")
                                               .arg(monitor::statusName(status),
                                                    reasons.isEmpty()
                                                        ? QString()
                                                        : QStringLiteral(": ") +
                                                              reasons.join(QStringLiteral("; "))));
            });
}

void ServerView::followWorkers()
{
    monitor::WorkerScanner *scanner = m_session->workers();
    connect(scanner, &monitor::WorkerScanner::scanned, this, [this, scanner] {
        if (scanner->hasScan())
            m_workers->setScan(scanner->latest());
        m_workers->setScanError(scanner->lastError());
        bool celery = false;
        for (const queues::QueueRef &queue : m_session->queues()->queues())
            celery = celery || queue.framework == queues::Framework::Celery;
        m_workers->setPingOffered(celery);
    });
    connect(m_workers, &WorkersPage::pingRequested, this, &ServerView::confirmPing);
    connect(m_session, &session::ServerSession::celeryWorkersPinged, this,
            [this](const QList<monitor::CeleryPingResult> &results) {
                const auto [text, level] = describePing(results);
                m_workers->showPingResult(text, level);
                Q_EMIT logMessage(title(), tr("ping Celery workers: %1").arg(text));
            });
    connect(
        scanner, &monitor::WorkerScanner::workerWentOffline, this,
        [this](const queues::WorkerInfo &worker) {
            const QString where = worker.host.isEmpty() ? QString() : tr(" on %1").arg(worker.host);
            const QString message =
                tr("%1 worker %2%3 went offline")
                    .arg(frameworks::label(worker.framework), worker.name, where);
            Q_EMIT workerAlert(tr("%1: worker offline").arg(title()), core::displayText(message));
        });
    connect(scanner, &monitor::WorkerScanner::queueLostConsumers, this,
            [this](const queues::QueueRef &queue) {
                const QString message =
                    tr("%1 %2 has waiting jobs and no live worker")
                        .arg(frameworks::label(queue.framework), queue.displayName());
                Q_EMIT workerAlert(tr("%1: queue without a consumer").arg(title()), message);
            });
}

void ServerView::followAlerts()
{
    alerts::AlertMonitor *monitor = m_session->alerts();
    if (!monitor)
        return;
    m_alerts = new AlertsPage(monitor, this);
    const int tab = m_tabs->addTab(m_alerts, tr("A&lerts"));
    const auto showCount = [this, tab](int firing) {
        m_tabs->setTabText(tab, firing > 0 ? tr("A&lerts (%1)").arg(firing) : tr("A&lerts"));
    };
    showCount(m_alerts->firingCount());
    connect(m_alerts, &AlertsPage::firingChanged, this, showCount);
    connect(monitor, &alerts::AlertMonitor::eventsAdded, this,
            [this, monitor](const QList<alerts::StoredAlert> &events) {
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                for (const alerts::StoredAlert &stored : events) {
                    const alerts::AlertEvent &event = stored.event;
                    Q_EMIT logMessage(title(), tr("alert %1 %2: %3")
                                                   .arg(alerts::severityName(event.severity),
                                                        event.rule, event.message));
                    if (event.state == alerts::AlertState::Resolved ||
                        monitor->log().isSnoozed(event.rule, event.queue, now))
                        continue;
                    using Level = monitor::ServerNotification::Level;
                    Q_EMIT ruleAlert({event.severity == alerts::Severity::Critical ? Level::Critical
                                                                                   : Level::Warning,
                                      tr("%1: %2").arg(title(), event.rule),
                                      core::displayText(event.message)});
                }
            });
}

void ServerView::confirmPing()
{
    const QMessageBox::StandardButton answer = QMessageBox::question(
        this, tr("Ping Celery workers"),
        tr("Ask every Celery worker of %1 to answer?\n\nQueueScope publishes one broadcast "
           "\"ping\" on Celery's pidbox channel and reads the replies for 1 s, as `celery inspect "
           "ping` does: a write to this server, written to the audit log.")
            .arg(title()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        m_session->pingCeleryWorkers();
}

QPair<QString, HealthLevel> describePing(const QList<monitor::CeleryPingResult> &results)
{
    if (results.isEmpty())
        return {ServerView::tr("no Celery queue known on this server"), HealthLevel::Unknown};
    QStringList answered, problems;
    for (const monitor::CeleryPingResult &result : results) {
        if (!result.error.isEmpty())
            problems.append(result.error);
        for (const monitor::CeleryPingAnswer &answer : result.answers)
            answered.append(ServerView::tr("%1 %2 ms")
                                .arg(core::displayText(answer.hostname))
                                .arg(answer.roundTripMs));
    }
    QString text = ServerView::tr("%n worker(s) answered", nullptr, int(answered.size()));
    if (!answered.isEmpty())
        text += QStringLiteral(": ") + answered.join(QStringLiteral(", "));
    if (!problems.isEmpty())
        text += QStringLiteral("; ") + problems.join(QStringLiteral("; "));
    const HealthLevel level = !problems.isEmpty()  ? HealthLevel::Critical
                              : answered.isEmpty() ? HealthLevel::Warning
                                                   : HealthLevel::Good;
    return {text, level};
}

QString ServerView::title() const
{
    const core::ConnectionProfile &profile = m_session->profile();
    return profile.name.isEmpty() ? profile.displayUrl() : profile.name;
}

void ServerView::onStatusChanged(const redis::ConnectionStatus &status)
{
    using redis::ConnectionState;
    switch (status.state) {
    case ConnectionState::Connected:
        m_banner->clear();
        if (m_lastState == ConnectionState::Reconnecting ||
            m_lastState == ConnectionState::Connecting)
            Q_EMIT logMessage(title(), tr("connected"));
        break;
    case ConnectionState::Reconnecting:
        m_banner->showMessage(tr("Connection lost — %1. The history is kept; QueueScope "
                                 "reconnects by itself.")
                                  .arg(status.describe()),
                              HealthLevel::Warning);
        if (m_lastState != ConnectionState::Reconnecting)
            Q_EMIT logMessage(title(), status.error.message);
        break;
    case ConnectionState::Failed:
        m_banner->showMessage(tr("Cannot connect: %1").arg(status.error.message),
                              HealthLevel::Critical);
        Q_EMIT logMessage(title(), status.error.message);
        break;
    case ConnectionState::Connecting:
    case ConnectionState::Disconnected:
        break;
    }
    m_lastState = status.state;
}

} // namespace qs::widgets
