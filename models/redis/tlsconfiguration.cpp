#include "tlsconfiguration.h"

#include <QSslCipher>
#include <QSslSocket>

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace qs::redis {

namespace {

core::Result<QList<QSslCertificate>> readCertificates(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::Result<QList<QSslCertificate>>::failure(
            QStringLiteral("cannot read the %1 file '%2': %3").arg(what, path, file.errorString()));
    QList<QSslCertificate> certs = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certs.isEmpty()) {
        file.seek(0);
        certs = QSslCertificate::fromData(file.readAll(), QSsl::Der);
    }
    if (certs.isEmpty())
        return core::Result<QList<QSslCertificate>>::failure(
            QStringLiteral("the %1 file '%2' holds no PEM or DER certificate").arg(what, path));
    return core::Result<QList<QSslCertificate>>::success(certs);
}

core::Result<QSslKey> readKey(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::Result<QSslKey>::failure(
            QStringLiteral("cannot read the client key file '%1': %2")
                .arg(path, file.errorString()));
    const QByteArray pem = file.readAll();
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Opaque}) {
        QSslKey key(pem, algorithm, QSsl::Pem);
        if (!key.isNull())
            return core::Result<QSslKey>::success(key);
    }
    return core::Result<QSslKey>::failure(
        QStringLiteral("the client key file '%1' holds no readable unencrypted PEM key (RSA or EC)")
            .arg(path));
}

QString subjectOf(const QSslCertificate &cert)
{
    if (cert.isNull())
        return QStringLiteral("unknown");
    const QString cn = cert.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    return cn.isEmpty() ? cert.subjectDisplayName() : QStringLiteral("CN=") + cn;
}

QString issuerOf(const QSslCertificate &cert)
{
    const QString cn = cert.issuerInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    return cn.isEmpty() ? cert.issuerDisplayName() : QStringLiteral("CN=") + cn;
}

QString namesOf(const QSslCertificate &cert)
{
    QStringList names;
    const auto alternates = cert.subjectAlternativeNames();
    for (auto it = alternates.cbegin(); it != alternates.cend(); ++it)
        names << it.value();
    if (names.isEmpty())
        names = cert.subjectInfo(QSslCertificate::CommonName);
    return names.join(QStringLiteral(", "));
}

} // namespace

core::Result<QSslConfiguration> makeTlsConfiguration(const core::TlsOptions &tls)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(tls.verifyPeer ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    if (!tls.caFile.isEmpty()) {
        auto cas = readCertificates(tls.caFile, QStringLiteral("CA"));
        if (!cas)
            return core::Result<QSslConfiguration>::failure(cas.error());
        config.addCaCertificates(cas.value());
    }
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty())
        return core::Result<QSslConfiguration>::failure(
            QStringLiteral("mutual TLS needs both a client certificate and its key file"));
    if (!tls.certFile.isEmpty()) {
        auto certs = readCertificates(tls.certFile, QStringLiteral("client certificate"));
        if (!certs)
            return core::Result<QSslConfiguration>::failure(certs.error());
        auto key = readKey(tls.keyFile);
        if (!key)
            return core::Result<QSslConfiguration>::failure(key.error());
        config.setLocalCertificate(certs.value().first());
        if (certs.value().size() > 1)
            config.setLocalCertificateChain(certs.value());
        config.setPrivateKey(key.value());
    }
    return core::Result<QSslConfiguration>::success(config);
}

QString describeTlsErrors(const QList<QSslError> &errors, const QSslCertificate &peer,
                          const QString &endpoint, const QString &expectedName)
{
    if (errors.isEmpty())
        return QStringLiteral("TLS verification of %1 failed").arg(endpoint);
    const QSslError &first = errors.first();
    const QSslCertificate cert = peer.isNull() ? first.certificate() : peer;
    const QString subject = subjectOf(cert);
    switch (first.error()) {
    case QSslError::CertificateExpired:
        return QStringLiteral("the TLS certificate of %1 expired on %2 (subject %3)")
            .arg(endpoint, cert.expiryDate().toString(Qt::ISODate), subject);
    case QSslError::CertificateNotYetValid:
        return QStringLiteral("the TLS certificate of %1 is not valid before %2 (subject %3)")
            .arg(endpoint, cert.effectiveDate().toString(Qt::ISODate), subject);
    case QSslError::HostNameMismatch:
        return QStringLiteral("the TLS certificate of %1 is for '%2', not '%3' (subject %4): "
                              "connect by a name it lists or set the server name (SNI)")
            .arg(endpoint, namesOf(cert), expectedName, subject);
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return QStringLiteral("the TLS certificate of %1 is not trusted (subject %2, issued by "
                              "%3): add its CA file to the profile, or skip verification "
                              "explicitly for this profile")
            .arg(endpoint, subject, issuerOf(cert));
    default:
        return QStringLiteral("TLS verification of %1 failed: %2 (subject %3)")
            .arg(endpoint, first.errorString(), subject);
    }
}

QString describeSession(const QSslSocket &socket, const core::TlsOptions &tls)
{
    QString protocol;
    switch (socket.sessionProtocol()) {
    case QSsl::TlsV1_2:
        protocol = QStringLiteral("TLS 1.2");
        break;
    case QSsl::TlsV1_3:
        protocol = QStringLiteral("TLS 1.3");
        break;
    default:
        protocol = QStringLiteral("TLS");
        break;
    }
    const QSslCertificate cert = socket.peerCertificate();
    QString text = protocol;
    if (!socket.sessionCipher().isNull())
        text += QStringLiteral(", ") + socket.sessionCipher().name();
    if (!cert.isNull())
        text += QStringLiteral("; certificate %1 issued by %2, valid until %3")
                    .arg(subjectOf(cert), issuerOf(cert),
                         cert.expiryDate().toString(QStringLiteral("yyyy-MM-dd")));
    text += tls.verifyPeer ? QStringLiteral("; verified")
                           : QStringLiteral("; verification skipped by the profile");
    return text;
}

} // namespace qs::redis
