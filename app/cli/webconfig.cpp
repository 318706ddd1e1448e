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

} // namespace

core::Result<WebConfig> WebConfig::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::Result<WebConfig>::failure(
            QStringLiteral("web config %1: %2").arg(path, file.errorString()));
    WebConfig config;
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
        } else {
            return fail(QStringLiteral("tls_server_config: %1 is not supported (cert_file and "
                                       "key_file are)")
                            .arg(key));
        }
    }
    if (config.certFile.isEmpty() != config.keyFile.isEmpty())
        return core::Result<WebConfig>::failure(
            QStringLiteral("web config %1: tls_server_config needs cert_file and key_file")
                .arg(path));
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
