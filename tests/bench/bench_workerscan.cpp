// Issue 14: the cost of one worker scan (monitor::WorkerScanner, every framework's reader) on a
// server with 1,000 client connections (100 of them BullMQ/Bull worker connections over 10
// queues, each queue with 3 active jobs, one of them stalled), 100 Sidekiq processes (half of
// them busy) and 100 RQ workers, then the same with 10,000 connections (CLIENT LIST grows with
// them). Per scan: round trips, commands, wall time, bytes of the CLIENT LIST reply, and the
// Redis CPU from INFO commandstats (CONFIG RESETSTAT before, usec summed after, over a separate
// control connection: docs/build-notes.md "Measuring").
//
//   bench_workerscan [--scans N] [--clients C] [--more-clients C2]   (defaults 20, 1000, 10000)

#include "benchkit.h"
#include "connectionwait.h"
#include "redisserver.h"

#include "frameworks/registry.h"
#include "monitor/queuemonitor.h"
#include "monitor/workerscanner.h"
#include "redis/redisconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace qs;

namespace {

constexpr int kBullQueues = 10;
constexpr int kBullWorkersPerQueue = 10;

// Sidekiq processes and RQ workers as their heartbeats leave them, and 10 BullMQ queues whose
// active lists hold 3 ids each, the third without its lock (stalled). One EVAL.
void populate(const test::RedisServer &server, int processes, int rqWorkers)
{
    static const char *script = R"lua(
local processes, workers, queues = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = tonumber(ARGV[4])
for i = 1, processes do
  local id = 'host-' .. i .. ':' .. (1000 + i) .. ':0123456789ab'
  redis.call('SADD', 'processes', id)
  redis.call('HSET', id, 'info', '{"hostname":"host-' .. i .. '","started_at":' .. now ..
    ',"pid":' .. (1000 + i) .. ',"tag":"app","concurrency":10,"queues":["default","mailers"],' ..
    '"labels":[],"identity":"' .. id .. '"}', 'busy', tostring(i % 2), 'beat', tostring(now),
    'quiet', 'false', 'rss', '65536', 'rtt_us', '250')
  if i % 2 == 1 then
    redis.call('HSET', id .. ':workers', 'tid' .. i, '{"queue":"default","payload":' ..
      '"{\\"class\\":\\"Job\\",\\"jid\\":\\"jid' .. i .. '\\",\\"queue\\":\\"default\\"}",' ..
      '"run_at":' .. now .. '}')
  end
end
redis.call('SADD', 'queues', 'default', 'mailers')
for i = 1, workers do
  local key = 'rq:worker:w' .. i
  redis.call('SADD', 'rq:workers', key)
  redis.call('HSET', key, 'birth', '2026-12-06T02:00:00.000000Z', 'last_heartbeat',
    '2026-12-06T02:29:37.484665Z', 'queues', 'default', 'pid', tostring(2000 + i), 'hostname',
    'host-' .. i, 'state', (i % 2 == 0) and 'busy' or 'idle', 'successful_job_count', '12',
    'failed_job_count', '1', 'total_working_time', '3.5')
  if i % 2 == 0 then redis.call('HSET', key, 'current_job', 'job' .. i) end
end
redis.call('SADD', 'rq:queues', 'rq:queue:default')
redis.call('RPUSH', 'rq:queue:default', 'queued-1')
redis.call('ZADD', 'rq:wip:default', now + 60, 'job2', now - 100, 'abandoned-1')
for q = 1, queues do
  local b = 'bull:q' .. q .. ':'
  redis.call('HSET', b .. 'meta', 'version', 'bullmq:6.7.0', 'opts.maxLenEvents', '10000')
  redis.call('RPUSH', b .. 'active', '1', '2', '3')
  redis.call('SET', b .. '1:lock', 'token', 'PX', 600000)
  redis.call('SET', b .. '2:lock', 'token', 'PX', 600000)
  for j = 1, 3 do redis.call('HSET', b .. j, 'name', 'job', 'pb', 'w' .. j) end
end
return 1
)lua";
    int exitCode = -1;
    const QByteArray out = server.cli({QStringLiteral("EVAL"), QString::fromUtf8(script),
                                       QStringLiteral("0"), QString::number(processes),
                                       QString::number(rqWorkers), QString::number(kBullQueues),
                                       QString::number(QDateTime::currentSecsSinceEpoch())},
                                      &exitCode);
    if (exitCode != 0 || out.trimmed() != "1")
        qFatal("populate failed: %s", out.constData());
}

