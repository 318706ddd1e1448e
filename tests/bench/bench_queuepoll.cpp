// Issue 4: the cost of one poll with 200 BullMQ queues. A throwaway redis-server gets 200 BullMQ
// queues (meta hash with version + opts.maxLenEvents, a few ids in wait, failed/completed
// members), QueueMonitor discovers them, then monitor::Poller polls N times (pollNow(), one poll
// in flight at a time). The floor, interleaved in the same run (the order alternates each
// iteration): plain C hiredis on a blocking socket sending exactly the same commands (the
// Poller's INFO + QueueMonitor::planCounts()) in one pipeline.
//
// Redis CPU is measured the fair way (docs/build-notes.md, "Measuring"): CONFIG RESETSTAT right
// before a poll, INFO commandstats right after, over a separate control connection; the usec of
// every command except CONFIG is summed. commandstats times only command execution, so the
// process CPU (INFO cpu, used_cpu_sys + used_cpu_user, which includes reading, parsing and
// writing) is reported next to it.
//
// Ticks that also read the queues' details (throughput, oldest waiting: every 10 s in the app)
// are measured with --details: every poll reads them, and the floor sends the same two
// pipelines (the second one reads the oldest waiting job's hash of every queue).
//
//   bench_queuepoll [--polls N] [--queues Q] [--details]      (defaults 200, 200, off)

#include "benchkit.h"
#include "bullmqqueues.h"
#include "connectionwait.h"
#include "hiredisfloor.h"
#include "pollsample.h"
#include "redisserver.h"

#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "queues/queuediscovery.h"
#include "redis/redisconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

using namespace qs;
using redis::RedisCommand;

namespace {

const QList<QByteArray> kInfoSections{"server",      "clients",     "memory", "stats",
                                      "persistence", "replication", "cpu",    "keyspace"};

// A blocking hiredis connection: the floor, and (a second one) the control connection that
// resets and reads the server's stats outside the timed regions.
redisContext *connectOrDie(quint16 port)
{
    redisContext *context = redisConnect("127.0.0.1", port);
    if (!context || context->err)
        qFatal("hiredis connect failed");
    return context;
}

struct ServerCost
{
    double commandUsec = 0; // sum of commandstats usec (CONFIG excluded)
    long long calls = 0;    // sum of commandstats calls (CONFIG excluded)
    double cpuUsec = 0;     // process CPU (sys + user) delta
    std::map<std::string, long long> callsByCommand;
};

double cpuOf(const redisReply *reply)
{
    double sys = 0, user = 0;
    for (const QByteArray &line : QByteArray(reply->str, qsizetype(reply->len)).split('\n')) {
        if (line.startsWith("used_cpu_sys:"))
            sys = line.mid(13).trimmed().toDouble();
        else if (line.startsWith("used_cpu_user:"))
            user = line.mid(14).trimmed().toDouble();
    }
    return (sys + user) * 1e6;
}

double processCpuUsec(redisContext *control)
{
    redisReply *reply = bench::commandOrDie(control, "INFO cpu");
    const double usec = cpuOf(reply);
    freeReplyObject(reply);
    return usec;
}

// CONFIG RESETSTAT + the process CPU now; finish() reads INFO commandstats and the CPU again.
struct CostProbe
{
    redisContext *control;
    double cpuBefore = 0;

