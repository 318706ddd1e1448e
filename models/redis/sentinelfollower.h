#pragma once

#include "connectionstatus.h"
#include "core/connectionprofile.h"
#include "subscriber.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace qs::redis {

class RedisTransport;

// Finds and follows the master of a Sentinel group for one RedisTransport, on its I/O thread.
// resolve() asks the sentinels in the profile's order, each within the profile's connect and
// command timeouts, SENTINEL GET-MASTER-ADDR-BY-NAME; the first address wins (resolved()), and
// when none answers failed() says why, sentinel by sentinel. Meanwhile one sentinel connection
// is subscribed to +switch-master: a failover of this master is switched() at once, so the
// transport reconnects to the promoted replica without waiting for its own link to break.
class SentinelFollower final : public QObject
{
    Q_OBJECT
public:
    SentinelFollower(core::ConnectionProfile profile, QString clientName,
                     QObject *parent = nullptr);
    ~SentinelFollower() override;

    // One answer per call: resolved() or failed(). A call while asking restarts the round.
    void resolve();
    // Stops asking and watching (the transport was closed).
    void stop();

Q_SIGNALS:
    void resolved(const QString &host, quint16 port);
    void failed(const qs::redis::RedisError &error);
    // +switch-master for this master: "host:port" before and after.
    void switched(const QString &from, const QString &to);

private:
    void askNext();
    void onAnswer(const PipelineResult &result);
    void giveUp();
    void watch();
    void onWatchStatus(const ConnectionStatus &status);
    void onWatchMessage(const PushMessage &message);
    RedisTransport *sentinelTransport(int index, const QString &clientName);

    core::ConnectionProfile m_profile;
    QString m_clientName;
    // The round in progress: which sentinel is asked, and what the others said.
    QPointer<RedisTransport> m_asking;
    int m_index = -1;
    QStringList m_reasons;
    int m_unknownMaster = 0;
    int m_authFailed = 0;
    quint64 m_round = 0;
    // The +switch-master subscription, on the last sentinel that answered.
    QPointer<RedisTransport> m_watch;
    int m_watchIndex = 0;
    QTimer m_rewatchTimer{this};
    bool m_stopped = false;
};

} // namespace qs::redis
