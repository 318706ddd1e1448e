#pragma once

#include "redis/infosnapshot.h"
#include "redis/redisconnection.h" // QPointer needs the complete type

#include <QObject>
#include <QPointer>

namespace qs::monitor {

class ClientListModel;
class SlowLogModel;
struct ClusterInspection;

// What one refresh of the inspector brought: whether the round trip completed, and per part
// the error of its own command (NOPERM for a limited ACL user, a renamed command), so that one
// refused command blanks its own part only.
struct Inspection
{
    bool ok = false;
    QString error; // the round trip failed (the data of the last refresh is kept): why
    QString slowLogError;
    QString clientsError;
    QString infoError;
    double elapsedMs = 0;
};

// A server's diagnostics beside its metrics: the slow log, the client list and the full INFO,
// read in one pipelined round trip. Poll, complete, re-arm like the Poller: while active it
// refreshes every intervalMs after the previous refresh completed; inactive (the page is
// hidden) it asks for nothing new. Also the two writes on that data, CLIENT KILL and SLOWLOG
// RESET, refused on read-only profiles (the connection refuses them as well).
// On a Redis Cluster every live node's slow log and clients are read, each row labelled with its
// node (clusterinspection.h); a write is pinned to the node it concerns.
class ServerInspector final : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultIntervalMs = 5'000;
    enum class Part { SlowLog, Clients };
    Q_ENUM(Part)

    explicit ServerInspector(QObject *parent = nullptr);
    ~ServerInspector() override;

    // Not owned; may be nullptr. Answers still in flight for the previous one are dropped.
    void setConnection(redis::RedisConnection *connection);
    redis::RedisConnection *connection() const { return m_connection; }
    // Bumped per connection: what was asked of an older one (or confirmed for it) is stale.
    quint64 generation() const { return m_generation; }

    // Active: refreshes now, then re-arms after every refresh. Inactive: what is in flight
    // still lands; nothing new is asked for.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    void setIntervalMs(int ms) { m_intervalMs = ms; }
    int intervalMs() const { return m_intervalMs; }

    SlowLogModel *slowLog() const { return m_slowLog; }
    ClientListModel *clients() const { return m_clients; }
    const redis::InfoSnapshot &info() const { return m_info; }
    bool isReadOnly() const;

    // CLIENT KILL ID `id` on `node`, the node that listed the client (ClientInfo::node): on a
    // Redis Cluster it is pinned there, never sent elsewhere (an id names a client of one node
    // only): without a node on a cluster nothing is sent and actionFinished says why. Empty
    // `node` elsewhere: the one server (standalone, Sentinel's master).
    void killClient(qint64 id, const QString &node = {});
    // SLOWLOG RESET; on a cluster on every node whose log is shown, each pinned to it.
    void resetSlowLog();

public Q_SLOTS:
    // Now; while a refresh is in flight, right after it.
    void refresh();

Q_SIGNALS:
    // Another connection (or none): every part is empty until the next refresh.
    void cleared();
    // After every completed refresh, whether or not all of it succeeded.
    void refreshed(const qs::monitor::Inspection &inspection);
    // A write completed; `problem` is empty when it did what was asked.
    void actionFinished(qs::monitor::ServerInspector::Part part, const QString &problem);

private:
    void forgetConnection();
    void clearData();
    void onRefreshed(const redis::PipelineResult &result);
    void onClusterRefreshed(const ClusterInspection &plan, const redis::PipelineResult &result);
    void finishRefresh(const Inspection &inspection);
    QString refusal(const redis::RedisReply &reply, const redis::RedisCommand &command) const;
    void armNextRefresh();
    void runWrite(Part part, const redis::RedisCommand &command);
    void runPinnedWrite(Part part, const QList<redis::NodeCommand> &commands);
    void writeFinished(Part part, const QString &problem);

    QPointer<redis::RedisConnection> m_connection;
    SlowLogModel *m_slowLog = nullptr;
    ClientListModel *m_clients = nullptr;
    redis::InfoSnapshot m_info;
    int m_intervalMs = defaultIntervalMs;
    quint64 m_generation = 0; // bumped per connection: late replies of an old one are dropped
    quint64 m_armToken = 0;   // bumped to cancel the armed single-shot refresh
    bool m_active = false;
    bool m_inFlight = false;
    bool m_refreshQueued = false; // refresh() while a refresh was in flight
};

} // namespace qs::monitor

Q_DECLARE_METATYPE(qs::monitor::Inspection)
