// Issue 16: the cost of one poll of a Redis Cluster. A real 6-node cluster (3 masters, 1 replica
// each: tests/support/rediscluster.h) gets `--queues` BullMQ queues per master (hash-tagged
// names "{qN}", picked by slot so that each master owns exactly that many; the same keys as
// bench_queuepoll's queues, written through RedisConnection's own routing), QueueMonitor
// discovers them on every master, then monitor::Poller polls N times (pollNow(), one poll in
// flight): one pipeline per live node, side by side.
//
// The floor, interleaved in the same run (the order alternates each iteration): plain C hiredis
// on a blocking socket per node sending exactly the commands that node receives in a tick (its
// INFO, CLUSTER INFO on the first node, the count commands of the queues whose slot it owns), one
// node after the other; the goal compares the Poller's p50 with the slowest node's floor p50.
// For information, a second floor writes every node's pipeline first and then reads them all
// (every node at work at once, one client thread).
//
// After the timed polls, CONFIG RESETSTAT on every node, one poll, INFO commandstats on every
// node: the commands each node really received in one tick (the "seen" column, next to the
// plan's; the router's own CLUSTER SHARDS, every 5 s, can add one).
//
//   bench_clusterpoll [--polls N] [--queues Q] [--no-floor]
//   (defaults 200 polls, 200 queues per master; --no-floor times the Poller alone, for perf)

#include "benchkit.h"
#include "connectionwait.h"
#include "hiredisfloor.h"
#include "pollsample.h"
#include "rediscluster.h"

#include "core/hostport.h"
#include "monitor/clustertick.h"
#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "redis/clustermap.h"
#include "redis/clusterslot.h"
#include "redis/redisconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <hiredis/hiredis.h>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <vector>

using namespace qs;
using redis::RedisCommand;

namespace {

const QList<QByteArray> kInfoSections{"server",      "clients",     "memory", "stats",
                                      "persistence", "replication", "cpu",    "keyspace"};

// This process's CPU time (every thread: the caller's and the I/O thread), microseconds.
double processCpuUs()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e6 + double(now.tv_nsec) / 1e3;
}

// Runs until `done` or 60 s; a real event loop (qWaitFor sleeps between rounds).
template <typename Signal, typename Sender>
void waitForSignal(Sender *sender, Signal signal, const std::function<void()> &start)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
    start();
    loop.exec();
}

bool owns(const redis::TopologyNode &node, int slot)
{
    return std::any_of(
        node.slotRanges.cbegin(), node.slotRanges.cend(),
        [slot](const redis::SlotRange &r) { return r.first <= slot && slot <= r.last; });
}

// `perMaster` queue names "{qN}" for each master of `topology`, each master owning exactly that
// many (by the slot of the hash tag).
QList<QByteArray> pickQueueNames(const redis::Topology &topology, int perMaster)
{
    QList<QByteArray> names;
    std::map<QString, int> owned;
    int masters = 0;
    for (const redis::TopologyNode &node : topology.nodes)
        masters += node.role == QLatin1String("master") ? 1 : 0;
    for (int i = 0; names.size() < qsizetype(masters) * perMaster; ++i) {
        const QByteArray tag = "q" + QByteArray::number(i);
        const int slot = redis::keyHashSlot(tag);
        for (const redis::TopologyNode &node : topology.nodes) {
            if (node.role == QLatin1String("master") && owns(node, slot) &&
                owned[node.address] < perMaster) {
                ++owned[node.address];
                names.append("{" + tag + "}");
            }
        }
    }
    return names;
}

// The same keys as bench::populateBullmqQueues, for queue `name` (BullMQ 6 layout).
QList<RedisCommand> populateCommands(const QByteArray &name, int i)
{
    const QByteArray b = "bull:" + name + ":";
    return {
        {"HSET", b + "meta", "version", "bullmq:6.7.0", "opts.maxLenEvents", "10000"},
        {"SET", b + "id", QByteArray::number(10 + i % 7)},
        {"RPUSH", b + "wait", "1", "2", "3"},
        {"ZADD", b + "failed", "1", "f1", "2", "f2"},
        {"ZADD", b + "completed", "1", "c1", "2", "c2", "3", "c3", "4", "c4"},
        {"HSET", b + "3", "name", "job", "timestamp", "1700000000000", "delay", "0"},
    };
}

// One node as the floor sees it: where, what it receives in one tick, its socket.
struct FloorNode
{
    QString address;
    QString role;
    QList<RedisCommand> commands;
    redisContext *context = nullptr;
    std::vector<double> us; // each timed pipeline
};

