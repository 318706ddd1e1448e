#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace qs::cli {

// The web configuration file of Prometheus exporters (prometheus/exporter-toolkit's
// --web.config.file), the part QueueScope serves:
//
//   tls_server_config:
//     cert_file: /etc/queuescope/exporter.crt
//     key_file: /etc/queuescope/exporter.key
//     client_auth_type: RequireAndVerifyClientCert   # optional: mutual TLS
//     client_ca_file: /etc/queuescope/scrapers-ca.crt
//   basic_auth_users:
//     prometheus: $2y$10$...   # bcrypt, as `htpasswd -nBC 10 "" | tr -d ':\n'` prints it
//
// Read as that YAML subset (mappings of plain or quoted scalars, comments); any other key is
// refused, so a setting that would not be applied is never silently ignored.
struct WebConfig
{
    QString certFile; // both or neither: TLS
    QString keyFile;
    // Set: a client must present a certificate this CA signed (client_auth_type
    // RequireAndVerifyClientCert; the toolkit's weaker modes, which accept an unverified or no
    // certificate, are refused rather than served as something they are not).
    QString clientCaFile;
    QHash<QString, QByteArray> users; // user -> bcrypt hash

    static core::Result<WebConfig> read(const QString &path);
    // Whether `authorization` (the request's Authorization header) names a user with the right
    // password. Always true without users.
    bool allows(const QByteArray &authorization) const;
};

} // namespace qs::cli
