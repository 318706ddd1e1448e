// Issue 15: what the headless recorder costs. 200 BullMQ queues on a throwaway redis-server, 20 of
// them moving every second; `queuescope record` polls them every second and writes their history.
// Its peer in the same run is `queuescope watch --json` on the same server: the same poll without
// the history, so the difference is what recording costs. Each runs --seconds (default 60) after a
// 10 s warm-up; CPU from /proc/<pid>/stat (user + system), memory from /proc/<pid>/status.
//
//   bench_recorder [--queues N] [--seconds S]

#include "benchkit.h"
#include "bullmqqueues.h"
#include "processusage.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>

using namespace qs;

namespace {

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
    bench::Usage usage;
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
    const bench::Usage before = bench::usageOf(process.processId());
    QElapsedTimer clock;
    clock.start();
    wait(seconds);
    Run run{bench::usageOf(process.processId()), clock.nsecsElapsed() / 1e9};
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
