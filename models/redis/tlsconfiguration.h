#pragma once

#include "core/connectionprofile.h"
#include "core/result.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>

class QSslSocket;

namespace qs::redis {

// The QSslConfiguration for a profile: system CAs plus the profile's CA file, the client
// certificate and key for mutual TLS, and verification unless explicitly skipped. Fails with a
// message naming the file when a CA, certificate or key cannot be read.
core::Result<QSslConfiguration> makeTlsConfiguration(const core::TlsOptions &tls);

// One sentence for the verification failures of a handshake: what is wrong, with the
// certificate's subject and issuer, and what the operator can do about it.
// `peer` is the server's own (leaf) certificate: the one an operator recognises.
QString describeTlsErrors(const QList<QSslError> &errors, const QSslCertificate &peer,
                          const QString &endpoint, const QString &expectedName);

// What an established TLS session is: "TLS 1.3, TLS_AES_256_GCM_SHA384; certificate CN=... issued
// by CN=..., valid until 2027-01-01; verified" (or "verification skipped by the profile").
QString describeSession(const QSslSocket &socket, const core::TlsOptions &tls);

} // namespace qs::redis