// The Poller's plan for one tick (ClusterTick::plan), node by node, as the router sends it.
std::vector<FloorNode> planByNode(const redis::Topology &topology,
                                  const QList<RedisCommand> &counts)
{
    std::vector<FloorNode> nodes;
    std::map<QString, size_t> at;
    const monitor::ClusterTick tick =
        monitor::ClusterTick::plan(topology, RedisCommand{"INFO"} + kInfoSections, counts);
    for (const redis::TopologyNode &node : topology.nodes) {
        if (tick.infoNodes.contains(node.address)) {
            at[node.address] = nodes.size();
            nodes.push_back({node.address, node.role, {}});
        }
    }
    for (const redis::NodeCommand &command : tick.commands) {
        QString target = command.node; // pinned, else the master that owns the slot
        for (qsizetype i = 0; target.isEmpty() && i < topology.nodes.size(); ++i) {
            const redis::TopologyNode &n = topology.nodes.at(i);
            if (n.role == QLatin1String("master") && owns(n, redis::commandSlot(command.command)))
                target = n.address;
        }
        if (!at.count(target))
            qFatal("no live node for a command of the tick");
        nodes.at(at.at(target)).commands.append(command.command);
    }
    for (FloorNode &node : nodes) {
        const auto hostPort = core::parseHostPort(node.address, std::nullopt);
        if (!hostPort)
            qFatal("bad node address %s", qPrintable(node.address));
        node.context = redisConnect(hostPort->first.toUtf8().constData(), hostPort->second);
        if (!node.context || node.context->err)
            qFatal("hiredis connect to %s failed", qPrintable(node.address));
    }
    return nodes;
}

// Every node's pipeline written first, then every reply read: all nodes at work at once.
double floorAllAtOnceUs(std::vector<FloorNode> &nodes)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (FloorNode &node : nodes) {
        for (const RedisCommand &command : node.commands) {
            argv.clear();
            lengths.clear();
            for (const QByteArray &arg : command) {
                argv.push_back(arg.constData());
                lengths.push_back(size_t(arg.size()));
            }
            redisAppendCommandArgv(node.context, int(argv.size()), argv.data(), lengths.data());
        }
        int done = 0;
        while (!done) {
            if (redisBufferWrite(node.context, &done) != REDIS_OK)
                qFatal("hiredis write: %s", node.context->errstr);
        }
    }
    for (FloorNode &node : nodes) {
        for (qsizetype i = 0; i < node.commands.size(); ++i) {
            void *reply = nullptr;
            if (redisGetReply(node.context, &reply) != REDIS_OK)
                qFatal("hiredis: %s", node.context->errstr);
            freeReplyObject(reply);
        }
    }
    return double(timer.nsecsElapsed()) / 1000.0;
}

