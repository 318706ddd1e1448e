#pragma once

#include "redisserver.h"

#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace qs::test {

struct SentinelGroupOptions
{
    QString masterName = QStringLiteral("mymaster");
    QString dataPassword;     // requirepass of the master and the replica (and their masterauth)
    QString sentinelPassword; // requirepass of the three sentinels
    int downAfterMs = 1'000;  // how soon the sentinels call a silent master down
    // Every process serves TLS only, with the tests' one CA (RedisServer's certificates): the
    // replica replicates and the sentinels reach the data nodes and each other over TLS.
    bool tls = false;
};

// A real Sentinel group for one test: a master, a replica of it and three redis-sentinel
// processes on free loopback ports, quorum 2. start() waits (with deadlines) until the replica
// is in sync and every sentinel knows the replica and the two other sentinels, so that a killed
// master is failed over in about downAfterMs + 2 s. Everything is stopped in the destructor.
class SentinelGroup
{
public:
    explicit SentinelGroup(SentinelGroupOptions options = {});
    ~SentinelGroup();
    SentinelGroup(const SentinelGroup &) = delete;
    SentinelGroup &operator=(const SentinelGroup &) = delete;

    bool start(QString *error = nullptr, int timeoutMs = 30'000);

    RedisServer &master() { return *m_master; }
    RedisServer &replica() { return *m_replica; }
    const SentinelGroupOptions &options() const { return m_options; }
    QList<quint16> sentinelPorts() const { return m_sentinelPorts; }
    // "127.0.0.1:p1", ... in start order.
    QStringList sentinelAddresses() const;
    // redis+sentinel://[:password@]127.0.0.1:p1,...,127.0.0.1:p3/<master>[?sentinel_password=]
    // with both passwords in it (for --url in tests); rediss+sentinel:// with tls (the CA is
    // caFile(), for --tls-ca).
    QString url() const;
    // A profile that reaches the master through the sentinels, both passwords filled in.
    core::ConnectionProfile profile() const;
    // The CA that signed every certificate of the group (tls only).
    QString caFile() const;

    // The address ("127.0.0.1:port") the first sentinel that answers names as the master.
    QString currentMaster() const;
    // Waits until the sentinels name `address` as the master (a failover finished).
    bool waitForMaster(const QString &address, int timeoutMs, QString *error = nullptr) const;
    // redis-cli against sentinel i (its password through the environment); stdout.
    QByteArray sentinelCli(int index, const QStringList &args) const;
    // The end of each sentinel's log, for failure messages.
    QString logTail(int maxLines = 15) const;

    void stop();

private:
    bool startSentinel(int index, QString *error);
    QStringList cliTarget(quint16 port) const; // redis-cli's host, port and TLS arguments
    bool waitUntilSettled(int timeoutMs, QString *error) const;

    SentinelGroupOptions m_options;
    std::unique_ptr<RedisServer> m_master;
    std::unique_ptr<RedisServer> m_replica;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<QProcess>> m_sentinels;
    QList<quint16> m_sentinelPorts;
};

} // namespace qs::test
