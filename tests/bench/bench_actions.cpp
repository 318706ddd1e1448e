// Issue 5: what actions and the job browser cost on big states.
//  1. Retry all of 100,000 failed BullMQ jobs through the engine (BulkAction, 1,000 jobs per
//     script call): end to end, and every script call's server time from SLOWLOG. The peer in
//     the same run, on the same data: BullMQ's own queue.retryJobs() (node, tests/bench).
//  2. Page 1 (and a deep page) of a failed set of 1,000,000 jobs through JobBrowser (two round
//     trips: ids, then the rows' fields), against the floor: the same two pipelines from plain
//     C hiredis on a blocking socket.
//
//   bench_actions [--runs N] [--jobs N] [--page-set N] [--skip-peer]

#include "benchkit.h"
#include "connectionwait.h"
#include "redisserver.h"

#include "jobs/bulkaction.h"
#include "jobs/jobbrowser.h"
#include "redis/redisconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>

using namespace qs;

namespace {

// n failed jobs in BullMQ 6's layout, written by the server itself in chunks.
void populateFailed(const test::RedisServer &server, int n)
{
    static const char *script = R"lua(
local from, to, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HSET', 'bull:emails:meta', 'version', 'bullmq:6.7.0', 'opts.maxLenEvents', '10000')
for i = from, to do
  local id = tostring(i)
  redis.call('HSET', 'bull:emails:' .. id, 'name', 'send', 'data', '{"to":"u' .. i .. '@example.com"}',
    'opts', '{"attempts":1}', 'timestamp', now - 1000, 'processedOn', now - 900, 'finishedOn', now - 800,
    'failedReason', 'SMTP refused', 'stacktrace', '["Error: SMTP refused"]', 'atm', '1', 'ats', '1')
  redis.call('ZADD', 'bull:emails:failed', now - 800 + i, id)
end
return to - from + 1)lua";
    const QString now = QString::number(QDateTime::currentMSecsSinceEpoch() - 10'000'000);
    for (int from = 1; from <= n; from += 100'000) {
        const int to = qMin(n, from + 99'999);
        int exitCode = -1;
        server.cli({QStringLiteral("EVAL"), QString::fromLatin1(script), QStringLiteral("0"),
                    QString::number(from), QString::number(to), now},
                   &exitCode);
        if (exitCode != 0)
            qFatal("populate failed");
    }
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

// Durations (ms) of the script calls the server ran since the last SLOWLOG RESET.
std::vector<double> scriptCallsMs(redis::RedisConnection &admin)
{
    std::vector<double> calls;
    const auto log = test::runCommand(admin, {"SLOWLOG", "GET", "100000"});
    for (const redis::RedisReply &entry : log->reply.elements) {
        const QByteArray verb = entry.elements.value(3).elements.value(0).string.toUpper();
        if (verb == "EVALSHA" || verb == "EVAL")
            calls.push_back(double(entry.elements.value(2).integer) / 1000.0);
    }
    return calls;
}

struct RetryRun
{
    double totalMs = 0;
    double slowestCallMs = 0; // server side
    double medianCallMs = 0;
    size_t calls = 0;
    qint64 waiting = 0;
};

RetryRun retryAllWithEngine(test::RedisServer &server, redis::RedisConnection &admin, int jobs)
{
    test::runCommand(admin, {"FLUSHALL"});
    populateFailed(server, jobs);
    test::runCommand(admin, {"SLOWLOG", "RESET"});
    redis::RedisConnection connection(server.profile());
    connection.open();
    test::waitForState(connection, redis::ConnectionState::Connected);
    jobs::ActionRequest request;
    request.queue = {queues::Framework::BullMQ, "bull", "emails"};
    request.action = jobs::JobAction::Retry;
    request.all = true;
    jobs::BulkAction bulk(&connection, request);
    QEventLoop loop;
    QObject::connect(&bulk, &jobs::BulkAction::finished, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    bulk.start();
    loop.exec();
    RetryRun run;
    run.totalMs = double(clock.nsecsElapsed()) / 1e6;
    if (!bulk.summary().completed())
        qFatal("retry failed: %s", qPrintable(bulk.summary().describe()));
    const std::vector<double> calls = scriptCallsMs(admin);
    run.calls = calls.size();
    run.slowestCallMs = calls.empty() ? 0 : *std::max_element(calls.begin(), calls.end());
    run.medianCallMs = median(calls);
    run.waiting = test::runCommand(admin, {"LLEN", "bull:emails:wait"})->reply.integer;
    return run;
}

RetryRun retryAllWithBullMq(test::RedisServer &server, redis::RedisConnection &admin, int jobs)
{
    test::runCommand(admin, {"FLUSHALL"});
    populateFailed(server, jobs);
    test::runCommand(admin, {"SLOWLOG", "RESET"});
    QProcess node;
    node.start(QStringLiteral("node"),
               {QStringLiteral(QS_SOURCE_DIR "/tests/bench/bullmq-retryjobs.mjs"),
                QStringLiteral("--redis"),
                QStringLiteral("redis://127.0.0.1:%1").arg(server.port())});
    if (!node.waitForFinished(300'000) || node.exitCode() != 0)
        qFatal("bullmq peer failed: %s", node.readAllStandardError().constData());
    const QJsonObject out = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    RetryRun run;
    run.totalMs = out.value(QLatin1String("ms")).toDouble();
    run.waiting = out.value(QLatin1String("waiting")).toInteger();
    const std::vector<double> calls = scriptCallsMs(admin);
    run.calls = calls.size();
    run.slowestCallMs = calls.empty() ? 0 : *std::max_element(calls.begin(), calls.end());
    run.medianCallMs = median(calls);
    return run;
}

// The floor of one page: the same two pipelines as JobBrowser, from blocking C hiredis.
double floorPageMs(redisContext *c, qint64 offset)
{
    QElapsedTimer clock;
    clock.start();
    redisAppendCommand(c, "ZCARD bull:emails:failed");
    redisAppendCommand(c, "ZREVRANGE bull:emails:failed %lld %lld WITHSCORES", offset, offset + 49);
    redisReply *reply = nullptr;
    redisGetReply(c, reinterpret_cast<void **>(&reply));
    freeReplyObject(reply);
    redisGetReply(c, reinterpret_cast<void **>(&reply));
    std::vector<std::string> ids;
    for (size_t i = 0; i < reply->elements; i += 2)
        ids.emplace_back(reply->element[i]->str, reply->element[i]->len);
    freeReplyObject(reply);
    for (const std::string &id : ids)
        redisAppendCommand(c,
                           "HMGET bull:emails:%s name timestamp processedOn finishedOn atm "
                           "attemptsMade failedReason progress priority delay",
                           id.c_str());
    for (size_t i = 0; i < ids.size(); ++i) {
        redisGetReply(c, reinterpret_cast<void **>(&reply));
        freeReplyObject(reply);
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

double enginePageMs(jobs::JobBrowser &browser, qint64 offset, int *rows)
{
    QEventLoop loop;
    QElapsedTimer clock;
    const auto connection = QObject::connect(&browser, &jobs::JobBrowser::pageLoaded, &loop,
                                             [&](const jobs::JobPage &page) {
                                                 *rows = int(page.jobs.size());
                                                 loop.quit();
                                             });
    clock.start();
    browser.loadPage({queues::Framework::BullMQ, "bull", "emails"}, QStringLiteral("failed"),
                     offset, 50);
    loop.exec();
    QObject::disconnect(connection);
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int runs = bench::intOption(args, QStringLiteral("--runs"), 3);
    const int jobs = bench::intOption(args, QStringLiteral("--jobs"), 100'000);
    const int pageSet = bench::intOption(args, QStringLiteral("--page-set"), 1'000'000);
    const bool skipPeer = args.contains(QStringLiteral("--skip-peer"));

    // Redis 7 logs the commands a script runs too, and logging every command doubles the cost
    // of XADD inside scripts: only calls from 1 ms up are logged (every batch of 1,000 is).
    test::RedisServerOptions options;
    options.extraArgs = {QStringLiteral("--slowlog-log-slower-than"), QStringLiteral("1000"),
                         QStringLiteral("--slowlog-max-len"), QStringLiteral("100000")};
    test::RedisServer server(options);
    bench::startOrDie(server);
    redis::RedisConnection admin(server.profile());
    admin.open();
    test::waitForState(admin, redis::ConnectionState::Connected);

    std::printf("## Retry all of %d failed BullMQ jobs (%d runs, interleaved)\n\n", jobs, runs);
    std::vector<double> engineTotal, engineSlowest, engineMedian, peerTotal, peerSlowest,
        peerMedian;
    size_t engineCalls = 0, peerCalls = 0;
    for (int i = 0; i < runs; ++i) {
        const RetryRun ours = retryAllWithEngine(server, admin, jobs);
        if (ours.waiting != jobs)
            qFatal("engine left %lld waiting of %d", qlonglong(ours.waiting), jobs);
        engineTotal.push_back(ours.totalMs);
        engineSlowest.push_back(ours.slowestCallMs);
        engineMedian.push_back(ours.medianCallMs);
        engineCalls = ours.calls;
        if (skipPeer)
            continue;
        const RetryRun theirs = retryAllWithBullMq(server, admin, jobs);
        peerTotal.push_back(theirs.totalMs);
        peerSlowest.push_back(theirs.slowestCallMs);
        peerMedian.push_back(theirs.medianCallMs);
        peerCalls = theirs.calls;
    }
    std::printf("| | QueueScope (BulkAction, bullmq-retry.lua) | BullMQ queue.retryJobs() |\n");
    std::printf("|---|---|---|\n");
    std::printf("| end to end, median | %.0f ms | %.0f ms |\n", median(engineTotal),
                median(peerTotal));
    std::printf("| script calls | %zu | %zu |\n", engineCalls, peerCalls);
    std::printf("| server time per call, median | %.2f ms | %.2f ms |\n", median(engineMedian),
                median(peerMedian));
    std::printf("| slowest call (SLOWLOG), median of runs | %.2f ms | %.2f ms |\n\n",
                median(engineSlowest), median(peerSlowest));

    std::printf("## Pages of a failed set of %d jobs (50 rows, 30 loads each)\n\n", pageSet);
    test::runCommand(admin, {"FLUSHALL"});
    populateFailed(server, pageSet);
    redis::RedisConnection connection(server.profile());
    connection.open();
    test::waitForState(connection, redis::ConnectionState::Connected);
    jobs::JobBrowser browser(&connection);
    redisContext *floor = redisConnect("127.0.0.1", server.port());
    std::printf(
        "| page | QueueScope p50 | p90 | floor (C hiredis) p50 | ratio |\n|---|---|---|---|---|\n");
    for (const qint64 offset : {qint64(0), qint64(pageSet / 2), qint64(pageSet - 50)}) {
        std::vector<double> ours, theirs;
        int rows = 0;
        for (int i = 0; i < 30; ++i) {
            ours.push_back(enginePageMs(browser, offset, &rows));
            theirs.push_back(floorPageMs(floor, offset));
        }
        if (rows != 50)
            qFatal("page at %lld had %d rows", qlonglong(offset), rows);
        std::printf("| offset %lld | %.2f ms | %.2f ms | %.2f ms | %.2fx |\n", qlonglong(offset),
                    median(ours), percentile(ours, 0.9), median(theirs),
                    median(ours) / median(theirs));
    }
    redisFree(floor);
    return 0;
}
