#include "webconfig.h"

#include <QFile>

#include <crypt.h>

#include <cstring>

namespace qs::cli {

namespace {

QString scalar(QString text)
{
    text = text.trimmed();
    if (text.size() >= 2 && (text.front() == u'"' || text.front() == u'\'') &&
        text.back() == text.front())
        return text.mid(1, text.size() - 2);
    if (const qsizetype comment = text.indexOf(QLatin1String(" #")); comment >= 0)
        text.truncate(comment);
    return text.trimmed();
}

// bcrypt through libxcrypt's crypt_r (glibc's libcrypt on Debian: $2a$, $2b$, $2y$), compared
// in constant time.
bool bcryptMatches(const QByteArray &password, const QByteArray &hash)
{
    if (!hash.startsWith("$2"))
        return false;
    crypt_data data{};
    const char *computed = crypt_r(password.constData(), hash.constData(), &data);
    if (!computed || computed[0] == '*')
        return false;
    const size_t length = std::strlen(computed);
    if (length != size_t(hash.size()))
        return false;
    unsigned char difference = 0;
    for (size_t i = 0; i < length; ++i)
        difference |= static_cast<unsigned char>(computed[i] ^ hash.at(qsizetype(i)));
    return difference == 0;
}

// client_auth_type: whether it asks for verified client certificates, or why it is refused.
core::Result<bool> verifiesClients(const QString &type)
{
    if (type.isEmpty() || type == QLatin1String("NoClientCert"))
        return core::Result<bool>::success(false);
    if (type == QLatin1String("RequireAndVerifyClientCert"))
        return core::Result<bool>::success(true);
    if (type == QLatin1String("RequestClientCert") ||
        type == QLatin1String("RequireAnyClientCert") ||
        type == QLatin1String("RequireClientCert") ||
        type == QLatin1String("VerifyClientCertIfGiven"))
        return core::Result<bool>::failure(
            QStringLiteral("tls_server_config: client_auth_type %1 is not supported (it lets a "
                           "client in without a verified certificate; NoClientCert and "
                           "RequireAndVerifyClientCert are)")
                .arg(type));
    return core::Result<bool>::failure(
        QStringLiteral("tls_server_config: client_auth_type %1 is not one of NoClientCert, "
                       "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, "
                       "RequireAndVerifyClientCert")
            .arg(type));
}

// What the TLS keys say together, or why they do not fit.
QString tlsMismatch(const WebConfig &config, bool clientsVerified)
{
    if (config.certFile.isEmpty() != config.keyFile.isEmpty())
        return QStringLiteral("tls_server_config needs cert_file and key_file");
    if (clientsVerified && config.clientCaFile.isEmpty())
        return QStringLiteral("tls_server_config: client_auth_type RequireAndVerifyClientCert "
                              "needs client_ca_file (the CA that signs the scrapers' "
                              "certificates)");
    if (!clientsVerified && !config.clientCaFile.isEmpty())
        return QStringLiteral("tls_server_config: client_ca_file is set but client_auth_type is "
                              "not RequireAndVerifyClientCert, so no client certificate would "
                              "be checked");
    if (clientsVerified && config.certFile.isEmpty())
        return QStringLiteral("tls_server_config: client certificates need cert_file and "
                              "key_file");
    return {};
}

} // namespace

core::Result<WebConfig> WebConfig::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::Result<WebConfig>::failure(
            QStringLiteral("web config %1: %2").arg(path, file.errorString()));
    WebConfig config;
    QString clientAuthType;
    QString section;
    int lineNumber = 0;
    const auto fail = [&](const QString &why) {
        return core::Result<WebConfig>::failure(
            QStringLiteral("web config %1:%2: %3").arg(path).arg(lineNumber).arg(why));
    };
    for (const QByteArray &raw : file.readAll().split('\n')) {
        ++lineNumber;
        const QString line = QString::fromUtf8(raw);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(u'#'))
            continue;
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0)
            return fail(QStringLiteral("expected key: value"));
        const QString key = scalar(line.left(colon));
        const QString value = scalar(line.mid(colon + 1));
        const bool nested = line.front().isSpace();
        if (!nested) {
            if (key != QLatin1String("tls_server_config") &&
                key != QLatin1String("basic_auth_users"))
                return fail(QStringLiteral("%1 is not supported (tls_server_config and "
                                           "basic_auth_users are)")
                                .arg(key));
            section = key;
            continue;
        }
        if (section == QLatin1String("basic_auth_users")) {
            if (!value.startsWith(QLatin1String("$2")))
                return fail(QStringLiteral("the password of %1 is not a bcrypt hash").arg(key));
            config.users.insert(key, value.toUtf8());
        } else if (key == QLatin1String("cert_file")) {
            config.certFile = value;
        } else if (key == QLatin1String("key_file")) {
            config.keyFile = value;
        } else if (key == QLatin1String("client_ca_file")) {
            config.clientCaFile = value;
        } else if (key == QLatin1String("client_auth_type")) {
            clientAuthType = value;
        } else {
            return fail(QStringLiteral("tls_server_config: %1 is not supported (cert_file, "
                                       "key_file, client_auth_type and client_ca_file are)")
                            .arg(key));
        }
    }
    const core::Result<bool> clientsVerified = verifiesClients(clientAuthType);
    const QString mismatch =
        clientsVerified ? tlsMismatch(config, clientsVerified.value()) : clientsVerified.error();
    if (!mismatch.isEmpty())
        return core::Result<WebConfig>::failure(
            QStringLiteral("web config %1: %2").arg(path, mismatch));
    return core::Result<WebConfig>::success(config);
}

bool WebConfig::allows(const QByteArray &authorization) const
{
    if (users.isEmpty())
        return true;
    if (!authorization.startsWith("Basic "))
        return false;
    const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0)
        return false;
    const auto hash = users.constFind(QString::fromUtf8(decoded.left(colon)));
    return hash != users.cend() && bcryptMatches(decoded.mid(colon + 1), hash.value());
}

} // namespace qs::cli
