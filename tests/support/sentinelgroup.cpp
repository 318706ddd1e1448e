#include "sentinelgroup.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace qs::test {

namespace {

constexpr int kStopTimeoutMs = 5'000;
constexpr int kCliTimeoutMs = 10'000;
constexpr int kSentinels = 3;

QString program(const char *envName, const QString &name)
{
    const QString fromEnv = qEnvironmentVariable(envName);
    return fromEnv.isEmpty() ? QStandardPaths::findExecutable(name) : fromEnv;
}

QString address(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

// How many entries a SENTINEL REPLICAS / SENTINELS listing has: redis-cli prints the field /
// value lists one word a line, and each entry has one "name" field.
int entries(const QByteArray &listing)
{
    int count = 0;
    for (const QByteArray &line : listing.split('\n'))
        count += line.trimmed() == "name" ? 1 : 0;
    return count;
}

} // namespace

SentinelGroup::SentinelGroup(SentinelGroupOptions options)
    : m_options(std::move(options))
    , m_dir(
          std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/qs-sentinel-XXXXXX")))
{
}

SentinelGroup::~SentinelGroup()
{
    stop();
}

void SentinelGroup::stop()
{
    for (auto &process : m_sentinels) {
        if (process && process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!process->waitForFinished(kStopTimeoutMs)) {
                process->kill();
                process->waitForFinished(kStopTimeoutMs);
            }
        }
    }
    m_sentinels.clear();
    if (m_replica)
        m_replica->stop();
    if (m_master)
        m_master->stop();
}

bool SentinelGroup::start(QString *error, int timeoutMs)
{
    RedisServerOptions data;
    data.password = m_options.dataPassword;
    if (m_options.tls) {
        data.tls = RedisServerOptions::Tls::On;
        data.extraArgs = {QStringLiteral("--tls-replication"), QStringLiteral("yes")};
    }
    m_master = std::make_unique<RedisServer>(data);
    if (!m_master->start(error))
        return false;
    RedisServerOptions replica = data;
    replica.extraArgs << QStringLiteral("--replicaof") << m_master->host()
                      << QString::number(m_master->port());
    if (!m_options.dataPassword.isEmpty())
        replica.extraArgs << QStringLiteral("--masterauth") << m_options.dataPassword;
    m_replica = std::make_unique<RedisServer>(replica);
    if (!m_replica->start(error))
        return false;
    for (int i = 0; i < kSentinels; ++i) {
        // A free port may be taken by someone else before the sentinel binds it: try another.
        bool started = false;
        for (int attempt = 0; attempt < 5 && !started; ++attempt)
            started = startSentinel(i, error);
        if (!started)
            return false;
    }
    return waitUntilSettled(timeoutMs, error);
}

bool SentinelGroup::startSentinel(int index, QString *error)
{
    const quint16 port = freeLoopbackPort();
    const QString dir = m_dir->path() + QStringLiteral("/s%1").arg(index);
    QDir().mkpath(dir);
    QStringList conf{
        m_options.tls ? QStringLiteral("port 0") : QStringLiteral("port %1").arg(port),
        QStringLiteral("bind 127.0.0.1"),
        QStringLiteral("protected-mode no"),
        QStringLiteral("dir %1").arg(dir),
        QStringLiteral("logfile %1/sentinel.log").arg(dir),
        QStringLiteral("sentinel monitor %1 127.0.0.1 %2 2")
            .arg(m_options.masterName, QString::number(m_master->port())),
        QStringLiteral("sentinel down-after-milliseconds %1 %2")
            .arg(m_options.masterName, QString::number(m_options.downAfterMs)),
        QStringLiteral("sentinel failover-timeout %1 10000").arg(m_options.masterName),
        QStringLiteral("sentinel parallel-syncs %1 1").arg(m_options.masterName),
    };
    if (m_options.tls) {
        const TestCertificates &certificates = m_master->certificates();
        conf << QStringLiteral("tls-port %1").arg(port)
             << QStringLiteral("tls-cert-file %1").arg(certificates.serverCert)
             << QStringLiteral("tls-key-file %1").arg(certificates.serverKey)
             << QStringLiteral("tls-ca-cert-file %1").arg(certificates.caCert)
             << QStringLiteral("tls-auth-clients no") << QStringLiteral("tls-replication yes");
    }
    if (!m_options.dataPassword.isEmpty())
        conf << QStringLiteral("sentinel auth-pass %1 %2")
                    .arg(m_options.masterName, m_options.dataPassword);
    if (!m_options.sentinelPassword.isEmpty())
        // The sentinels talk to each other with the same password.
        conf << QStringLiteral("requirepass %1").arg(m_options.sentinelPassword)
             << QStringLiteral("sentinel sentinel-pass %1").arg(m_options.sentinelPassword);
    const QString confFile = dir + QStringLiteral("/sentinel.conf");
    QFile file(confFile);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(confFile);
        return false;
    }
    file.write((conf.join(u'\n') + u'\n').toUtf8());
    file.close();

