// `queuescope exporter` end to end: the real binary watching real redis-servers, scraped by a
// real Prometheus (Debian package prometheus), its output linted by promtool, basic auth and TLS
// from a web config file.
#include "cliprocess.h"
#include "redisserver.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using qs::test::RedisServer;
using namespace Qt::StringLiterals;

namespace {

// The password of kHash (bcrypt, cost 4: quick in a test; a real config uses 10 or more).
constexpr char kPassword[] = "s3cret";
constexpr char kHash[] = "$2b$04$vWBrwcgd4jsohhjBVCHSDORVzev.qolJh/ZJluMDywyFOuMlox282";

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

struct Reply
{
    int status = 0;
    QByteArray body;
};

// How a scraper speaks TLS: the CA it trusts, and the certificate it presents (if any).
struct ScraperTls
{
    QString caFile;
    QString certFile;
    QString keyFile;
};

Reply get(const QUrl &url, const QByteArray &authorization = {}, const ScraperTls &scraper = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (!scraper.caFile.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(scraper.caFile));
        if (!scraper.certFile.isEmpty()) {
            QFile key(scraper.keyFile);
            if (key.open(QIODevice::ReadOnly))
                tls.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
            tls.setLocalCertificateChain(QSslCertificate::fromPath(scraper.certFile));
        }
        request.setSslConfiguration(tls);
    }
    request.setTransferTimeout(5'000);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 reply->readAll()};
    delete reply;
    return result;
}

void makeQueues(const RedisServer &server, const QString &queue)
{
    server.cli({u"HSET"_s, u"bull:%1:meta"_s.arg(queue), u"version"_s, u"bullmq:5.1.0"_s});
    server.cli({u"LPUSH"_s, u"bull:%1:wait"_s.arg(queue), u"1"_s, u"2"_s, u"3"_s});
    server.cli({u"ZADD"_s, u"bull:%1:failed"_s.arg(queue), u"1"_s, u"9"_s});
    server.cli({u"SADD"_s, u"rq:queues"_s, u"rq:queue:rapports-é \"q\""_s});
    server.cli({u"RPUSH"_s, u"rq:queue:rapports-é \"q\""_s, u"a"_s, u"b"_s});
}

// A running `queuescope exporter`, stopped (SIGTERM) when destroyed.
class Exporter
{
public:
    Exporter(const QStringList &args, const QString &configHome)
    {
        m_port = freePort();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"XDG_CONFIG_HOME"_s, configHome);
        m_process.setProcessEnvironment(environment);
        m_process.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
                        QStringList{u"exporter"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_port),
                                    u"--interval"_s, u"1s"_s} +
                            args);
    }
    ~Exporter()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(10'000))
            m_process.kill();
    }
    quint16 port() const { return m_port; }
    QByteArray stderrText() { return m_process.readAllStandardError(); }
    QProcess &process() { return m_process; }

private:
    quint16 m_port = 0;
    QProcess m_process;
};

