#include "profileprobe.h"

#include "serversession.h"

#include "monitor/pollsnapshot.h"
#include "monitor/queuemonitor.h"
#include "monitor/workerscanner.h"

namespace qs::session {

ProfileProbe::ProfileProbe(core::ConnectionProfile profile, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
{
    m_profile.password.clear();
}

ProfileProbe::~ProfileProbe() = default;

void ProfileProbe::start(const QString &password)
{
    core::ConnectionProfile connectAs = m_profile;
    connectAs.password = password;
    startAs(connectAs);
}

void ProfileProbe::startAs(const core::ConnectionProfile &withSecrets)
{
    if (m_session)
        return;
    m_session = new ServerSession(withSecrets, SessionOptions::overview(), this);
    connect(m_session, &ServerSession::polled, this, &ProfileProbe::onPolled);
    connect(m_session->workers(), &monitor::WorkerScanner::scanned, this,
            &ProfileProbe::onWorkersScanned);
    connect(m_session, &ServerSession::statusChanged, this,
            [this](const redis::ConnectionStatus &status) {
                if (status.state != redis::ConnectionState::Connected && !status.error.isNone())
                    m_lastError = status.error.message;
                Q_EMIT updated();
            });
    m_session->open();
}

const redis::ConnectionStatus &ProfileProbe::status() const
{
    return m_session ? m_session->status() : m_notStarted;
}

std::optional<monitor::HealthReport> ProfileProbe::health() const
{
    if (!m_session || !m_session->hasHealth())
        return std::nullopt;
    return m_session->health();
}

qint64 ProfileProbe::countFailed(const monitor::PollSnapshot &snapshot,
                                 const monitor::QueueMonitor &queues)
{
    qint64 failed = 0;
    auto add = [&failed](const QList<QPair<QString, qint64>> &counts,
                         const QList<QPair<QString, queues::UnifiedState>> &states) {
        for (const auto &state : states) {
            if (state.second != queues::UnifiedState::Failed)
                continue;
            for (const auto &count : counts) {
                if (count.first == state.first)
                    failed += count.second;
            }
        }
    };
    for (const queues::QueueCounts &counts : snapshot.queues) {
        if (const queues::QueueAdapter *adapter = queues.adapterFor(counts.queue.framework))
            add(counts.counts, adapter->states());
    }
    for (const queues::ServerCounts &server : snapshot.queueServers) {
        if (const queues::QueueAdapter *adapter = queues.adapterFor(server.framework))
            add(server.counts, adapter->serverStates());
    }
    return failed;
}

void ProfileProbe::onWorkersScanned()
{
    const monitor::WorkerScanner *scanner = m_session->workers();
    if (!scanner->hasScan())
        return;
    Workers workers;
    for (const queues::WorkerInfo &worker : scanner->latest().workers) {
        ++workers.seen;
        if (worker.state != queues::WorkerState::Offline)
            ++workers.live;
    }
    // Unknown matters where the framework has queues here (a Celery-less server is not partial).
    for (const auto &[framework, why] : scanner->latest().unknown) {
        for (const queues::QueueRef &queue : m_session->queues()->queues())
            workers.unknown = workers.unknown || queue.framework == framework;
    }
    m_workers = workers;
    Q_EMIT updated();
}

void ProfileProbe::onPolled()
{
    const monitor::PollSnapshot &snapshot = m_session->latest();
    if (!snapshot.ok()) {
        m_lastError = snapshot.error.message;
        Q_EMIT updated();
        return;
    }
    m_previousFailed = m_failed;
    m_failed = countFailed(snapshot, *m_session->queues());
    Q_EMIT updated();
}

} // namespace qs::session
