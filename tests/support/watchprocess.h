#pragma once

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

#include <optional>

namespace qs::test {

// One running `queuescope watch`, read line by line.
class WatchProcess
{
public:
    explicit WatchProcess(const QStringList &args)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString &name : environment.keys()) {
            if (name.startsWith(QLatin1String("REDIS_")))
                environment.remove(name);
        }
        m_process.setProcessEnvironment(environment);
        m_process.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
                        QStringList{QStringLiteral("watch")} + args);
    }
    ~WatchProcess()
    {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }

    // The next line, or nullopt when none came within timeoutMs.
    std::optional<QJsonObject> next(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!m_process.canReadLine()) {
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                return std::nullopt;
            m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        const QByteArray line = m_process.readLine().trimmed();
        m_lines.append(line);
        return QJsonDocument::fromJson(line).object();
    }

    // Lines until one satisfies `match` (returned), or nullopt at the deadline.
    template <typename Match> std::optional<QJsonObject> until(Match match, int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const std::optional<QJsonObject> line = next(int(deadline.remainingTime()));
            if (!line || match(*line))
                return line;
        }
        return std::nullopt;
    }

    QProcess &process() { return m_process; }
    const QList<QByteArray> &lines() const { return m_lines; }
    QByteArray errors() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QList<QByteArray> m_lines;
};

} // namespace qs::test
