#pragma once

#include <QJsonArray>
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

// Whether `process` has ended, waiting at most `timeoutMs`. QProcess::waitForFinished alone is
// false for a process that already ended while the event loop ran (a QTRY, another wait):
// tst_clustercli's retry, done while the test waited for the cluster to recover, failed so.
inline bool finishes(QProcess &process, int timeoutMs)
{
    return process.state() == QProcess::NotRunning || process.waitForFinished(timeoutMs);
}

// What `queuescope history --series SERIES --since SINCE --json` prints for `target` (e.g.
// --url ...): step start (epoch ms) -> value, empty when nothing was recorded.
inline QMap<qint64, double> historyPoints(const QStringList &target, const QString &series,
                                          const QString &since,
                                          const QMap<QString, QString> &env = {})
{
    const CliRun run =
        runQueuescope(QStringList{QStringLiteral("history"), QStringLiteral("--series"), series,
                                  QStringLiteral("--since"), since, QStringLiteral("--json")} +
                          target,
                      env);
    QMap<qint64, double> points;
    for (const QJsonValue &point : run.json().value(QStringLiteral("points")).toArray())
        points.insert(qint64(point.toArray().at(0).toDouble()), point.toArray().at(1).toDouble());
    return points;
}

} // namespace qs::test
