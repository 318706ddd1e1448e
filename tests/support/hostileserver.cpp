#include "hostileserver.h"

#include "redisserver.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryFile>

namespace qs::test {

namespace {

constexpr int kStartAttempts = 5; // a freshly picked port can be taken before the script binds
constexpr int kReadyTimeoutMs = 10'000;

} // namespace

HostileServer::HostileServer(QString behaviour, double trickleIntervalSeconds)
    : m_behaviour(std::move(behaviour))
    , m_interval(trickleIntervalSeconds)
{
}

HostileServer::~HostileServer()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
}

bool HostileServer::start(QString *error)
{
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        m_port = freeLoopbackPort();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        m_process->start(QStringLiteral("/usr/bin/python3"),
                         {QStringLiteral(QS_HOSTILE_SCRIPT), QStringLiteral("--port"),
                          QString::number(m_port), QStringLiteral("--behaviour"), m_behaviour,
                          QStringLiteral("--interval"), QString::number(m_interval)});
        QDeadlineTimer deadline(kReadyTimeoutMs);
        while (!deadline.hasExpired() && m_process->state() != QProcess::NotRunning) {
            m_process->waitForReadyRead(100);
            if (m_process->readAllStandardOutput().contains("ready"))
                return true;
        }
        if (error)
            *error = QStringLiteral("hostile double did not start: %1")
                         .arg(QString::fromUtf8(m_process->readAllStandardError()));
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
    return false;
}

QString HostileServer::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

core::ConnectionProfile HostileServer::profile() const
{
    core::ConnectionProfile profile;
    profile.name = QStringLiteral("hostile-") + m_behaviour;
    profile.host = QStringLiteral("127.0.0.1");
    profile.port = m_port;
    return profile;
}

MeasuredRun runQueuescopeMeasured(const QStringList &args, int timeoutMs)
{
    QTemporaryFile report;
    if (!report.open())
        return {};
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("REDIS_")))
            environment.remove(name);
    }
    process.setProcessEnvironment(environment);
    QElapsedTimer clock;
    clock.start();
    process.start(QStringLiteral("/usr/bin/time"),
                  QStringList{QStringLiteral("-f"), QStringLiteral("%M"), QStringLiteral("-o"),
                              report.fileName(), qEnvironmentVariable("QS_QUEUESCOPE_BIN")} +
                      args);
    MeasuredRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.elapsedMs = clock.elapsed();
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    QFile file(report.fileName());
    if (file.open(QIODevice::ReadOnly)) {
        // The last line is the number; "Command exited with non-zero status N" may precede it.
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        run.peakRssKb = lines.last().trimmed().toLongLong();
    }
    return run;
}

} // namespace qs::test
