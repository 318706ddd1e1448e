// Issue 17: one `queuescope exporter` watching --servers redis-servers (default 50) with --queues
// BullMQ queues each (default 200), polling every 5 s. After a warm-up in which every server's
// queues appear in /metrics, it measures:
// - over --seconds (default 60) with no scrape: the exporter's CPU (of one core) and RSS, /proc;
// - --scrapes scrapes of /metrics (time to the last byte, as a scraper sees it: median and worst;
//   the bytes of one scrape; the exporter's CPU per scrape), and from those its CPU at a 5 s poll
//   with one scrape every 15 s (the scrape interval of docs/prometheus/prometheus.yml);
// - the floor in the same run: a Qt HTTP server in this process (its own thread) serving a static
//   body of the same size, scraped by the same client. What the exporter adds over it is the
//   concatenation of the servers' samples.
//
//   bench_exporter [--servers N] [--queues N] [--seconds S] [--scrapes N]
//
// QS_BENCH_QUEUESCOPE=/path/to/queuescope runs that binary instead of the tree's (to compare two
// builds back to back, or a wrapper script that runs it under heaptrack or perf).

#include "benchkit.h"
#include "bullmqqueues.h"
#include "processusage.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHttpServer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSemaphore>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace qs;

namespace {

constexpr double kScrapeIntervalS = 15;

QByteArray scrape(QNetworkAccessManager &network, const QUrl &url, double *ms)
{
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = network.get(QNetworkRequest(url));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    *ms = double(clock.nsecsElapsed()) / 1e6;
    reply->deleteLater();
    return body;
}

struct Scrapes
{
    std::vector<double> ms; // sorted
    double first = 0;
    qsizetype bytes = 0;
    double median() const { return ms[ms.size() / 2]; }
    double worst() const { return ms.back(); }
};

Scrapes scrapeTimes(QNetworkAccessManager &network, const QUrl &url, int count)
{
    Scrapes scrapes;
    for (int i = 0; i < count; ++i) {
        double ms = 0;
        scrapes.bytes = scrape(network, url, &ms).size();
        scrapes.ms.push_back(ms);
    }
    scrapes.first = scrapes.ms.front();
    std::sort(scrapes.ms.begin(), scrapes.ms.end());
    return scrapes;
}

// How many servers' samples include queue `queue` (its queuescope_queue_paused line).
int serversWithQueue(const QByteArray &body, const QByteArray &queue)
{
    int servers = 0;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("queuescope_queue_paused{") && line.contains(queue))
            ++servers;
    }
    return servers;
}

// The floor: a Qt HTTP server on its own thread serving `body` as /metrics.
class StaticServer : public QThread
{
public:
    explicit StaticServer(QByteArray body)
        : m_body(std::move(body))
    {
        start();
        m_ready.acquire();
    }
    ~StaticServer() override
    {
        quit();
        wait();
    }
    quint16 port() const { return m_port; }

protected:
    void run() override
    {
        QHttpServer http;
        http.route(QStringLiteral("/metrics"), [this] {
            return QHttpServerResponse("text/plain; version=0.0.4; charset=utf-8", m_body);
        });
        m_port = http.listen(QHostAddress::LocalHost, 0);
        m_ready.release();
        exec();
    }

private:
    QByteArray m_body;
    quint16 m_port = 0;
    QSemaphore m_ready;
};

