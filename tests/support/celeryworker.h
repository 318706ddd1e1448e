#pragma once

// A real `celery worker` of tests/queues/celery_event_worker.py against a test's redis-server,
// for the tests of Celery's workers (events, the workers command).

#include "frameworkfixture.h"
#include "redisserver.h"

#include <QProcess>
#include <QTest>

#include <csignal>
#include <unistd.h>

namespace qs::test {

inline const QString kSystemPython = QStringLiteral("/usr/bin/python3"); // Debian's python3-celery

// One `celery worker` in a process group of its own (kill() takes its pool children too).
class CeleryWorker
{
public:
    CeleryWorker(const RedisServer &server, const QStringList &workerArgs,
                 const QByteArray &keyPrefix = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QS_CELERY_BROKER"),
                   QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port()));
        env.insert(QStringLiteral("QS_CELERY_KEY_PREFIX"), QString::fromUtf8(keyPrefix));
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
        m_env = env;
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(sourcePath(QStringLiteral("tests/queues")));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
        m_process.start(kSystemPython,
                        QStringList{QStringLiteral("-m"), QStringLiteral("celery"),
                                    QStringLiteral("-A"), QStringLiteral("celery_event_worker"),
                                    QStringLiteral("worker"), QStringLiteral("-l"),
                                    QStringLiteral("info"), QStringLiteral("-c"),
                                    QStringLiteral("1"), QStringLiteral("--without-mingle"),
                                    QStringLiteral("--without-gossip")} +
                            workerArgs);
    }
    ~CeleryWorker() { kill(); }

    qint64 pid() const { return m_process.processId(); }
    // "celery@host ready." in its log.
    bool waitUntilReady(int timeoutMs = 60'000)
    {
        return QTest::qWaitFor(
            [&] {
                m_log += m_process.readAll();
                return m_log.contains(" ready.");
            },
            timeoutMs);
    }
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        ::kill(-pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(10'000);
    }
    // Its log so far (the last 4,000 characters: enough for the lines a test looks for).
    QString log()
    {
        m_log += m_process.readAll();
        return QString::fromUtf8(m_log.right(4000));
    }

    // Sends a task with Celery's own client; returns its id.
    QString send(const QStringList &args)
    {
        QProcess client;
        client.setProcessEnvironment(m_env);
        client.setWorkingDirectory(sourcePath(QStringLiteral("tests/queues")));
        client.start(kSystemPython,
                     QStringList{QStringLiteral("celery_event_worker.py"), QStringLiteral("send")} +
                         args);
        if (!client.waitForFinished(60'000))
            return {};
        return QString::fromUtf8(client.readAllStandardOutput()).trimmed();
    }

private:
    QProcess m_process;
    QProcessEnvironment m_env;
    QByteArray m_log;
};

} // namespace qs::test
