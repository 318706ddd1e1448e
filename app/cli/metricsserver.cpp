#include "metricsserver.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace qs::cli {

namespace {

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
    m_http.route(QStringLiteral("/metrics"), [this](const QHttpServerRequest &request) {
        if (auto refusal = refused(request))
            return std::move(*refusal);
        return metrics(request);
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
    QHttpServerResponse response("text/plain; charset=utf-8", "Unauthorized\n",
                                 QHttpServerResponse::StatusCode::Unauthorized);
    response.setHeader("WWW-Authenticate", "Basic realm=\"queuescope\"");
    return response;
}

QHttpServerResponse MetricsServer::metrics(const QHttpServerRequest &request) const
{
    const exporter::ExpositionFormat format = exporter::formatFor(request.value("Accept"));
    return QHttpServerResponse(exporter::contentType(format), m_scrape(format));
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
        m_http.sslSetup(chain.first(), privateKey);
    }
    const quint16 bound = m_http.listen(address, port);
    if (bound == 0)
        return core::Result<quint16>::failure(
            QStringLiteral("cannot listen on %1:%2").arg(address.toString()).arg(port));
    return core::Result<quint16>::success(bound);
}

} // namespace qs::cli
