#include "rediscluster.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

namespace qs::test {

namespace {

constexpr int kCreateTimeoutMs = 60'000;
constexpr int kPollMs = 100;

QString redisCli()
{
    const QString fromEnv = qEnvironmentVariable("QS_REDIS_CLI");
    return fromEnv.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("redis-cli"))
                             : fromEnv;
}

// The lines of CLUSTER NODES as a node sees them: "id addr flags master ...".
QList<QList<QByteArray>> clusterNodes(const RedisServer &server)
{
    QList<QList<QByteArray>> lines;
    int exitCode = -1;
    const QByteArray out =
        server.cli({QStringLiteral("CLUSTER"), QStringLiteral("NODES")}, &exitCode);
    if (exitCode != 0)
        return lines;
    for (const QByteArray &line : out.split('\n')) {
        const QList<QByteArray> words = line.trimmed().split(' ');
        if (words.size() >= 8)
            lines.append(words);
    }
    return lines;
}

// A node's view has settled when every live master it lists serves slots: right after `redis-cli
// --cluster create` (and after a failover) a replica-to-be can still be listed as a master
// without slots for a moment.
QByteArray unsettledMaster(const QList<QList<QByteArray>> &nodes)
{
    for (const QList<QByteArray> &words : nodes) {
        const QList<QByteArray> flags = words.at(2).split(',');
        const bool liveMaster = flags.contains("master") && !flags.contains("fail") &&
                                !flags.contains("fail?") && !flags.contains("handshake");
        if (liveMaster && words.size() <= 8)
            return words.at(1);
    }
    return {};
}

QByteArray portOf(const QByteArray &address) // "127.0.0.1:7000@17000" -> "7000"
{
    const QByteArray hostPort = address.left(address.indexOf('@'));
    return hostPort.mid(hostPort.lastIndexOf(':') + 1);
}

} // namespace

RedisCluster::RedisCluster(int masters, int replicasPerMaster)
    : m_masters(masters)
    , m_replicasPerMaster(replicasPerMaster)
{
}

RedisCluster::~RedisCluster()
{
    stop();
}

bool RedisCluster::start(QString *error, int timeoutMs)
{
    const int count = m_masters * (1 + m_replicasPerMaster);
    for (int i = 0; i < count; ++i) {
        const quint16 busPort = freeLoopbackPort();
        RedisServerOptions options;
        // A short node timeout: a killed master is failed over in about 2 s.
        options.extraArgs = {QStringLiteral("--cluster-enabled"),      QStringLiteral("yes"),
                             QStringLiteral("--cluster-config-file"),  QStringLiteral("nodes.conf"),
                             QStringLiteral("--cluster-node-timeout"), QStringLiteral("2000"),
                             QStringLiteral("--cluster-port"),         QString::number(busPort)};
        auto server = std::make_unique<RedisServer>(options);
        QString startError;
        if (!server->start(&startError)) {
            if (error)
                *error = QStringLiteral("cluster node %1: %2").arg(i).arg(startError);
            return false;
        }
        m_nodes.push_back(std::move(server));
    }
    return createCluster(error) && waitUntilOk(error, timeoutMs);
}

bool RedisCluster::createCluster(QString *error)
{
    QStringList args{QStringLiteral("--cluster"), QStringLiteral("create")};
    for (const auto &node : m_nodes)
        args << QStringLiteral("%1:%2").arg(node->host()).arg(node->port());
    args << QStringLiteral("--cluster-replicas") << QString::number(m_replicasPerMaster)
         << QStringLiteral("--cluster-yes");
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.start(redisCli(), args);
    if (!cli.waitForFinished(kCreateTimeoutMs) || cli.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("redis-cli --cluster create failed (exit %1): %2")
                         .arg(cli.exitCode())
                         .arg(QString::fromUtf8(cli.readAll().right(2000)));
        cli.kill();
        cli.waitForFinished(1000);
        return false;
    }
    return true;
}