    auto process = std::make_unique<QProcess>();
    process->setProgram(program("QS_REDIS_SENTINEL", QStringLiteral("redis-sentinel")));
    process->setArguments({confFile});
    process->setStandardInputFile(QProcess::nullDevice());
    process->setStandardOutputFile(dir + QStringLiteral("/sentinel.stdout"));
    process->setStandardErrorFile(dir + QStringLiteral("/sentinel.stdout"));
    const pid_t parent = ::getpid();
    process->setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
    });
    process->start();
    if (!process->waitForStarted(kStopTimeoutMs)) {
        if (error)
            *error = QStringLiteral("cannot run redis-sentinel: %1").arg(process->errorString());
        return false;
    }
    // Up when it answers PING; an early exit (port taken) is a failed attempt.
    QDeadlineTimer deadline(kCliTimeoutMs);
    while (!deadline.hasExpired()) {
        if (process->state() == QProcess::NotRunning || process->waitForFinished(50)) {
            if (error)
                *error = QStringLiteral("redis-sentinel on port %1 exited at start").arg(port);
            return false;
        }
        QProcess ping;
        ping.start(program("QS_REDIS_CLI", QStringLiteral("redis-cli")),
                   cliTarget(port) << QStringLiteral("PING"));
        if (ping.waitForFinished(kCliTimeoutMs) &&
            !ping.readAllStandardOutput().trimmed().isEmpty()) {
            m_sentinels.push_back(std::move(process));
            m_sentinelPorts << port;
            return true;
        }
    }
    process->kill();
    process->waitForFinished(kStopTimeoutMs);
    if (error)
        *error = QStringLiteral("redis-sentinel on port %1 did not answer PING").arg(port);
    return false;
}

bool SentinelGroup::waitUntilSettled(int timeoutMs, QString *error) const
{
    const QByteArray name = m_options.masterName.toUtf8();
    QDeadlineTimer deadline(timeoutMs);
    QString last;
    while (!deadline.hasExpired()) {
        bool settled = m_replica->cli({QStringLiteral("INFO"), QStringLiteral("replication")})
                           .contains("master_link_status:up");
        last = settled ? QString() : QStringLiteral("the replica is not in sync");
        for (int i = 0; settled && i < kSentinels; ++i) {
            const QByteArray replicas =
                sentinelCli(i, {QStringLiteral("SENTINEL"), QStringLiteral("REPLICAS"), name});
            const QByteArray sentinels =
                sentinelCli(i, {QStringLiteral("SENTINEL"), QStringLiteral("SENTINELS"), name});
            if (entries(replicas) < 1 || replicas.contains("s_down") ||
                replicas.contains("disconnected")) {
                settled = false;
                last = QStringLiteral("sentinel %1 does not see the replica yet").arg(i);
            } else if (entries(sentinels) < kSentinels - 1) {
                settled = false;
                last = QStringLiteral("sentinel %1 does not know the other sentinels yet").arg(i);
            }
        }
        if (settled)
            return true;
        QThread::msleep(200);
    }
    if (error)
        *error = QStringLiteral("the sentinel group did not settle within %1 s (%2)\n%3")
                     .arg(QString::number(timeoutMs / 1000), last, logTail());
    return false;
}

