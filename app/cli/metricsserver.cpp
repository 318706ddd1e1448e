#include "metricsserver.h"

#include "chunkedbody.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

namespace qs::cli {

namespace {

const char kChallenge[] = "Basic realm=\"queuescope\"";
const char kUnauthorized[] = "Unauthorized\n";

const char kLandingPage[] = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>QueueScope exporter</title></head>
<body><h1>QueueScope exporter</h1>
<p>Redis servers and the job queues in them (BullMQ, Bull, Celery, RQ, Sidekiq), polled on the
exporter's own interval.</p>
<ul><li><a href="metrics">Metrics</a></li><li><a href="-/healthy">Health</a></li></ul>
</body></html>
)";

QByteArray readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

} // namespace

MetricsServer::MetricsServer(WebConfig config, Scrape scrape)
    : m_config(std::move(config))
    , m_scrape(std::move(scrape))
{
    m_http.route(QStringLiteral("/metrics"),
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     if (refused(request)) {
                         responder.write(kUnauthorized,
                                         {{"Content-Type", "text/plain; charset=utf-8"},
                                          {"WWW-Authenticate", kChallenge}},
                                         QHttpServerResponder::StatusCode::Unauthorized);
                         return;
                     }
                     metrics(request, responder);
                 });
    m_http.route(QStringLiteral("/-/healthy"), [this](const QHttpServerRequest &request) {
        if (auto refusal = refused(request))
            return std::move(*refusal);
        return QHttpServerResponse("text/plain; charset=utf-8", "OK\n");
    });
    m_http.route(QStringLiteral("/"), [this](const QHttpServerRequest &request) {
        if (auto refusal = refused(request))
            return std::move(*refusal);
        return QHttpServerResponse("text/html; charset=utf-8", QByteArray(kLandingPage));
    });
}

std::optional<QHttpServerResponse> MetricsServer::refused(const QHttpServerRequest &request) const
{
    if (m_config.allows(request.value("Authorization")))
        return std::nullopt;
    QHttpServerResponse response("text/plain; charset=utf-8", kUnauthorized,
                                 QHttpServerResponse::StatusCode::Unauthorized);
    response.setHeader("WWW-Authenticate", kChallenge);
    return response;
}

void MetricsServer::metrics(const QHttpServerRequest &request,
                            QHttpServerResponder &responder) const
{
    QTcpSocket *socket = responder.socket();
    if (ChunkedBody::isSending(socket)) {
        // A request pipelined behind a scrape still being sent: its answer cannot go before the
        // scrape's end, and Qt's server would write it now. No scraper pipelines; end the
        // connection instead of sending a mixed body.
        socket->abort();
        return;
    }
    const exporter::ExpositionFormat format = exporter::formatFor(request.value("Accept"));
    std::unique_ptr<exporter::ExpositionWriter> writer = m_scrape(format);
    responder.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
    responder.writeHeader("Content-Type", exporter::contentType(format));
    // The length is not known before the last family is rendered, and rendering it all first
    // would hold the whole scrape.
    responder.writeHeader("Transfer-Encoding", "chunked");
    responder.writeBody("", 0); // ends the headers
    ChunkedBody::start(socket, std::move(writer));
}

core::Result<quint16> MetricsServer::listen(const QHostAddress &address, quint16 port)
{
    if (usesTls()) {
        QString error;
        const QByteArray certificate = readFile(m_config.certFile, &error);
        const QByteArray key = error.isEmpty() ? readFile(m_config.keyFile, &error) : QByteArray();
        if (!error.isEmpty())
            return core::Result<quint16>::failure(QStringLiteral("TLS: ") + error);
        QSslKey privateKey(key, QSsl::Rsa);
        if (privateKey.isNull())
            privateKey = QSslKey(key, QSsl::Ec);
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certificate);
        if (chain.isEmpty() || privateKey.isNull())
            return core::Result<quint16>::failure(
                QStringLiteral("TLS: %1 or %2 is not a PEM certificate and key")
                    .arg(m_config.certFile, m_config.keyFile));
        QSslConfiguration tls;
        // The whole chain: a certificate signed by an intermediate CA is sent with it.
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(privateKey);
        if (!m_config.clientCaFile.isEmpty()) {
            const QList<QSslCertificate> clientCas =
                QSslCertificate::fromData(readFile(m_config.clientCaFile, &error));
            if (!error.isEmpty())
                return core::Result<quint16>::failure(QStringLiteral("TLS: ") + error);
            if (clientCas.isEmpty())
                return core::Result<quint16>::failure(
                    QStringLiteral("TLS: client_ca_file %1 holds no PEM certificate")
                        .arg(m_config.clientCaFile));
            // Only this CA, not the system's: a scraper's certificate from any public CA
            // must not be let in.
            tls.setCaCertificates(clientCas);
            tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        }
        m_http.sslSetup(tls);
    }
    const quint16 bound = m_http.listen(address, port);
    if (bound == 0)
        return core::Result<quint16>::failure(
            QStringLiteral("cannot listen on %1:%2").arg(address.toString()).arg(port));
    return core::Result<quint16>::success(bound);
}

} // namespace qs::cli
