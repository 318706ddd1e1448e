#pragma once

#include "sessionoptions.h"

#include "core/connectionprofile.h"
#include "monitor/healthreport.h"
#include "redis/connectionstatus.h"

#include <QObject>

#include <optional>

namespace qs::monitor {
class QueueMonitor;
struct PollSnapshot;
} // namespace qs::monitor

namespace qs::session {

class ServerSession;

// One saved profile watched lightly for the overview and the tray: a ServerSession with the
// overview's options (SessionOptions::overview()). What a tile shows, and what the alerts watch.
class ProfileProbe final : public QObject
{
    Q_OBJECT
public:
    explicit ProfileProbe(core::ConnectionProfile profile, QObject *parent = nullptr);
    ~ProfileProbe() override;

    static constexpr int intervalMs = SessionOptions::overviewIntervalMs;

    // Connects (with the password from the keychain, when there is one) and starts polling.
    void start(const QString &password = {});
    // Connects as `withSecrets` (this profile with its passwords filled in) and starts polling.
    void startAs(const core::ConnectionProfile &withSecrets);
    const core::ConnectionProfile &profile() const { return m_profile; }
    const redis::ConnectionStatus &status() const;
    std::optional<monitor::HealthReport> health() const;
    // Failed jobs over every queue (BullMQ/Bull/RQ failed, Sidekiq retries + dead); nullopt
    // before the first count. previousFailed: the count one poll earlier (for the trend).
    std::optional<qint64> failedJobs() const { return m_failed; }
    std::optional<qint64> previousFailedJobs() const { return m_previousFailed; }
    QString lastError() const { return m_lastError; }
    // Workers of the latest scan: live (not offline) and seen (live + those gone offline in the
    // last minutes); nullopt before the first scan. `unknown`: some framework's workers could
    // not be read (CLIENT LIST refused), so the numbers are a lower bound.
    struct Workers
    {
        int live = 0;
        int seen = 0;
        bool unknown = false;
    };
    std::optional<Workers> workers() const { return m_workers; }

    // Failed jobs in one poll, by each adapter's own mapping of states to "failed".
    static qint64 countFailed(const monitor::PollSnapshot &snapshot,
                              const monitor::QueueMonitor &queues);

Q_SIGNALS:
    void updated();

private:
    void onPolled();
    void onWorkersScanned();

    core::ConnectionProfile m_profile;
    ServerSession *m_session = nullptr; // from start() on
    redis::ConnectionStatus m_notStarted;
    std::optional<qint64> m_failed;
    std::optional<qint64> m_previousFailed;
    std::optional<Workers> m_workers;
    QString m_lastError;
};

} // namespace qs::session
