#include "redisserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QMutex>
#include <QMutexLocker>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace qs::test {

namespace {

constexpr int kReadyTimeoutMs = 10'000;
constexpr int kStopTimeoutMs = 5'000;
constexpr int kCliTimeoutMs = 30'000;
constexpr int kFirstStartAttempts = 5; // a freshly picked port can be taken before redis binds

// QS_REDIS_SERVER / QS_REDIS_CLI override the programs (e.g. to try another Redis version).
QString findProgram(const char *envName, const QString &name)
{
    const QString fromEnv = qEnvironmentVariable(envName);
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::findExecutable(name);
}

QString redisServerProgram()
{
    return findProgram("QS_REDIS_SERVER", QStringLiteral("redis-server"));
}

QString redisCliProgram()
{
    return findProgram("QS_REDIS_CLI", QStringLiteral("redis-cli"));
}

QString tailOfFile(const QString &path, int maxLines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines =
        QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.mid(qMax(0, lines.size() - maxLines)).join(QLatin1Char('\n'));
}

// Making the certificates takes 1-2 s (four RSA keys), so one set is made per test process and
// each TLS server gets its own copy (a test may then damage its copy without affecting others).
bool copySharedCertificates(const QString &targetDir, QString *error)
{
    static QMutex mutex;
    static std::unique_ptr<QTemporaryDir> shared; // removed at process exit
    const QMutexLocker lock(&mutex);
    if (!shared) {
        auto dir =
            std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/qs-certs-XXXXXX"));
        if (!dir->isValid()) {
            if (error)
                *error = dir->errorString();
            return false;
        }
        if (!TestCertificates::generate(dir->path(), error))
            return false;
        shared = std::move(dir);
    }
    if (!QDir().mkpath(targetDir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(targetDir);
        return false;
    }
    const TestCertificates from = TestCertificates::inDirectory(shared->path());
    const TestCertificates to = TestCertificates::inDirectory(targetDir);
    const std::pair<QString, QString> files[] = {
        {from.caCert, to.caCert},
        {from.caKey, to.caKey},
        {from.serverCert, to.serverCert},
        {from.serverKey, to.serverKey},
        {from.expiredServerCert, to.expiredServerCert},
        {from.clientCert, to.clientCert},
        {from.clientKey, to.clientKey},
        {from.otherCaCert, to.otherCaCert},
    };
    for (const auto &[source, target] : files) {
        QFile::remove(target);
        if (!QFile::copy(source, target)) {
            if (error)
                *error = QStringLiteral("cannot copy %1 to %2").arg(source, target);
            return false;
        }
    }
    return true;
}

// For failure messages: empty or spaced arguments quoted, passwords masked.
QString displayArguments(const QStringList &args)
{
    QStringList shown;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString arg = args.at(i);
        if (i > 0 && args.at(i - 1) == QLatin1String("--requirepass"))
            arg = QStringLiteral("***");
        else if (arg.startsWith(QLatin1Char('>')) || arg.startsWith(QLatin1Char('#')))
            arg = arg.left(1) + QStringLiteral("***"); // ACL password / hash
        if (arg.isEmpty() || arg.contains(QLatin1Char(' ')))
            arg = QLatin1Char('"') + arg + QLatin1Char('"');
        shown << arg;
    }
    return shown.join(QLatin1Char(' '));
}

} // namespace

quint16 freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