// The commands each node received since CONFIG RESETSTAT (INFO commandstats, CONFIG excluded).
long long commandsSeen(redisContext *context)
{
    redisReply *reply = bench::commandOrDie(context, "INFO commandstats");
    long long calls = 0;
    for (const bench::CommandCost &cost :
         bench::commandCosts(QByteArray(reply->str, qsizetype(reply->len))))
        calls += cost.calls;
    freeReplyObject(reply);
    return calls;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int polls = bench::intOption(args, QStringLiteral("--polls"), 200);
    const int perMaster = bench::intOption(args, QStringLiteral("--queues"), 200);
    const bool withFloor = !args.contains(QStringLiteral("--no-floor"));

    test::RedisCluster cluster; // 3 masters + 3 replicas
    QString error;
    if (!cluster.start(&error))
        qFatal("cannot start the cluster: %s", qPrintable(error));

    redis::RedisConnection connection(cluster.profile(0));
    connection.open();
    if (!test::waitForState(connection, redis::ConnectionState::Connected) ||
        !connection.isCluster())
        qFatal("no cluster connection: %s", qPrintable(connection.status().describe()));
    const redis::Topology topology = connection.topology();

    const QList<QByteArray> names = pickQueueNames(topology, perMaster);
    QList<RedisCommand> populate;
    for (qsizetype i = 0; i < names.size(); ++i)
        populate.append(populateCommands(names.at(i), int(i)));
    const auto written = test::runPipeline(connection, populate, 60'000);
    if (!written || !written->ok())
        qFatal("populate failed: %s", written ? qPrintable(written->error.message) : "timeout");

    monitor::QueueMonitor monitor(&connection, monitor::QueueMonitor::defaultAdapters());
    QString discoveryError = QStringLiteral("(did not finish)");
    QObject::connect(&monitor, &monitor::QueueMonitor::discoveryFinished,
                     [&](const QString &e) { discoveryError = e; });
    waitForSignal(&monitor, &monitor::QueueMonitor::discoveryFinished, [&] { monitor.discover(); });
    if (!discoveryError.isEmpty())
        qFatal("discovery failed: %s", qPrintable(discoveryError));
    if (monitor.queues().size() != names.size())
        qFatal("discovered %lld queues, expected %lld",
               static_cast<long long>(monitor.queues().size()),
               static_cast<long long>(names.size()));

    monitor::Poller poller(&connection);
    poller.setQueueMonitor(&monitor);
    poller.setInfoSections(kInfoSections);
    poller.setIntervalMs(monitor::Poller::maxIntervalMs);         // polls only when asked (pollNow)
    monitor.setDetailIntervalMs(std::numeric_limits<int>::max()); // steady ticks
    waitForSignal(&poller, &monitor::Poller::polled, [&] { poller.start(); });

    std::vector<FloorNode> nodes =
        // The topology as the Poller reads it now (its first node gets CLUSTER INFO).
        planByNode(connection.topology(),
                   monitor.planCounts(QDateTime::currentMSecsSinceEpoch()).commands);
    for (int i = 0; i < 20; ++i) { // warm up both
        for (FloorNode &node : nodes)
            bench::floorPipeline(node.context, node.commands);
        floorAllAtOnceUs(nodes);
        bench::pollOnce(poller);
    }

    std::vector<double> oursUs, ioUs, allAtOnceUs, oursCpuUs, allAtOnceCpuUs;
    bench::PollSample last;
    for (int i = 0; i < polls; ++i) {
        auto runOurs = [&] {
            const double cpu = processCpuUs();
            last = bench::pollOnce(poller);
            oursCpuUs.push_back(processCpuUs() - cpu);
            oursUs.push_back(last.wallUs);
            ioUs.push_back(last.ioThreadUs);
        };
        auto runFloor = [&] {
            if (!withFloor)
                return;
            for (FloorNode &node : nodes) {
                QElapsedTimer timer;
                timer.start();
                bench::floorPipeline(node.context, node.commands);
                node.us.push_back(double(timer.nsecsElapsed()) / 1000.0);
            }
            const double cpu = processCpuUs();
            allAtOnceUs.push_back(floorAllAtOnceUs(nodes));
            allAtOnceCpuUs.push_back(processCpuUs() - cpu);
        };
        if (i % 2 == 0) { // alternate the order: neither side always runs on warmer servers
            runOurs();
            runFloor();
        } else {
            runFloor();
            runOurs();
        }
    }

    // One more tick, counted by the servers themselves.
    for (FloorNode &node : nodes)
        freeReplyObject(bench::commandOrDie(node.context, "CONFIG RESETSTAT"));
    const bench::PollSample counted = bench::pollOnce(poller);
    poller.stop();

    std::printf("cluster: %zu nodes polled; %lld BullMQ queues (%d per master, bullmq:6.7.0 "
                "meta), %lld counted per poll\n",
                nodes.size(), static_cast<long long>(names.size()), perMaster,
                static_cast<long long>(counted.queues));
    std::printf("per poll: %d commands (PollCost), %d round trips\n", counted.cost.commands,
                counted.cost.roundTrips);
    const FloorNode *slowest = &nodes.front();
    std::printf("%d polls, interleaved\n%-44s %9s %9s %9s %9s\n", polls, "", "commands", "seen",
                "p50 ms", "p95 ms");
    for (const FloorNode &node : nodes) {
        const QString label = QStringLiteral("floor: hiredis, %1 %2").arg(node.role, node.address);
        std::printf("%-44s %9lld %9lld", qPrintable(label),
                    static_cast<long long>(node.commands.size()), commandsSeen(node.context));
        if (!withFloor) {
            std::printf("\n");
            continue;
        }
        std::printf(" %9.3f %9.3f\n", bench::median(node.us) / 1000,
                    bench::percentile(node.us, 0.95) / 1000);
        if (bench::median(node.us) > bench::median(slowest->us))
            slowest = &node;
    }
    if (withFloor)
        std::printf("%-44s %9s %9s %9.3f %9.3f\n", "floor: hiredis, every node at once", "", "",
                    bench::median(allAtOnceUs) / 1000, bench::percentile(allAtOnceUs, 0.95) / 1000);
    std::printf("%-44s %9d %9s %9.3f %9.3f\n", "Poller, pollNow() to polled()",
                counted.cost.commands, "", bench::median(oursUs) / 1000,
                bench::percentile(oursUs, 0.95) / 1000);
    std::printf("%-44s %9s %9s %9.3f %9.3f\n", "Poller, I/O (slowest node: write to reply)", "", "",
                bench::median(ioUs) / 1000, bench::percentile(ioUs, 0.95) / 1000);
    std::printf("client CPU per poll (this process, every thread), p50: Poller %.3f ms",
                bench::median(oursCpuUs) / 1000);
    if (withFloor)
        std::printf(", hiredis every node at once %.3f ms", bench::median(allAtOnceCpuUs) / 1000);
    std::printf("\n");
    if (withFloor)
        std::printf("ratio p50 Poller / slowest node's floor (%s): %.2fx (goal <= 1.5x); "
                    "/ every node at once: %.2fx\n",
                    qPrintable(slowest->address),
                    bench::median(oursUs) / bench::median(slowest->us),
                    bench::median(oursUs) / bench::median(allAtOnceUs));
    for (FloorNode &node : nodes)
        redisFree(node.context);
    return 0;
}
