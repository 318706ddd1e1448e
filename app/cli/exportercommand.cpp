#include "exportercommand.h"

#include "clioutput.h"
#include "commandsetup.h"
#include "exitcode.h"
#include "exporterfootprint.h"
#include "metricsserver.h"
#include "stopsignal.h"

#include "exporter/expositionwriter.h"
#include "monitor/queuemonitor.h"
#include "monitor/workerscanmerge.h"
#include "monitor/workerscanner.h"
#include "session/serversession.h"

#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace qs::cli {

namespace {

constexpr qint64 kDefaultIntervalMs = 5'000;
constexpr qint64 kOpeningSpreadMaxMs = 5'000;

// One watched server: its session, and what a scrape reads besides the session's latest poll
// (never its connection).
struct Watched
{
    std::unique_ptr<session::ServerSession> session;
    QString label;
    QHash<QString, int> liveWorkers;  // QueueRef::id() -> live workers, as of the latest scan
    exporter::QueueLabelCache labels; // its queues' labels as the last scrape built them
    bool opened = false;
};

// Whether a scrape says anything of `watched`: once it has been polled, or its connection has
// failed. Before that (not opened yet, or its first connection still under way) it is left out:
// `redis_up 0` would say it is down when nothing is known yet.
bool isKnown(const Watched &watched)
{
    return watched.opened &&
           (watched.session->latest().timestampMs > 0 || !watched.session->status().error.isNone());
}

// Each known queue's live workers, read again after each workers scan (30 s) and when the queues
// change, not on every poll or scrape (from one index of the scan: LiveWorkers).
void countLiveWorkers(Watched &watched)
{
    watched.liveWorkers.clear();
    const monitor::WorkerScanner *workers = watched.session->workers();
    if (!workers || !workers->hasScan())
        return;
    const monitor::LiveWorkers index(workers->latest());
    const monitor::QueueMonitor &monitor = *watched.session->queues();
    const QList<queues::QueueRef> queues = monitor.queues();
    for (qsizetype i = 0; i < queues.size(); ++i) {
        if (const std::optional<int> live = index.of(queues.at(i)))
            watched.liveWorkers.insert(monitor.queueIds().at(i), *live);
    }
}

// What a scrape renders of `watched`: its latest poll as of now (shared, not copied). A server
// whose last poll was fine but that is not connected since reads as down.
exporter::ServerState stateOf(const Watched &watched)
{
    exporter::ServerState state{watched.label, watched.session->latest(), watched.liveWorkers,
                                watched.session->throughput(), watched.labels};
    const redis::ConnectionStatus &status = watched.session->status();
    if (status.state != redis::ConnectionState::Connected && state.snapshot.ok())
        state.snapshot.error = status.error.isNone()
                                   ? redis::RedisError{redis::RedisError::Kind::ConnectionRefused,
                                                       QStringLiteral("not connected")}
                                   : status.error;
    return state;
}

std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    QString host = text.left(qMax<qsizetype>(0, colon));
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host.isEmpty() ? QStringLiteral("0.0.0.0") : host);
    if (colon < 0 || !ok || port > 65535 || address.isNull())
        return std::nullopt;
    return std::make_pair(address, quint16(port));
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Serves the watched servers to Prometheus: /metrics in the text format (OpenMetrics when "
        "the scraper asks for it), /-/healthy and a landing page. Each server is polled on the "
        "exporter's own interval (one round trip per poll, as the window); a scrape returns the "
        "latest poll and never sends a Redis command. A server that does not answer reads "
        "redis_up 0 while the others are served. Several profiles: --profile NAME more than "
        "once, or --all saved profiles (passwords from the keychain or the environment). Runs "
        "until SIGINT or SIGTERM. Metric names: docs/prometheus.md."));
    parser.addOption({QStringLiteral("all"), QStringLiteral("Watch every saved profile.")});
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Address and port to serve on (default 127.0.0.1:9810). An "
                                     "address other than loopback is said on stderr."),
                      QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:9810")});
    parser.addOption({QStringLiteral("interval"),
                      QStringLiteral("Poll each server this often (default 5s)."),
                      QStringLiteral("AGE")});
    parser.addOption({QStringLiteral("web-config"),
                      QStringLiteral("A web configuration file as Prometheus exporters read it: "
                                     "tls_server_config (cert_file, key_file; client_auth_type "
                                     "RequireAndVerifyClientCert with client_ca_file for client "
                                     "certificates) and basic_auth_users (bcrypt)."),
                      QStringLiteral("FILE")});
    parser.addPositionalArgument(QStringLiteral("exporter"), QStringLiteral("The command."));
}

} // namespace