bool RedisCluster::waitUntilOk(QString *error, int timeoutMs, int masterIndex) const
{
    QDeadlineTimer deadline(timeoutMs);
    QString last;
    while (!deadline.hasExpired()) {
        bool allOk = true;
        for (const auto &node : m_nodes) {
            if (!node->isRunning())
                continue;
            const QByteArray info = node->cli({QStringLiteral("CLUSTER"), QStringLiteral("INFO")});
            const QList<QList<QByteArray>> nodes = clusterNodes(*node);
            const int known = int(nodes.size());
            if (!info.contains("cluster_state:ok") || known < int(m_nodes.size())) {
                allOk = false;
                last = QStringLiteral("node %1: %2 known nodes, %3")
                           .arg(node->port())
                           .arg(known)
                           .arg(QString::fromUtf8(info.left(40)).simplified());
                break;
            }
            if (const QByteArray master = unsettledMaster(nodes); !master.isEmpty()) {
                allOk = false;
                last = QStringLiteral("node %1 still lists %2 as a master without slots")
                           .arg(node->port())
                           .arg(QString::fromUtf8(master));
                break;
            }
        }
        if (allOk && masterIndex >= 0 && roleOf(masterIndex) != QLatin1String("master")) {
            allOk = false;
            last = QStringLiteral("node %1 is not a master yet").arg(node(masterIndex).port());
        }
        if (allOk)
            return true;
        QThread::msleep(kPollMs);
    }
    if (error)
        *error = QStringLiteral("the cluster was not ok within %1 s (%2)\n%3")
                     .arg(timeoutMs / 1000)
                     .arg(last, logTail());
    return false;
}

void RedisCluster::stop()
{
    for (const auto &node : m_nodes)
        node->stop();
}

core::ConnectionProfile RedisCluster::profile(int index) const
{
    core::ConnectionProfile profile = node(index).profile();
    profile.name = QStringLiteral("test cluster %1").arg(node(index).port());
    return profile;
}

QString RedisCluster::roleOf(int index) const
{
    const QByteArray port = QByteArray::number(node(index).port());
    for (const auto &other : m_nodes) {
        if (!other->isRunning())
            continue;
        for (const QList<QByteArray> &words : clusterNodes(*other)) {
            if (portOf(words.at(1)) != port || !words.at(2).contains("myself"))
                continue;
            return words.at(2).contains("master") ? QStringLiteral("master")
                                                  : QStringLiteral("replica");
        }
        if (other.get() == &node(index))
            break;
    }
    // Not asked of itself (it is down): as its peers see it.
    for (const auto &other : m_nodes) {
        if (!other->isRunning())
            continue;
        for (const QList<QByteArray> &words : clusterNodes(*other)) {
            if (portOf(words.at(1)) == port)
                return words.at(2).contains("master") ? QStringLiteral("master")
                                                      : QStringLiteral("replica");
        }
    }
    return {};
}

QList<int> RedisCluster::masters() const
{
    QList<int> indexes;
    for (int i = 0; i < size(); ++i) {
        if (node(i).isRunning() && roleOf(i) == QLatin1String("master"))
            indexes.append(i);
    }
    return indexes;
}

QList<int> RedisCluster::replicas() const
{
    QList<int> indexes;
    for (int i = 0; i < size(); ++i) {
        if (node(i).isRunning() && roleOf(i) == QLatin1String("replica"))
            indexes.append(i);
    }
    return indexes;
}

int RedisCluster::masterOf(const QByteArray &key) const
{
    for (int i = 0; i < size(); ++i) {
        if (!node(i).isRunning())
            continue;
        const QByteArray slot =
            node(i)
                .cli({QStringLiteral("CLUSTER"), QStringLiteral("KEYSLOT"), QString::fromUtf8(key)})
                .trimmed();
        for (const QList<QByteArray> &words : clusterNodes(node(i))) {
            if (!words.at(2).contains("master") || words.at(2).contains("fail"))
                continue;
            for (const QByteArray &range : words.mid(8)) {
                const QList<QByteArray> ends = range.split('-');
                const int first = ends.first().toInt();
                const int last = ends.last().toInt();
                if (slot.toInt() < first || slot.toInt() > last || range.startsWith('['))
                    continue;
                for (int j = 0; j < size(); ++j) {
                    if (QByteArray::number(node(j).port()) == portOf(words.at(1)))
                        return j;
                }
            }
        }
        return -1;
    }
    return -1;
}

int RedisCluster::replicaOf(int masterIndex) const
{
    const QByteArray port = QByteArray::number(node(masterIndex).port());
    for (int i = 0; i < size(); ++i) {
        if (!node(i).isRunning() || i == masterIndex)
            continue;
        QByteArray masterId;
        QByteArray myMaster;
        for (const QList<QByteArray> &words : clusterNodes(node(i))) {
            if (portOf(words.at(1)) == port)
                masterId = words.at(0);
            if (words.at(2).contains("myself") && words.at(2).contains("slave"))
                myMaster = words.at(3);
        }
        if (!masterId.isEmpty() && myMaster == masterId)
            return i;
    }
    return -1;
}

QString RedisCluster::logTail(int maxLinesPerNode) const
{
    QString tail;
    for (const auto &node : m_nodes)
        tail += QStringLiteral("--- node %1:\n%2\n")
                    .arg(node->port())
                    .arg(node->logTail(maxLinesPerNode));
    return tail;
}

} // namespace qs::test