QStringList SentinelGroup::sentinelAddresses() const
{
    QStringList addresses;
    for (const quint16 port : m_sentinelPorts)
        addresses << address(port);
    return addresses;
}

QString SentinelGroup::url() const
{
    const auto encode = [](const QString &text) {
        return QString::fromLatin1(QUrl::toPercentEncoding(text));
    };
    QString url = QStringLiteral("%1+sentinel://%2%3/%4")
                      .arg(m_options.tls ? QStringLiteral("rediss") : QStringLiteral("redis"),
                           m_options.dataPassword.isEmpty()
                               ? QString()
                               : QStringLiteral(":%1@").arg(encode(m_options.dataPassword)),
                           sentinelAddresses().join(u','), encode(m_options.masterName));
    if (!m_options.sentinelPassword.isEmpty())
        url += QStringLiteral("?sentinel_password=") + encode(m_options.sentinelPassword);
    return url;
}

core::ConnectionProfile SentinelGroup::profile() const
{
    core::ConnectionProfile profile;
    profile.name = QStringLiteral("sentinel-test");
    profile.password = m_options.dataPassword;
    profile.sentinel.addresses = sentinelAddresses();
    profile.sentinel.masterName = m_options.masterName;
    profile.sentinel.password = m_options.sentinelPassword;
    if (m_options.tls) {
        profile.tls.enabled = true;
        profile.tls.caFile = caFile();
        profile.sentinel.tls = profile.tls;
    }
    return profile;
}

QString SentinelGroup::currentMaster() const
{
    for (int i = 0; i < int(m_sentinels.size()); ++i) {
        const QList<QByteArray> lines =
            sentinelCli(i, {QStringLiteral("SENTINEL"), QStringLiteral("GET-MASTER-ADDR-BY-NAME"),
                            m_options.masterName})
                .trimmed()
                .split('\n');
        if (lines.size() == 2)
            return QStringLiteral("%1:%2").arg(QString::fromUtf8(lines.at(0).trimmed()),
                                               QString::fromUtf8(lines.at(1).trimmed()));
    }
    return {};
}

bool SentinelGroup::waitForMaster(const QString &wanted, int timeoutMs, QString *error) const
{
    QDeadlineTimer deadline(timeoutMs);
    QString seen;
    while (!deadline.hasExpired()) {
        seen = currentMaster();
        if (seen == wanted)
            return true;
        QThread::msleep(100);
    }
    if (error)
        *error = QStringLiteral("the sentinels still name %1, not %2, after %3 s\n%4")
                     .arg(seen, wanted, QString::number(timeoutMs / 1000), logTail());
    return false;
}

QStringList SentinelGroup::cliTarget(quint16 port) const
{
    QStringList args{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                     QString::number(port)};
    if (m_options.tls)
        args << QStringLiteral("--tls") << QStringLiteral("--cacert") << caFile();
    return args;
}

QString SentinelGroup::caFile() const
{
    return m_master ? m_master->certificates().caCert : QString();
}

QByteArray SentinelGroup::sentinelCli(int index, const QStringList &args) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("REDISCLI_AUTH"));
    if (!m_options.sentinelPassword.isEmpty())
        env.insert(QStringLiteral("REDISCLI_AUTH"), m_options.sentinelPassword);
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program("QS_REDIS_CLI", QStringLiteral("redis-cli")),
                  cliTarget(m_sentinelPorts.at(index)) + args);
    if (!process.waitForFinished(kCliTimeoutMs)) {
        process.kill();
        process.waitForFinished(kStopTimeoutMs);
        return {};
    }
    return process.readAllStandardOutput();
}

QString SentinelGroup::logTail(int maxLines) const
{
    QString text;
    for (int i = 0; i < int(m_sentinelPorts.size()); ++i) {
        QFile file(m_dir->path() + QStringLiteral("/s%1/sentinel.log").arg(i));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QStringList lines =
            QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
        text += QStringLiteral("--- sentinel %1 (port %2):\n%3\n")
                    .arg(i)
                    .arg(m_sentinelPorts.at(i))
                    .arg(lines.mid(qMax(0, lines.size() - maxLines)).join(u'\n'));
    }
    return text;
}

} // namespace qs::test