RedisServer::RedisServer(RedisServerOptions options)
    : m_options(std::move(options))
    , m_dir(std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/qs-redis-XXXXXX")))
{
}

RedisServer::~RedisServer()
{
    stop();
}

QString RedisServer::directory() const
{
    return m_dir->isValid() ? m_dir->path() : QString();
}

QString RedisServer::unixSocketPath() const
{
    if (!m_options.unixSocket)
        return {};
    return directory() + QStringLiteral("/redis.sock");
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QStringList RedisServer::serverArguments() const
{
    const QString dir = directory();
    const QString port = QString::number(m_port);
    // One real argv; no config file. Each "--name" starts an option, the following words are
    // its arguments (redis-server joins them into a config line).
    QStringList args{
        QStringLiteral("--bind"),
        host(),
        QStringLiteral("--save"),
        QString(), // empty argument: no RDB snapshots
        QStringLiteral("--appendonly"),
        QStringLiteral("no"),
        QStringLiteral("--dir"),
        dir,
        QStringLiteral("--logfile"),
        dir + QStringLiteral("/redis.log"),
        QStringLiteral("--daemonize"),
        QStringLiteral("no"),
        // Tests simulate a stuck server with DEBUG SLEEP; Redis 7 disables DEBUG by default.
        QStringLiteral("--enable-debug-command"),
        QStringLiteral("yes"),
    };

    if (m_options.tls == RedisServerOptions::Tls::Off) {
        args << QStringLiteral("--port") << port;
    } else {
        const QString cert =
            m_options.expiredCertificate ? m_certs.expiredServerCert : m_certs.serverCert;
        const bool mutual = m_options.tls == RedisServerOptions::Tls::Mutual;
        args << QStringLiteral("--port") << QStringLiteral("0") << QStringLiteral("--tls-port")
             << port << QStringLiteral("--tls-cert-file") << cert
             << QStringLiteral("--tls-key-file") << m_certs.serverKey
             << QStringLiteral("--tls-ca-cert-file") << m_certs.caCert
             << QStringLiteral("--tls-auth-clients")
             << (mutual ? QStringLiteral("yes") : QStringLiteral("no"));
    }

    if (m_options.unixSocket) {
        args << QStringLiteral("--unixsocket") << unixSocketPath()
             << QStringLiteral("--unixsocketperm") << QStringLiteral("700");
    }

    if (!m_options.password.isEmpty())
        args << QStringLiteral("--requirepass") << m_options.password;

    // Checked with redis-server 7.0: "--user alice on >secret ~* +@read" as separate argv words
    // defines the user; the whole rule as one argument fails ("Spaces not allowed in ACL
    // usernames").
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    for (const QString &rule : m_options.aclUsers)
        args << QStringLiteral("--user") << rule.split(whitespace, Qt::SkipEmptyParts);

    args << m_options.extraArgs;
    return args;
}

bool RedisServer::start(QString *error)
{
    if (isRunning())
        return true;
    if (!m_dir->isValid()) {
        if (error)
            *error = QStringLiteral("cannot create a temporary directory: ") + m_dir->errorString();
        return false;
    }
    if (redisServerProgram().isEmpty()) {
        if (error)
            *error = QStringLiteral("redis-server not found on PATH (scripts/install-deps.sh "
                                    "installs it)");
        return false;
    }
    if (m_options.tls != RedisServerOptions::Tls::Off && m_certs.caCert.isEmpty()) {
        const QString tlsDir = directory() + QStringLiteral("/tls");
        QString certError;
        if (!copySharedCertificates(tlsDir, &certError)) {
            if (error)
                *error = QStringLiteral("cannot make test certificates: ") + certError;
            return false;
        }
        m_certs = TestCertificates::inDirectory(tlsDir);
    }

    // First start: pick a port; if someone took it in between, pick another one.
    // Later starts (restart()) keep the port.
    const bool firstStart = m_port == 0;
    const int attempts = firstStart ? kFirstStartAttempts : 1;
    QString lastError;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (firstStart) {
            m_port = freeLoopbackPort();
            if (m_port == 0) {
                lastError = QStringLiteral("no free loopback port");
                continue;
            }
        }
        if (launch(&lastError))
            return true;
        if (!lastError.contains(QLatin1String("Address already in use")))
            break;
    }
    if (firstStart)
        m_port = 0;
    if (error)
        *error = lastError;
    return false;
}

bool RedisServer::launch(QString *error)
{
    const QString dir = directory();
    // Start each attempt with an empty log so that failure messages show this attempt only.
    QFile::remove(dir + QStringLiteral("/redis.log"));
    QFile::remove(dir + QStringLiteral("/redis.stdout"));

    m_process = std::make_unique<QProcess>();
    m_process->setProgram(redisServerProgram());
    m_process->setArguments(serverArguments());
    m_process->setWorkingDirectory(dir);
    // No pipes: nothing can fill up or break; everything the server prints lands in files.
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(dir + QStringLiteral("/redis.stdout"), QIODevice::Append);
    m_process->setStandardErrorFile(dir + QStringLiteral("/redis.stdout"), QIODevice::Append);
    // If the test process dies without running destructors (crash, ctest timeout), the kernel
    // terminates the server instead of leaving it behind.
    const pid_t parent = ::getpid();
    m_process->setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
    });

    m_process->start();
    if (!m_process->waitForStarted(kStopTimeoutMs)) {
        if (error)
            *error = QStringLiteral("cannot run %1: %2")
                         .arg(m_process->program(), m_process->errorString());
        m_process.reset();
        return false;
    }
    if (waitUntilReady(error))
        return true;

    kill();
    if (error)
        *error +=
            QStringLiteral("\n--- redis-server %1 (port %2), last log lines:\n%3")
                .arg(displayArguments(m_process->arguments()), QString::number(m_port), logTail());
    return false;
}

