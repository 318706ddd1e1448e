#pragma once

#include "healthreport.h"

#include "core/connectionprofile.h"
#include "redis/connectionstatus.h"

#include <QObject>

#include <optional>

namespace qs::redis {
class RedisConnection;
}

namespace qs::monitor {

class Poller;
class QueueMonitor;
struct PollSnapshot;

// One saved profile watched lightly for the overview and the tray: its own connection, a poll
// every 10 s (a few INFO sections and the queues' counts in one round trip), queue discovery
// at connect. What a tile shows, and what the alerts watch.
class ProfileProbe final : public QObject
{
    Q_OBJECT
public:
    explicit ProfileProbe(core::ConnectionProfile profile, QObject *parent = nullptr);
    ~ProfileProbe() override;

    static constexpr int intervalMs = 10'000;

    // Connects (with the password from the keychain, when there is one) and starts polling.
    void start(const QString &password = {});
    const core::ConnectionProfile &profile() const { return m_profile; }
    const redis::ConnectionStatus &status() const;
    const std::optional<HealthReport> &health() const { return m_health; }
    // Failed jobs over every queue (BullMQ/Bull/RQ failed, Sidekiq retries + dead); nullopt
    // before the first count. previousFailed: the count one poll earlier (for the trend).
    std::optional<qint64> failedJobs() const { return m_failed; }
    std::optional<qint64> previousFailedJobs() const { return m_previousFailed; }
    QString lastError() const { return m_lastError; }

    // Failed jobs in one poll, by each adapter's own mapping of states to "failed".
    static qint64 countFailed(const PollSnapshot &snapshot, const QueueMonitor &queues);

Q_SIGNALS:
    void updated();

private:
    void onPolled(const PollSnapshot &snapshot);

    core::ConnectionProfile m_profile;
    redis::RedisConnection *m_connection = nullptr; // from start() on
    redis::ConnectionStatus m_notStarted;
    QueueMonitor *m_queues = nullptr;
    Poller *m_poller = nullptr;
    std::optional<HealthReport> m_health;
    std::optional<qint64> m_failed;
    std::optional<qint64> m_previousFailed;
    QString m_lastError;
};

} // namespace qs::monitor
