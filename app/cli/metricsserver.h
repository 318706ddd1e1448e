#pragma once

#include "webconfig.h"

#include "core/result.h"
#include "exporter/expositionwriter.h"

#include <QHostAddress>
#include <QHttpServer>

#include <functional>
#include <memory>

namespace qs::cli {

// The exporter's HTTP side (Qt HTTP Server): /metrics (the latest polls, never a Redis command),
// /-/healthy and a landing page; basic auth and TLS from the web config.
class MetricsServer
{
public:
    // A scrape of the latest polls, rendered as the socket takes it (ChunkedBody).
    using Scrape =
        std::function<std::unique_ptr<exporter::ExpositionWriter>(exporter::ExpositionFormat)>;

    MetricsServer(WebConfig config, Scrape scrape);

    // Binds `address:port` (port 0: any free one); the port bound, or why not.
    core::Result<quint16> listen(const QHostAddress &address, quint16 port);
    bool usesTls() const { return !m_config.certFile.isEmpty(); }

private:
    void metrics(const QHttpServerRequest &request, QHttpServerResponder &responder) const;
    std::optional<QHttpServerResponse> refused(const QHttpServerRequest &request) const;

    WebConfig m_config;
    Scrape m_scrape;
    QHttpServer m_http;
};

} // namespace qs::cli