int runExporter(const QStringList &arguments)
{
    limitMallocArenas(); // before any thread starts
    QCommandLineParser parser;
    addOptions(parser);
    Target target;
    if (auto exit = setUpCommand(parser, arguments, 1, &target))
        return *exit;
    std::optional<qint64> interval;
    if (!readAgeOption(parser, QStringLiteral("interval"), &interval) || interval > 3'600'000)
        return usageError(QStringLiteral("--interval takes an age up to 1h: 5s, 1m"));
    const auto listen = parseListen(parser.value(QStringLiteral("listen")));
    if (!listen)
        return usageError(QStringLiteral("--listen takes HOST:PORT, e.g. 127.0.0.1:9810"));
    WebConfig config;
    if (parser.isSet(QStringLiteral("web-config"))) {
        auto read = WebConfig::read(parser.value(QStringLiteral("web-config")));
        if (!read)
            return usageError(read.error());
        config = read.value();
    }
    const auto targets = watchedTargets(parser, target);
    if (!targets)
        return usageError(targets.error());
    leaveTlsUnloadedWhenUnused(targets.value(), config);

    std::vector<std::unique_ptr<Watched>> watched;
    for (const Target &each : targets.value()) {
        auto server = std::make_unique<Watched>();
        server->label = each.profile.name.isEmpty() ? each.profile.displayUrl() : each.profile.name;
        server->session = std::make_unique<session::ServerSession>(
            each.profile,
            session::SessionOptions::exporter(int(interval.value_or(kDefaultIntervalMs))));
        Watched *raw = server.get();
        QObject::connect(raw->session->workers(), &monitor::WorkerScanner::scanned,
                         raw->session.get(), [raw] { countLiveWorkers(*raw); });
        QObject::connect(raw->session->queues(), &monitor::QueueMonitor::queuesChanged,
                         raw->session.get(), [raw] { countLiveWorkers(*raw); });
        watched.push_back(std::move(server));
    }

    MetricsServer http(config, [&watched](exporter::ExpositionFormat format) {
        QList<Watched *> shown;
        QList<exporter::ServerState> servers;
        for (const auto &server : watched) {
            if (isKnown(*server)) {
                shown.append(server.get());
                servers.append(stateOf(*server));
            }
        }
        auto writer = std::make_unique<exporter::ExpositionWriter>(std::move(servers), format);
        for (qsizetype i = 0; i < shown.size(); ++i)
            shown[i]->labels = writer->labels(i);
        return writer;
    });
    const auto bound = http.listen(listen->first, listen->second);
    if (!bound) {
        printError(bound.error());
        return Unreachable;
    }
    if (!listen->first.isLoopback())
        printError(QStringLiteral("exporter: listening on %1, not only this machine: anyone who "
                                  "reaches it reads the metrics%2")
                       .arg(listen->first.toString(), config.users.isEmpty()
                                                          ? QStringLiteral(" (no basic_auth_users)")
                                                          : QString()));
    printError(QStringLiteral("exporter: serving %1 server(s) on %2://%3:%4/metrics")
                   .arg(watched.size())
                   .arg(http.usesTls() ? QStringLiteral("https") : QStringLiteral("http"),
                        listen->first.toString())
                   .arg(bound.value()));
    // The servers are opened one after the other across the interval (at most 5 s). Opened
    // together they would poll in step for as long as the exporter runs (a poller's interval
    // counts from the start of its last poll): every server's replies in memory at once, and
    // read in one burst on this thread.
    const qint64 spreadMs = qMin(interval.value_or(kDefaultIntervalMs), kOpeningSpreadMaxMs);
    for (size_t i = 0; i < watched.size(); ++i) {
        Watched *server = watched[i].get();
        QTimer::singleShot(int(spreadMs * qint64(i) / qint64(watched.size())),
                           server->session.get(), [server] {
                               server->opened = true;
                               server->session->open();
                           });
    }
    QTimer releasing;
    releasing.callOnTimeout(&releaseFreePages);
    releasing.start(int(std::clamp<qint64>(interval.value_or(kDefaultIntervalMs), 5'000, 60'000)));
    QEventLoop loop;
    runUntilStopped(loop);
    return Success;
}

} // namespace qs::cli
