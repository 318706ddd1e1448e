// One poll-sized pipelined round trip: INFO plus 1,400 LLEN/ZCARD (200 queues x 7 counts),
// through RedisConnection (I/O thread, QSslSocket, hiredis reader, value replies, queued
// callback) against the floor: plain C hiredis on a blocking socket, same commands, same server,
// interleaved in the same run. Prints medians and the ratio.
//
//   bench_pipeline [--iterations N]      (default 300)

#include "benchkit.h"
#include "connectionwait.h"
#include "hiredisfloor.h"
#include "redisserver.h"

#include "redis/redisconnection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <algorithm>
#include <cstdio>

using namespace qs::redis;

namespace {

QList<RedisCommand> pollCommands()
{
    QList<RedisCommand> commands{{"INFO", "server", "clients", "memory", "stats", "persistence",
                                  "replication", "cpu", "keyspace"}};
    for (int q = 0; q < 200; ++q) {
        const QByteArray base = "bull:queue-" + QByteArray::number(q) + ":";
        commands.append(RedisCommand{"LLEN", base + "wait"});
        commands.append(RedisCommand{"LLEN", base + "active"});
        commands.append(RedisCommand{"ZCARD", base + "prioritized"});
        commands.append(RedisCommand{"ZCARD", base + "delayed"});
        commands.append(RedisCommand{"ZCARD", base + "completed"});
        commands.append(RedisCommand{"ZCARD", base + "failed"});
        commands.append(RedisCommand{"ZCARD", base + "waiting-children"});
    }
    return commands;
}

void populate(const qs::test::RedisServer &server)
{
    // A little data per queue so that the counts are not all zero.
    for (int q = 0; q < 200; q += 10) {
        const QString base = QStringLiteral("bull:queue-%1:").arg(q);
        server.cli({QStringLiteral("RPUSH"), base + QStringLiteral("wait"), QStringLiteral("1"),
                    QStringLiteral("2")});
        server.cli({QStringLiteral("ZADD"), base + QStringLiteral("failed"), QStringLiteral("1"),
                    QStringLiteral("x")});
    }
}

double floorRoundTripUs(redisContext *context, const QList<RedisCommand> &commands)
{
    QElapsedTimer timer;
    timer.start();
    qs::bench::floorPipeline(context, commands);
    return timer.nsecsElapsed() / 1000.0;
}

struct OursSample
{
    double wallUs;     // submit on the caller's thread -> callback on the caller's thread
    double ioThreadUs; // write -> last reply parsed, measured on the I/O thread
};

OursSample oursRoundTripUs(RedisConnection &connection, const QList<RedisCommand> &commands)
{
    QEventLoop loop;
    OursSample sample{};
    QElapsedTimer timer;
    timer.start();
    connection.pipeline(commands, &loop, [&](const PipelineResult &result) {
        sample.wallUs = timer.nsecsElapsed() / 1000.0;
        if (!result.ok() || result.replies.size() != commands.size())
            qFatal("pipeline failed: %s", qPrintable(result.error.message));
        sample.ioThreadUs = result.elapsedUs;
        loop.quit();
    });
    loop.exec();
    return sample;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.at(size_t(p * double(values.size() - 1)));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int iterations =
        qs::bench::intOption(app.arguments(), QStringLiteral("--iterations"), 300);

    qs::test::RedisServer server;
    qs::bench::startOrDie(server);
    populate(server);
    const QList<RedisCommand> commands = pollCommands();

    redisContext *floor = redisConnect("127.0.0.1", server.port());
    if (!floor || floor->err)
        qFatal("hiredis connect failed");
    RedisConnection connection(server.profile());
    connection.open();
    if (!qs::test::waitForState(connection, ConnectionState::Connected))
        qFatal("RedisConnection did not connect: %s", qPrintable(connection.status().describe()));

    for (int i = 0; i < 20; ++i) { // warm up both paths
        floorRoundTripUs(floor, commands);
        oursRoundTripUs(connection, commands);
    }
    std::vector<double> floorUs, oursUs, ioUs;
    for (int i = 0; i < iterations; ++i) { // interleaved so both see the same machine load
        floorUs.push_back(floorRoundTripUs(floor, commands));
        const OursSample sample = oursRoundTripUs(connection, commands);
        oursUs.push_back(sample.wallUs);
        ioUs.push_back(sample.ioThreadUs);
    }
    redisFree(floor);

    const double floorMedian = percentile(floorUs, 0.5);
    const double oursMedian = percentile(oursUs, 0.5);
    std::printf("pipeline of %lld commands (INFO + 200 queues x 7 counts), %d iterations\n",
                static_cast<long long>(commands.size()), iterations);
    std::printf("%-38s %10s %10s\n", "", "median ms", "p90 ms");
    std::printf("%-38s %10.3f %10.3f\n", "floor: C hiredis, blocking pipeline", floorMedian / 1000,
                percentile(floorUs, 0.9) / 1000);
    std::printf("%-38s %10.3f %10.3f\n", "RedisConnection, caller to callback", oursMedian / 1000,
                percentile(oursUs, 0.9) / 1000);
    std::printf("%-38s %10.3f %10.3f\n", "RedisConnection, on the I/O thread",
                percentile(ioUs, 0.5) / 1000, percentile(ioUs, 0.9) / 1000);
    std::printf("ratio (caller to callback / floor): %.2fx\n", oursMedian / floorMedian);
    return 0;
}