    void begin()
    {
        cpuBefore = processCpuUsec(control); // before RESETSTAT: this INFO is not counted
        freeReplyObject(bench::commandOrDie(control, "CONFIG RESETSTAT"));
    }
    ServerCost finish()
    {
        ServerCost cost;
        // One INFO for both: a command's stats are recorded after its reply is built, so this
        // INFO is not in its own commandstats. The CPU delta includes the CONFIG RESETSTAT.
        redisReply *reply = bench::commandOrDie(control, "INFO cpu commandstats");
        cost.cpuUsec = cpuOf(reply) - cpuBefore;
        for (const bench::CommandCost &command :
             bench::commandCosts(QByteArray(reply->str, qsizetype(reply->len)))) {
            cost.callsByCommand[command.command.toStdString()] += command.calls;
            cost.calls += command.calls;
            cost.commandUsec += command.usec;
        }
        freeReplyObject(reply);
        return cost;
    }
};

// The floor's poll: the first pipeline, and on detail ticks the dependent second one.
double floorPollUs(redisContext *context, const QList<RedisCommand> &commands,
                   const QList<RedisCommand> &followUp)
{
    QElapsedTimer timer;
    timer.start();
    bench::floorPipeline(context, commands);
    if (!followUp.isEmpty())
        bench::floorPipeline(context, followUp);
    return double(timer.nsecsElapsed()) / 1000.0;
}

QByteArray redisVersion(const test::RedisServer &server)
{
    for (const QByteArray &line :
         server.cli({QStringLiteral("INFO"), QStringLiteral("server")}).split('\n')) {
        if (line.startsWith("redis_version:"))
            return line.mid(14).trimmed();
    }
    return "?";
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int polls = bench::intOption(args, QStringLiteral("--polls"), 200);
    const int queueCount = bench::intOption(args, QStringLiteral("--queues"), 200);
    const bool details = args.contains(QStringLiteral("--details"));

    test::RedisServer server;
    bench::startOrDie(server);
    bench::populateBullmqQueues(server, queueCount);

    redis::RedisConnection connection(server.profile());
    connection.open();
    if (!test::waitForState(connection, redis::ConnectionState::Connected))
        qFatal("RedisConnection did not connect: %s", qPrintable(connection.status().describe()));

    // Discovery through QueueMonitor (all default adapters, as the app runs it).
    monitor::QueueMonitor monitor(&connection, monitor::QueueMonitor::defaultAdapters());
    QString discoveryError = QStringLiteral("(did not finish)");
    bool finished = false;
    QObject::connect(&monitor, &monitor::QueueMonitor::discoveryFinished,
                     [&](const QString &e) { discoveryError = e, finished = true; });
    QElapsedTimer discoveryClock;
    discoveryClock.start();
    {
        // A real event loop: QTest::qWaitFor sleeps 10 ms between rounds of event processing.
        QEventLoop loop;
        QObject::connect(&monitor, &monitor::QueueMonitor::discoveryFinished, &loop,
                         &QEventLoop::quit);
        QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
        monitor.discover();
        loop.exec();
    }
    if (!finished || !discoveryError.isEmpty())
        qFatal("discovery failed: %s", qPrintable(discoveryError));
    const double discoveryMs = double(discoveryClock.nsecsElapsed()) / 1e6;
    const auto *discovery = monitor.findChild<queues::QueueDiscovery *>();
    if (monitor.queues().size() != queueCount)
        qFatal("discovered %lld queues, expected %d",
               static_cast<long long>(monitor.queues().size()), queueCount);

    monitor::Poller poller(&connection);
    poller.setQueueMonitor(&monitor);
    poller.setInfoSections(kInfoSections);
    poller.setIntervalMs(monitor::Poller::maxIntervalMs); // polls only when asked (pollNow)
    // Every tick reads the details, or (after the first tick, which reads those of every new
    // queue) none does: the app reads them every 10 s, between two such ticks.
    monitor.setDetailIntervalMs(details ? 0 : std::numeric_limits<int>::max());

    // The first tick happens in start() (and reads the details of every new queue); wait for
    // it, then plan the floor's commands as the following ticks send them.
    {
        QEventLoop loop;
        QObject::connect(&poller, &monitor::Poller::polled, &loop, &QEventLoop::quit);
        poller.start();
        loop.exec();
    }
    // The same commands, for the floor: the Poller's INFO, then the monitor's count plan (and
    // on detail ticks the hash of each queue's oldest waiting job, "3" at the tail of wait).
    QList<RedisCommand> commands{RedisCommand{"INFO"} + kInfoSections};
    commands.append(monitor.planCounts(QDateTime::currentMSecsSinceEpoch()).commands);
    QList<RedisCommand> followUp;
    if (details) {
        for (const queues::QueueRef &queue : monitor.queues())
            followUp.append({"HMGET", "bull:" + queue.name + ":3", "timestamp", "delay"});
    }

    redisContext *floor = connectOrDie(server.port());
    redisContext *control = connectOrDie(server.port());
    CostProbe probe{control};
    for (int i = 0; i < 20; ++i) {
        floorPollUs(floor, commands, followUp);
        bench::pollOnce(poller);
    }

    std::vector<double> floorUs, oursUs, ioUs;
    std::vector<double> floorCmdUs, oursCmdUs, floorCpuUs, oursCpuUs;
    bench::PollSample last;
    ServerCost lastOursCost;
    long long floorCalls = 0;
    for (int i = 0; i < polls; ++i) {
        auto runOurs = [&] {
            probe.begin();
            last = bench::pollOnce(poller);
            lastOursCost = probe.finish();
            oursUs.push_back(last.wallUs);
            ioUs.push_back(last.ioThreadUs);
            oursCmdUs.push_back(lastOursCost.commandUsec);
            oursCpuUs.push_back(lastOursCost.cpuUsec);
        };
        auto runFloor = [&] {
            probe.begin();
            floorUs.push_back(floorPollUs(floor, commands, followUp));
            const ServerCost cost = probe.finish();
            floorCalls = cost.calls;
            floorCmdUs.push_back(cost.commandUsec);
            floorCpuUs.push_back(cost.cpuUsec);
        };
        if (i % 2 == 0) { // alternate the order: neither side always runs on a warmer server
            runOurs();
            runFloor();
        } else {
            runFloor();
            runOurs();
        }
    }
    poller.stop();
    redisFree(floor);
    redisFree(control);

    auto mean = [](const std::vector<double> &v) {
        double sum = 0;
        for (double x : v)
            sum += x;
        return sum / double(v.size());
    };

    std::printf("queues: %d BullMQ (bullmq:6.7.0 meta), redis-server %s\n", queueCount,
                redisVersion(server).constData());
    std::printf("discovery (QueueMonitor, all default adapters): %lld queues, %d SCAN calls, "
                "%.1f ms\n",
                static_cast<long long>(monitor.queues().size()),
                discovery ? discovery->scanCalls() : -1, discoveryMs);
    std::printf("per poll: %d commands (PollCost), %lld commands seen by the server "
                "(commandstats), %d round trip(s), %d queues counted\n",
                last.cost.commands, lastOursCost.calls, last.cost.roundTrips, last.queues);
    std::printf("  by command:");
    for (const auto &[name, calls] : lastOursCost.callsByCommand)
        std::printf(" %s=%lld", name.c_str(), calls);
    std::printf("\n  floor sends %lld commands in %d pipeline(s) (server saw %lld)%s\n",
                static_cast<long long>(commands.size() + followUp.size()),
                followUp.isEmpty() ? 1 : 2, floorCalls,
                details ? ", every poll reads the details" : "");
    std::printf("%d polls each, interleaved (medians; p90 for latency)\n", polls);
    std::printf("%-44s %9s %9s %12s %12s\n", "", "p50 ms", "p90 ms", "cmdstat ms", "cpu ms");
    std::printf("%-44s %9.3f %9.3f %12.3f %12.3f\n", "floor: C hiredis, blocking pipeline",
                bench::median(floorUs) / 1000, bench::percentile(floorUs, 0.9) / 1000,
                bench::median(floorCmdUs) / 1000, bench::median(floorCpuUs) / 1000);
    std::printf("%-44s %9.3f %9.3f %12.3f %12.3f\n", "Poller, pollNow() to polled()",
                bench::median(oursUs) / 1000, bench::percentile(oursUs, 0.9) / 1000,
                bench::median(oursCmdUs) / 1000, bench::median(oursCpuUs) / 1000);
    std::printf("%-44s %9.3f %9.3f\n", "Poller, I/O thread (write to last reply)",
                bench::median(ioUs) / 1000, bench::percentile(ioUs, 0.9) / 1000);
    std::printf("mean Redis commandstats usec per poll: ours %.1f, floor %.1f\n", mean(oursCmdUs),
                mean(floorCmdUs));
    std::printf("ratios (ours / floor): latency p50 %.2fx, p90 %.2fx, Redis cmdstat %.2fx, "
                "Redis process CPU %.2fx\n",
                bench::median(oursUs) / bench::median(floorUs),
                bench::percentile(oursUs, 0.9) / bench::percentile(floorUs, 0.9),
                bench::median(oursCmdUs) / bench::median(floorCmdUs),
                bench::median(oursCpuUs) / bench::median(floorCpuUs));
    return 0;
}