void writeProfiles(const QString &configHome,
                   const std::vector<std::unique_ptr<test::RedisServer>> &servers)
{
    QDir().mkpath(configHome + QStringLiteral("/QueueScope/queuescope"));
    QFile file(configHome + QStringLiteral("/QueueScope/queuescope/profiles.json"));
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write profiles");
    QStringList profiles;
    for (size_t i = 0; i < servers.size(); ++i)
        profiles.append(QStringLiteral(R"({"name": "server%1", "host": "127.0.0.1", "port": %2})")
                            .arg(i)
                            .arg(servers[i]->port()));
    file.write(
        QStringLiteral(R"({"format": "queuescope-profiles", "version": 1, "profiles": [%1]})")
            .arg(profiles.join(QLatin1Char(',')))
            .toUtf8());
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int serverCount = bench::intOption(args, QStringLiteral("--servers"), 50);
    const int queues = bench::intOption(args, QStringLiteral("--queues"), 200);
    const int seconds = bench::intOption(args, QStringLiteral("--seconds"), 60);
    const int scrapeCount = qMax(1, bench::intOption(args, QStringLiteral("--scrapes"), 20));

    std::vector<std::unique_ptr<test::RedisServer>> servers;
    for (int i = 0; i < serverCount; ++i) {
        servers.push_back(std::make_unique<test::RedisServer>());
        bench::startOrDie(*servers.back());
        bench::populateBullmqQueues(*servers.back(), queues);
    }
    QTemporaryDir home;
    writeProfiles(home.path(), servers);
    const quint16 port = freePort();

    QProcess exporter;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
    exporter.setProcessEnvironment(env);
    exporter.setStandardOutputFile(QProcess::nullDevice());
    exporter.setStandardErrorFile(QProcess::nullDevice());
    exporter.start(qEnvironmentVariable("QS_BENCH_QUEUESCOPE", QStringLiteral(QS_QUEUESCOPE_BIN)),
                   {QStringLiteral("exporter"), QStringLiteral("--all"), QStringLiteral("--listen"),
                    QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--interval"),
                    QStringLiteral("5s")});
    if (!exporter.waitForStarted(10'000))
        qFatal("cannot start queuescope exporter");

    QNetworkAccessManager network;
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port));
    const QByteArray lastQueue = QStringLiteral("queue=\"q%1\"}").arg(queues - 1).toUtf8();
    QElapsedTimer warmUp;
    warmUp.start();
    QByteArray body;
    for (;;) { // every server polled with all its queues
        double ms = 0;
        body = scrape(network, url, &ms);
        if (serversWithQueue(body, lastQueue) >= serverCount)
            break;
        if (warmUp.elapsed() > 180'000)
            qFatal("not every server's queues appeared within 180 s");
        QThread::msleep(1'000);
    }
    const double warmUpS = double(warmUp.elapsed()) / 1000.0;
    QThread::sleep(10); // discovery and the first worker scans settle

    const bench::Usage before = bench::usageOf(exporter.processId());
    QElapsedTimer clock;
    clock.start();
    QThread::sleep(seconds);
    const bench::Usage after = bench::usageOf(exporter.processId());
    const double elapsed = double(clock.nsecsElapsed()) / 1e9;
    const double idleCpu = (after.cpuSeconds - before.cpuSeconds) / elapsed;

    double firstMs = 0; // the first after a minute without one: a scraper's usual case
    scrape(network, url, &firstMs);
    const bench::Usage afterFirst = bench::usageOf(exporter.processId());
    const Scrapes scrapes = scrapeTimes(network, url, scrapeCount);
    const bench::Usage end = bench::usageOf(exporter.processId());
    const double firstCpuS = afterFirst.cpuSeconds - after.cpuSeconds;
    const double scrapeCpuS = (end.cpuSeconds - afterFirst.cpuSeconds) / scrapeCount;
    exporter.terminate();
    exporter.waitForFinished(15'000);

    const StaticServer floor(body);
    const Scrapes floorScrapes =
        scrapeTimes(network, QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(floor.port())),
                    scrapeCount);

    std::printf("%d servers x %d BullMQ queues, poll every 5 s (all queues in /metrics after "
                "%.1f s)\n",
                serverCount, queues, warmUpS);
    std::printf("polling, no scrape, %d s: CPU %.2f%% of one core, RSS %.1f MB\n", seconds,
                100.0 * idleCpu, after.rssMb);
    std::printf("first scrape after %d s without one: %.1f ms, exporter CPU %.0f ms\n", seconds,
                firstMs, 1000.0 * firstCpuS);
    std::printf("then %d scrapes back to back (%.1f MB each): median %.1f ms, worst %.1f ms (the "
                "first %.1f ms); exporter CPU %.1f ms per scrape\n",
                scrapeCount, double(scrapes.bytes) / 1e6, scrapes.median(), scrapes.worst(),
                scrapes.first, 1000.0 * scrapeCpuS);
    std::printf("floor, a static body of the same size from Qt's HTTP server: median %.1f ms, "
                "worst %.1f ms (the first %.1f ms)\n",
                floorScrapes.median(), floorScrapes.worst(), floorScrapes.first);
    std::printf("CPU at a 5 s poll and a scrape every %.0f s: %.2f%% of one core\n",
                kScrapeIntervalS, 100.0 * (idleCpu + firstCpuS / kScrapeIntervalS));
    std::printf("RSS after the scrapes %.1f MB, peak RSS %.1f MB\n", end.rssMb, end.peakRssMb);
    return 0;
}
