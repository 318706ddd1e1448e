#pragma once

#include "core/connectionprofile.h"
#include "redis/rediserror.h"

#include <QObject>
#include <QPointer>

namespace qs::redis {
class RedisConnection;
}

namespace qs::monitor {

// What "Test connection" found: exactly what failed, or who answered and how.
struct ConnectionTestResult
{
    bool ok = false;
    redis::RedisError error;
    QString version; // "7.0.15" (redis_version; Valkey and KeyDB report theirs too)
    QString role;    // master / slave
    QString mode;    // standalone / cluster / sentinel
    QString aclUser; // ACL WHOAMI, or "default" on Redis < 6
    QString tls;     // protocol, cipher, certificate; empty for plain TCP and unix sockets
    double latencyMs = -1;

    QString describe() const; // one paragraph for the dialog
};

// Connects once with a profile (no retry), asks who it is and how fast it answers, and
// reports. Everything asynchronous: finished() once, then the test may be deleted.
class ConnectionTest final : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionTest(core::ConnectionProfile profile, QObject *parent = nullptr);
    ~ConnectionTest() override;

    void start();

Q_SIGNALS:
    void finished(const qs::monitor::ConnectionTestResult &result);

private:
    void onConnected();
    void finish(ConnectionTestResult result);

    core::ConnectionProfile m_profile;
    redis::RedisConnection *m_connection = nullptr;
    bool m_done = false;
};

} // namespace qs::monitor

Q_DECLARE_METATYPE(qs::monitor::ConnectionTestResult)