// Plain TCP clients held open, as workers and web processes hold theirs: `named` of them as
// BullMQ workers ("bull:<base64(q<n>)>:w:<name>"), the rest unnamed.
class Clients
{
public:
    ~Clients()
    {
        for (const int fd : m_fds)
            ::close(fd);
    }
    void open(quint16 port, int count, int named)
    {
        for (int i = 0; i < count; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(port);
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address))
                qFatal("client %d: connect failed", int(m_fds.size()));
            m_fds.push_back(fd);
            if (int(m_fds.size()) > named)
                continue;
            const int n = int(m_fds.size());
            const QByteArray queue = QByteArray("q") + QByteArray::number(1 + n % kBullQueues);
            const QByteArray name =
                "bull:" + queue.toBase64() + ":w:w" + QByteArray::number(n / kBullQueues);
            const QByteArray command = "CLIENT SETNAME " + name + "\r\n";
            char reply[64];
            if (::write(fd, command.constData(), size_t(command.size())) != command.size() ||
                ::read(fd, reply, sizeof reply) <= 0 || reply[0] != '+')
                qFatal("client %d: CLIENT SETNAME failed", n);
        }
    }
    int count() const { return int(m_fds.size()); }

private:
    std::vector<int> m_fds;
};

struct ServerCost
{
    double usec = 0; // commandstats usec, CONFIG excluded
    std::map<std::string, double> usecByCommand;
};

ServerCost serverCost(const test::RedisServer &server)
{
    ServerCost cost;
    for (const bench::CommandCost &command : bench::commandCosts(
             server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")}))) {
        cost.usec += command.usec;
        cost.usecByCommand[command.command.toStdString()] += command.usec;
    }
    return cost;
}

struct Sample
{
    double wallMs = 0;
    ServerCost server;
    int roundTrips = 0;
    int commands = 0;
    int workers = 0;
    int stuck = 0;
};

Sample scanOnce(const test::RedisServer &server, monitor::WorkerScanner &scanner)
{
    server.cli({QStringLiteral("CONFIG"), QStringLiteral("RESETSTAT")});
    QEventLoop loop;
    QObject::connect(&scanner, &monitor::WorkerScanner::scanned, &loop, &QEventLoop::quit);
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    scanner.refresh();
    loop.exec();
    Sample sample;
    sample.wallMs = double(clock.nsecsElapsed()) / 1e6;
    if (!scanner.lastError().isEmpty())
        qFatal("scan failed: %s", qPrintable(scanner.lastError()));
    sample.server = serverCost(server);
    sample.roundTrips = scanner.latest().roundTrips;
    sample.commands = scanner.latest().commands;
    sample.workers = int(scanner.latest().workers.size());
    sample.stuck = int(scanner.latest().stuck.size());
    return sample;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

void report(const char *label, const test::RedisServer &server, monitor::WorkerScanner &scanner,
            int scans, int clients)
{
    std::vector<double> wall, usec, clientList;
    Sample last;
    for (int i = 0; i < scans; ++i) {
        last = scanOnce(server, scanner);
        wall.push_back(last.wallMs);
        usec.push_back(last.server.usec);
        clientList.push_back(last.server.usecByCommand["client|list"]);
    }
    const QByteArray list = server.cli({QStringLiteral("CLIENT"), QStringLiteral("LIST"),
                                        QStringLiteral("TYPE"), QStringLiteral("normal")});
    std::printf("%s: %d connections, %d workers, %d stuck: %d round trips, %d commands per scan\n"
                "  wall median %.2f ms (max %.2f); Redis CPU (commandstats) median %.0f usec "
                "(max %.0f), of which CLIENT LIST %.0f usec; CLIENT LIST reply %.1f KB\n",
                label, clients, last.workers, last.stuck, last.roundTrips, last.commands,
                median(wall), *std::max_element(wall.begin(), wall.end()), median(usec),
                *std::max_element(usec.begin(), usec.end()), median(clientList),
                double(list.size()) / 1024.0);
    for (const auto &[command, spent] : last.server.usecByCommand)
        std::printf("    %-14s %8.0f usec\n", command.c_str(), spent);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int scans = bench::intOption(args, QStringLiteral("--scans"), 20);
    const int clients = bench::intOption(args, QStringLiteral("--clients"), 1000);
    const int moreClients = bench::intOption(args, QStringLiteral("--more-clients"), 10000);
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);

    test::RedisServerOptions options;
    options.extraArgs = {QStringLiteral("--maxclients"), QString::number(moreClients + 1000)};
    test::RedisServer server(options);
    bench::startOrDie(server);
    populate(server, 100, 100);
    Clients held;
    held.open(server.port(), clients, kBullQueues * kBullWorkersPerQueue);

    redis::RedisConnection connection(server.profile());
    connection.open();
    if (!test::waitForState(connection, redis::ConnectionState::Connected))
        qFatal("RedisConnection did not connect");
    monitor::QueueMonitor monitor(&connection, frameworks::adaptersFor({}));
    {
        QEventLoop loop;
        QObject::connect(&monitor, &monitor::QueueMonitor::discoveryFinished, &loop,
                         &QEventLoop::quit);
        QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
        monitor.discover();
        loop.exec();
    }
    monitor::WorkerScanner scanner(&connection, &monitor, frameworks::installationsFor({}));
    std::printf("bench_workerscan: %d queues known, %d scans each\n", int(monitor.queues().size()),
                scans);
    report("scan", server, scanner, scans, held.count() + 1);
    held.open(server.port(), moreClients - held.count(), 0);
    report("scan", server, scanner, scans, held.count() + 1);
    return 0;
}
