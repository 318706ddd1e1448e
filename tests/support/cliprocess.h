#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStringList>

namespace qs::test {

// One run of the real `queuescope` binary (path in QS_QUEUESCOPE_BIN), with REDIS_* variables
// of the calling environment removed so that only what a test passes applies.
struct CliRun
{
    bool crashed = false; // killed by a signal (Qt's abort without a display, a crash)
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// `unset`: variables removed as well, e.g. DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM for a
// machine without a display. `input`: written to standard input, which is then closed.
inline CliRun runQueuescope(const QStringList &args, const QMap<QString, QString> &env = {},
                            int timeoutMs = 60'000, const QStringList &unset = {},
                            const QByteArray &input = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("REDIS_")) || name == QLatin1String("REDISCLI_AUTH") ||
            unset.contains(name))
            environment.remove(name);
    }
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        environment.insert(it.key(), it.value());
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"), args);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs))
        return {};
    return {process.exitStatus() == QProcess::CrashExit, process.exitCode(),
            process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace qs::test
