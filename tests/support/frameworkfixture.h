#pragma once

// Shared by the real-framework tests: runs a fixture script from tests/queues/ that creates
// jobs with the framework's own client and workers, and speaks its line protocol.

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

#include <optional>

namespace qs::test {

inline QString sourcePath(const QString &relative)
{
    return QDir(qEnvironmentVariable("QS_SOURCE_DIR")).filePath(relative);
}

// True when `program args...` exits 0 within 30 s (e.g. python3 -c "import rq").
inline bool probe(const QString &program, const QStringList &args)
{
    QProcess process;
    process.start(program, args);
    return process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit &&
           process.exitCode() == 0;
}

// tests/queues/<script> --url <url> <options...> --queues <queues...>, as the Python and Ruby
// fixture scripts take them.
inline QStringList fixtureArguments(const QString &script, const QString &url,
                                    const QStringList &options, const QList<QByteArray> &queues)
{
    QStringList arguments{sourcePath(QStringLiteral("tests/queues/") + script),
                          QStringLiteral("--url"), url};
    arguments << options << QStringLiteral("--queues");
    for (const QByteArray &name : queues)
        arguments << QString::fromUtf8(name);
    return arguments;
}

// One fixture script: JSON objects one per line on stdout; requests one per line on stdin.
class FrameworkFixture
{
public:
    FrameworkFixture(const QString &program, const QStringList &arguments,
                     const QString &workingDirectory = {})
    {
        m_process.setWorkingDirectory(workingDirectory);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8")); // queue names are UTF-8
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
        m_process.setProcessEnvironment(env);
        m_process.setProgram(program);
        m_process.setArguments(arguments);
    }
    ~FrameworkFixture() { finish(); }
    FrameworkFixture(const FrameworkFixture &) = delete;
    FrameworkFixture &operator=(const FrameworkFixture &) = delete;

    // Waits for {"ready": true} (creating the states runs real workers: allow minutes).
    bool start(QString *error, int timeoutMs = 180'000)
    {
        m_process.start();
        if (!m_process.waitForStarted(10'000)) {
            *error = m_process.errorString();
            return false;
        }
        const std::optional<QJsonObject> ready = nextObject(timeoutMs);
        if (!ready || !ready->value(QStringLiteral("ready")).toBool()) {
            *error = QStringLiteral("fixture not ready; stderr:\n") + stderrTail();
            return false;
        }
        m_ready = *ready;
        return true;
    }
    // What the fixture said when it was ready ({"ready": true, ...}).
    const QJsonObject &ready() const { return m_ready; }

    std::optional<QJsonObject> request(const QByteArray &line, int timeoutMs = 60'000)
    {
        m_process.write(line + '\n');
        return nextObject(timeoutMs);
    }

    // Lets the script release its held jobs and stop its workers.
    void finish()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.write("quit\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(90'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    QString stderrTail()
    {
        m_stderr += m_process.readAllStandardError();
        return QString::fromUtf8(m_stderr.right(4000));
    }

private:
    std::optional<QJsonObject> nextObject(int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (m_process.canReadLine()) {
                const QByteArray line = m_process.readLine().trimmed();
                if (line.startsWith('{'))
                    return QJsonDocument::fromJson(line).object();
            }
            m_stderr += m_process.readAllStandardError(); // keep the pipe from filling up
            if (m_process.state() == QProcess::NotRunning)
                return std::nullopt;
            m_process.waitForReadyRead(
                qMin<qint64>(200, qMax<qint64>(1, deadline.remainingTime())));
        }
        return std::nullopt;
    }

    QProcess m_process;
    QByteArray m_stderr;
    QJsonObject m_ready;
};

} // namespace qs::test
