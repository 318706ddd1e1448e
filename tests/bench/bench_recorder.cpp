// Issue 15: what the headless recorder costs. 200 BullMQ queues on a throwaway redis-server, 20 of
// them moving every second; `queuescope record` polls them every second and writes their history.
// Its peer in the same run is `queuescope watch --json` on the same server: the same poll without
// the history, so the difference is what recording costs. Each runs --seconds (default 60) after a
// 10 s warm-up; CPU from /proc/<pid>/stat (user + system), memory from /proc/<pid>/status.
//
//   bench_recorder [--queues N] [--seconds S]

#include "benchkit.h"
#include "bullmqqueues.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <unistd.h>

#include <cstdio>

using namespace qs;

namespace {

struct Usage
{
    double cpuSeconds = 0;
    double rssMb = 0;
    double peakRssMb = 0;
};

Usage usageOf(qint64 pid)
{
    Usage usage;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        const double ticks = double(sysconf(_SC_CLK_TCK));
        usage.cpuSeconds = (fields.value(11).toDouble() + fields.value(12).toDouble()) / ticks;
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            const double kb = line.simplified().split(' ').value(1).toDouble();
            if (line.startsWith("VmRSS:"))
                usage.rssMb = kb / 1024;
            else if (line.startsWith("VmHWM:"))
                usage.peakRssMb = kb / 1024;
        }
    }
    return usage;
}

// 20 of the queues move every second: a job in, a job out, one more completed.
void moveBusyQueues(const test::RedisServer &server, int tick)
{
    static const char *script = R"lua(
for i = 0, 190, 10 do
  local b = 'bull:q' .. i .. ':'
  redis.call('RPUSH', b .. 'wait', ARGV[1])
  if tonumber(ARGV[1]) % 3 == 0 then redis.call('LPOP', b .. 'wait') end
  redis.call('ZADD', b .. 'completed', ARGV[1], 'c' .. ARGV[1])
end
return 1
)lua";
    server.cli({QStringLiteral("EVAL"), QString::fromUtf8(script), QStringLiteral("0"),
                QString::number(tick)});
}

struct Run
{
    Usage usage;
    double seconds = 0;
};

Run measure(const test::RedisServer &server, const QStringList &arguments, int seconds,
            const QString &dataHome)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dataHome + QStringLiteral("/config"));
    process.setProcessEnvironment(env);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.start(QStringLiteral(QS_QUEUESCOPE_BIN), arguments);
    if (!process.waitForStarted(10'000))
        qFatal("cannot start queuescope");
    int tick = 0;
    const auto wait = [&](int secondsToWait) {
        for (int s = 0; s < secondsToWait; ++s) {
            moveBusyQueues(server, ++tick);
            QThread::msleep(1'000);
        }
    };
    wait(10); // connect, discover, first chunks
    const Usage before = usageOf(process.processId());
    QElapsedTimer clock;
    clock.start();
    wait(seconds);
    Run run{usageOf(process.processId()), clock.nsecsElapsed() / 1e9};
    run.usage.cpuSeconds -= before.cpuSeconds;
    process.terminate(); // SIGTERM: the recorder flushes and exits
    if (!process.waitForFinished(15'000))
        process.kill();
    return run;
}

void print(const char *what, const Run &run)
{
    std::printf("%-44s CPU %.2f%% of one core, RSS %.1f MB (peak %.1f MB)\n", what,
                100.0 * run.usage.cpuSeconds / run.seconds, run.usage.rssMb, run.usage.peakRssMb);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int queues = bench::intOption(args, QStringLiteral("--queues"), 200);
    const int seconds = bench::intOption(args, QStringLiteral("--seconds"), 60);
    test::RedisServer server;
    bench::startOrDie(server);
    bench::populateBullmqQueues(server, queues);
    const QString url = QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
    QTemporaryDir dataHome;

    const Run watch = measure(server,
                              {
                                  QStringLiteral("watch"),
                                  QStringLiteral("--url"),
                                  url,
                              },
                              seconds, dataHome.path());
    const Run record = measure(server, {QStringLiteral("record"), QStringLiteral("--url"), url},
                               seconds, dataHome.path());
    std::printf("%d BullMQ queues (20 moving every second), polled every second, %d s each\n",
                queues, seconds);
    print("queuescope watch (the poll alone)", watch);
    print("queuescope record (the poll + history)", record);
    QProcess find;
    find.start(QStringLiteral("du"), {QStringLiteral("-sk"), dataHome.path()});
    find.waitForFinished(10'000);
    std::printf("history written: %s", find.readAllStandardOutput().constData());
    return 0;
}