// A real Prometheus scraping `target` every second, its data in a temporary directory.
class Prometheus
{
public:
    // With `scraper.caFile`: over https, presenting `scraper`'s certificate if it has one.
    bool start(quint16 target, const ScraperTls &scraper = {})
    {
        m_port = freePort();
        QFile config(m_dir.filePath(u"prometheus.yml"_s));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        QString tls;
        if (!scraper.caFile.isEmpty())
            tls = u"    scheme: https\n    tls_config:\n      ca_file: %1\n"_s.arg(scraper.caFile);
        if (!scraper.certFile.isEmpty())
            tls += u"      cert_file: %1\n      key_file: %2\n"_s.arg(scraper.certFile,
                                                                      scraper.keyFile);
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n"
                                    "  - job_name: queuescope\n%2    static_configs:\n"
                                    "      - targets: ['127.0.0.1:%1']\n")
                         .arg(target)
                         .arg(tls)
                         .toUtf8());
        config.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStandardPaths::findExecutable(u"prometheus"_s),
                        {u"--config.file="_s + config.fileName(),
                         u"--storage.tsdb.path="_s + m_dir.filePath(u"data"_s),
                         u"--web.listen-address=127.0.0.1:%1"_s.arg(m_port)});
        return m_process.waitForStarted();
    }
    ~Prometheus()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(10'000))
            m_process.kill();
    }
    // Every series of an instant query: its labels -> value.
    QList<QPair<QJsonObject, double>> query(const QString &promql)
    {
        QUrl url(u"http://127.0.0.1:%1/api/v1/query"_s.arg(m_port));
        url.setQuery(QUrlQuery{{u"query"_s, promql}});
        const QJsonArray result =
            QJsonDocument::fromJson(get(url).body).object()[u"data"_s][u"result"_s].toArray();
        QList<QPair<QJsonObject, double>> series;
        for (const QJsonValue &each : result)
            series.append({each[u"metric"_s].toObject(),
                           each[u"value"_s].toArray().at(1).toString().toDouble()});
        return series;
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace

class TestExporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"prometheus"_s).isEmpty() ||
            QStandardPaths::findExecutable(u"promtool"_s).isEmpty())
            QSKIP("prometheus and promtool are not installed (scripts/install-deps.sh)");
        QVERIFY(m_first.start() && m_second.start());
        makeQueues(m_first, u"emails"_s);
        makeQueues(m_second, u"reports"_s);
        QDir().mkpath(m_config.filePath(u"QueueScope/queuescope"_s));
        QFile file(m_config.filePath(u"QueueScope/queuescope/profiles.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({"format": "queuescope-profiles", "version": 1, "profiles": [
            {"name": "First", "host": "127.0.0.1", "port": %1},
            {"name": "Second", "host": "127.0.0.1", "port": %2}]})")
                       .arg(m_first.port())
                       .arg(m_second.port())
                       .toUtf8());
    }

    // Prometheus scrapes (OpenMetrics, which it asks for first) and its query API returns the
    // counts `queues --json` prints; promtool accepts the text format; a server killed mid-run
    // reads redis_up 0 while the other is still served.
    void prometheusScrapesTheExporter()
    {
        Exporter exporter({u"--all"_s}, m_config.path());
        const QUrl metrics(u"http://127.0.0.1:%1/metrics"_s.arg(exporter.port()));
        QTRY_VERIFY_WITH_TIMEOUT(get(metrics).body.contains("queue=\"reports\""), 20'000);
        QCOMPARE(get(QUrl(u"http://127.0.0.1:%1/-/healthy"_s.arg(exporter.port()))).status, 200);

        QProcess promtool;
        promtool.start(QStandardPaths::findExecutable(u"promtool"_s), {u"check"_s, u"metrics"_s});
        promtool.write(get(metrics).body);
        promtool.closeWriteChannel();
        QVERIFY(promtool.waitForFinished(30'000));
        const QByteArray lint = promtool.readAll() + promtool.readAllStandardError();
        QVERIFY2(promtool.exitCode() == 0 && lint.trimmed().isEmpty(), lint.constData());

        Prometheus prometheus;
        QVERIFY(prometheus.start(exporter.port()));
        for (const RedisServer *server : {&m_first, &m_second}) {
            const QString name = server == &m_first ? u"First"_s : u"Second"_s;
            const auto json = qs::test::runQueuescope(
                {u"queues"_s, u"--url"_s, u"redis://127.0.0.1:%1"_s.arg(server->port()),
                 u"--json"_s});
            QCOMPARE(json.exitCode, 0);
            int compared = 0;
            for (const QJsonValue &queue : json.json()[u"queues"_s].toArray()) {
                const QJsonObject counts = queue[u"counts"_s].toObject();
                for (auto count = counts.begin(); count != counts.end(); ++count) {
                    const QString promql =
                        uR"(queuescope_queue_jobs{server="%1",framework="%2",queue="%3",native_state="%4"})"_s
                            .arg(name, queue[u"framework"_s].toString(),
                                 queue[u"name"_s].toString().replace(u'"', u"\\\""_s), count.key());
                    QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(promql).size(), 1, 30'000);
                    QCOMPARE(prometheus.query(promql).first().second, count.value().toDouble());
                    ++compared;
                }
            }
            QVERIFY(compared >= 4); // bullmq's states and rq's
        }
        QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(u"up{job=\"queuescope\"}"_s).value(0).second,
                                  1.0, 10'000);

        m_first.kill();
        QTRY_VERIFY_WITH_TIMEOUT(get(metrics).body.contains("redis_up{server=\"First\"} 0\n"),
                                 20'000);
        const QByteArray after = get(metrics).body;
        QVERIFY(after.contains("redis_up{server=\"Second\"} 1\n"));
        QVERIFY(after.contains("queue=\"reports\""));
        QVERIFY(!after.contains("queue=\"emails\""));
    }

    void basicAuthAndTls()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY2(qs::test::TestCertificates::generate(dir.path(), &error), qPrintable(error));
        const auto certificates = qs::test::TestCertificates::inDirectory(dir.path());
        const QString webConfig = dir.filePath(u"web.yml"_s);
        QFile file(webConfig);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("# exporter-toolkit format\ntls_server_config:\n"
                                  "  cert_file: %1\n  key_file: %2\nbasic_auth_users:\n"
                                  "  prometheus: '%3'\n")
                       .arg(certificates.serverCert, certificates.serverKey, kHash)
                       .toUtf8());
        file.close();
        Exporter exporter({u"--url"_s, u"redis://127.0.0.1:%1"_s.arg(m_second.port()),
                           u"--web-config"_s, webConfig},
                          m_config.path());
        const QUrl metrics(u"https://127.0.0.1:%1/metrics"_s.arg(exporter.port()));
        const QByteArray right = "Basic " + ("prometheus:"_ba + kPassword).toBase64();
        const QByteArray wrong = "Basic " + "prometheus:guess"_ba.toBase64();
        QTRY_VERIFY_WITH_TIMEOUT(
            get(metrics, right, {certificates.caCert}).body.contains("redis_up{server="), 20'000);
        QCOMPARE(get(metrics, wrong, {certificates.caCert}).status, 401);
        QCOMPARE(get(metrics, {}, {certificates.caCert}).status, 401);
        QCOMPARE(get(metrics, right, {certificates.caCert}).status, 200);
        // Plain HTTP on the TLS port gets no metrics.
        QVERIFY(!get(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(exporter.port())), right)
                     .body.contains("redis_up"));
    }

    // Mutual TLS (client_auth_type RequireAndVerifyClientCert): a real Prometheus presenting a
    // certificate of the configured CA scrapes; a client without one, or with one of another CA,
    // gets nothing.
    void clientCertificatesAreVerified()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY2(qs::test::TestCertificates::generate(dir.path(), &error), qPrintable(error));
        const auto certificates = qs::test::TestCertificates::inDirectory(dir.path());
        const auto webConfig = [&](const QString &name, const QString &clientCa) {
            QFile file(dir.filePath(name));
            file.open(QIODevice::WriteOnly);
            file.write(QStringLiteral("tls_server_config:\n  cert_file: %1\n  key_file: %2\n"
                                      "  client_auth_type: RequireAndVerifyClientCert\n"
                                      "  client_ca_file: \"%3\"\n")
                           .arg(certificates.serverCert, certificates.serverKey, clientCa)
                           .toUtf8());
            return file.fileName();
        };
        const ScraperTls withCertificate{certificates.caCert, certificates.clientCert,
                                         certificates.clientKey};
        const ScraperTls without{certificates.caCert};

        Exporter exporter({u"--url"_s, u"redis://127.0.0.1:%1"_s.arg(m_second.port()),
                           u"--web-config"_s, webConfig(u"mtls.yml"_s, certificates.caCert)},
                          m_config.path());
        const QUrl metrics(u"https://127.0.0.1:%1/metrics"_s.arg(exporter.port()));
        QTRY_VERIFY_WITH_TIMEOUT(
            get(metrics, {}, withCertificate).body.contains("queue=\"reports\""), 20'000);
        const Reply refused = get(metrics, {}, without);
        QCOMPARE(refused.status, 0); // no HTTP answer at all: the handshake fails
        QVERIFY(!refused.body.contains("redis_up"));

        Prometheus prometheus;
        QVERIFY(prometheus.start(exporter.port(), withCertificate));
        QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(u"up{job=\"queuescope\"}"_s).value(0).second,
                                  1.0, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(u"redis_up"_s).value(0).second, 1.0, 30'000);

        // The same client certificate, but the exporter trusts another CA for its scrapers.
        Exporter strict({u"--url"_s, u"redis://127.0.0.1:%1"_s.arg(m_second.port()),
                         u"--web-config"_s, webConfig(u"other.yml"_s, certificates.otherCaCert)},
                        m_config.path());
        const QUrl strictMetrics(u"https://127.0.0.1:%1/-/healthy"_s.arg(strict.port()));
        QByteArray said;
        QTRY_VERIFY2_WITH_TIMEOUT((said += strict.stderrText()).contains("https://"),
                                  said.constData(), 20'000);
        QCOMPARE(get(strictMetrics, {}, withCertificate).status, 0);
    }

    // From the exporter's start, no scrape says a live server is down: a server is left out of
    // the scrapes until its first poll (the servers are opened one after the other across the
    // interval), while one that refuses its connection reads redis_up 0 as soon as it has failed.
    void noServerReadsDownBeforeItsFirstPoll()
    {
        RedisServer first; // m_first is killed by an earlier test
        QVERIFY(first.start());
        QTemporaryDir config;
        QDir().mkpath(config.filePath(u"QueueScope/queuescope"_s));
        QFile file(config.filePath(u"QueueScope/queuescope/profiles.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({"format": "queuescope-profiles", "version": 1, "profiles": [
            {"name": "First", "host": "127.0.0.1", "port": %1},
            {"name": "Second", "host": "127.0.0.1", "port": %2},
            {"name": "Closed", "host": "127.0.0.1", "port": %3}]})")
                       .arg(first.port())
                       .arg(m_second.port())
                       .arg(freePort())
                       .toUtf8());
        file.close();
        // A 3 s interval: the three servers are opened 1 s apart.
        Exporter exporter({u"--all"_s, u"--interval"_s, u"3s"_s}, config.path());
        const QUrl metrics(u"http://127.0.0.1:%1/metrics"_s.arg(exporter.port()));
        QElapsedTimer clock;
        clock.start();
        int scrapes = 0;
        QByteArray body;
        while (!(body.contains("redis_up{server=\"First\"} 1\n") &&
                 body.contains("redis_up{server=\"Second\"} 1\n") &&
                 body.contains("redis_up{server=\"Closed\"} 0\n")) &&
               clock.elapsed() < 20'000) {
            body = get(metrics).body;
            scrapes += body.isEmpty() ? 0 : 1;
            QVERIFY2(!body.contains("redis_up{server=\"First\"} 0") &&
                         !body.contains("redis_up{server=\"Second\"} 0"),
                     body.left(2000).constData());
            QTest::qWait(20);
        }
        QVERIFY2(body.contains("redis_up{server=\"Second\"} 1\n"), body.left(2000).constData());
        QVERIFY(body.contains("redis_up{server=\"Closed\"} 0\n"));
        QVERIFY(scrapes > 10); // scraped all along, from before the first poll
    }

    // A scrape of thousands of queues (megabytes, sent in parts as the socket takes it) arrives
    // whole, over HTTP and over TLS, twice on one kept-alive connection; a scraper that hangs up
    // in the middle of one does not stop the next.
    void aScrapeOfThousandsOfQueuesArrivesWhole()
    {
        constexpr int kQueues = 3000;
        RedisServer big;
        QVERIFY(big.start());
        big.cli({u"EVAL"_s,
                 u"for i = 1, tonumber(ARGV[1]) do "
                 "redis.call('HSET', 'bull:big-' .. i .. ':meta', 'version', 'bullmq:5.1.0') "
                 "redis.call('RPUSH', 'bull:big-' .. i .. ':wait', '1', '2') end"_s,
                 u"0"_s, QString::number(kQueues)});
        const auto pausedLines = [](const QByteArray &body) {
            return body.count("queuescope_queue_paused{server=");
        };
        const QStringList target{u"--url"_s, u"redis://127.0.0.1:%1"_s.arg(big.port())};

        Exporter plain(target, m_config.path());
        const QUrl metrics(u"http://127.0.0.1:%1/metrics"_s.arg(plain.port()));
        QTRY_COMPARE_WITH_TIMEOUT(pausedLines(get(metrics).body), kQueues, 30'000);
        QNetworkAccessManager network; // one connection, kept alive between the two
        for (int scrape = 0; scrape < 2; ++scrape) {
            QNetworkRequest request(metrics);
            request.setTransferTimeout(10'000);
            std::unique_ptr<QNetworkReply> reply(network.get(request));
            QEventLoop loop;
            QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const QByteArray body = reply->readAll();
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QVERIFY(body.size() > 2'000'000);
            QCOMPARE(pausedLines(body), kQueues);
            QCOMPARE(body.count(",state=\"waiting\",native_state=\"waiting\"} 2\n"), kQueues);
            QVERIFY(body.endsWith("\n"));
        }

        // A scraper that reads the headers and a little, then hangs up.
        QTcpSocket quitter;
        quitter.connectToHost(QHostAddress::LocalHost, plain.port());
        QVERIFY(quitter.waitForConnected(5'000));
        quitter.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY(quitter.waitForReadyRead(5'000));
        QVERIFY(quitter.read(1024).startsWith("HTTP/1.1 200"));
        quitter.abort();
        QCOMPARE(pausedLines(get(metrics).body), kQueues);
        QCOMPARE(plain.process().state(), QProcess::Running);

        QTemporaryDir dir;
        QString error;
        QVERIFY2(qs::test::TestCertificates::generate(dir.path(), &error), qPrintable(error));
        const auto certificates = qs::test::TestCertificates::inDirectory(dir.path());
        QFile webConfig(dir.filePath(u"web.yml"_s));
        QVERIFY(webConfig.open(QIODevice::WriteOnly));
        webConfig.write(u"tls_server_config:\n  cert_file: %1\n  key_file: %2\n"_s
                            .arg(certificates.serverCert, certificates.serverKey)
                            .toUtf8());
        webConfig.close();
        Exporter tls(target + QStringList{u"--web-config"_s, webConfig.fileName()},
                     m_config.path());
        QTRY_COMPARE_WITH_TIMEOUT(
            pausedLines(get(QUrl(u"https://127.0.0.1:%1/metrics"_s.arg(tls.port())), {},
                            {certificates.caCert})
                            .body),
            kQueues, 30'000);
    }

    // A web config that would not be served as written is refused with the reason (exit 2).
    void aBadWebConfigIsRefused_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("plaintext password") << "basic_auth_users:\n  prometheus: plaintext\n"_ba
                                            << "not a bcrypt hash"_ba;
        QTest::newRow("unverified client certificates")
            << "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"
               "  client_auth_type: RequireAnyClientCert\n  client_ca_file: ca.crt\n"_ba
            << "client_auth_type RequireAnyClientCert is not supported"_ba;
        QTest::newRow("verified without a CA")
            << "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"
               "  client_auth_type: RequireAndVerifyClientCert\n"_ba
            << "needs client_ca_file"_ba;
        QTest::newRow("a CA without verification")
            << "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"
               "  client_ca_file: ca.crt\n"_ba
            << "no client certificate would be checked"_ba;
        QTest::newRow("a misspelt mode")
            << "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"
               "  client_auth_type: RequireAndVerify\n  client_ca_file: ca.crt\n"_ba
            << "RequireAndVerify is not one of"_ba;
        QTest::newRow("an unknown key")
            << "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"
               "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"_ba
            << "cipher_suites is not supported"_ba;
    }
    void aBadWebConfigIsRefused()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, reason);
        QTemporaryDir dir;
        QFile file(dir.filePath(u"web.yml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(config);
        file.close();
        const auto run = qs::test::runQueuescope({u"exporter"_s, u"--url"_s,
                                                  u"redis://127.0.0.1:%1"_s.arg(m_second.port()),
                                                  u"--web-config"_s, file.fileName()});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(reason), run.err.constData());
    }

private:
    RedisServer m_first, m_second;
    QTemporaryDir m_config;
};

QTEST_GUILESS_MAIN(TestExporter)
#include "tst_exporter.moc"