bool RedisServer::waitUntilReady(QString *error) const
{
    QDeadlineTimer deadline(kReadyTimeoutMs);
    while (!deadline.hasExpired()) {
        if (answersPing())
            return true;
        // Doubles as the poll interval and notices an early exit (bad option, port in use).
        if (m_process->waitForFinished(50) || m_process->state() == QProcess::NotRunning) {
            if (error)
                *error = QStringLiteral("redis-server exited before answering PING (exit code %1)")
                             .arg(m_process->exitCode());
            return false;
        }
    }
    if (error)
        *error = QStringLiteral("redis-server did not answer PING within %1 s")
                     .arg(kReadyTimeoutMs / 1000);
    return false;
}

bool RedisServer::answersPing() const
{
    // Any reply proves the server is up, e.g. PONG, or NOAUTH when an ACL rule disabled the
    // default user. redis-cli exits 0 with a reply on stdout (also for error replies) and 1 with
    // nothing on stdout when it cannot connect or the TLS handshake fails.
    int exitCode = -1;
    const QByteArray reply = cli({QStringLiteral("PING")}, &exitCode);
    return exitCode == 0 && !reply.trimmed().isEmpty();
}

void RedisServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM: redis shuts down (no save configured)
        if (!m_process->waitForFinished(kStopTimeoutMs)) {
            m_process->kill();
            m_process->waitForFinished(kStopTimeoutMs);
        }
    }
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();                          // SIGKILL
        m_process->waitForFinished(kStopTimeoutMs); // reaped: no zombie, port is free again
    }
}

bool RedisServer::restart(QString *error)
{
    if (m_port == 0)
        return start(error);
    stop();
    return start(error);
}

core::ConnectionProfile RedisServer::profile() const
{
    core::ConnectionProfile p;
    p.name = QStringLiteral("test redis %1").arg(m_port);
    p.host = host();
    p.port = m_port;
    p.password = m_options.password;
    if (m_options.tls != RedisServerOptions::Tls::Off) {
        p.tls.enabled = true;
        p.tls.caFile = m_certs.caCert;
        if (m_options.tls == RedisServerOptions::Tls::Mutual) {
            p.tls.certFile = m_certs.clientCert;
            p.tls.keyFile = m_certs.clientKey;
        }
    }
    return p;
}

QByteArray RedisServer::cli(const QStringList &args, int *exitCode) const
{
    if (exitCode)
        *exitCode = -1;
    const QString program = redisCliProgram();
    if (program.isEmpty() || m_port == 0)
        return {};

    QStringList argv{QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port)};
    if (m_options.tls != RedisServerOptions::Tls::Off) {
        argv << QStringLiteral("--tls");
        if (m_options.expiredCertificate)
            argv << QStringLiteral("--insecure"); // arranging data only: the cert is expired
        else
            argv << QStringLiteral("--cacert") << m_certs.caCert;
        if (m_options.tls == RedisServerOptions::Tls::Mutual)
            argv << QStringLiteral("--cert") << m_certs.clientCert << QStringLiteral("--key")
                 << m_certs.clientKey;
    }
    argv << args;

    // The password goes through the environment, never the command line (visible in ps).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("REDISCLI_AUTH"));
    if (!m_options.password.isEmpty())
        env.insert(QStringLiteral("REDISCLI_AUTH"), m_options.password);

    QProcess process;
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, argv);
    if (!process.waitForFinished(kCliTimeoutMs)) {
        process.kill();
        process.waitForFinished(kStopTimeoutMs);
        return {};
    }
    if (exitCode)
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return process.readAllStandardOutput();
}

QString RedisServer::logTail(int maxLines) const
{
    const QString dir = directory();
    QString text = tailOfFile(dir + QStringLiteral("/redis.log"), maxLines);
    const QString output = tailOfFile(dir + QStringLiteral("/redis.stdout"), maxLines);
    if (!output.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + output;
    return text.isEmpty() ? QStringLiteral("(empty log)") : text;
}

} // namespace qs::test
