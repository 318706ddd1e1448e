#include "redisurl.h"

#include "core/limits.h"
#include "sentinelurl.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>
#include <limits>
#include <optional>

namespace qs::core {

namespace {

using ProfileResult = Result<ConnectionProfile>;

ProfileResult fail(const QString &error)
{
    return ProfileResult::failure(error);
}

bool isTcpScheme(const QString &scheme)
{
    return scheme == u"redis" || scheme == u"rediss";
}

bool isUnixScheme(const QString &scheme)
{
    return scheme == u"unix" || scheme == u"redis+unix";
}

std::optional<int> parseDb(const QString &text)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}$"));
    if (!digits.match(text).hasMatch())
        return std::nullopt;
    const qint64 value = text.toLongLong();
    if (value > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(value);
}

QString badDb(const QString &text)
{
    return QStringLiteral("database '%1' is not a number from 0 to 2^31").arg(text);
}

std::optional<bool> parseFlag(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"true" || t == u"1" || t == u"yes" || t == u"on")
        return true;
    if (t == u"false" || t == u"0" || t == u"no" || t == u"off")
        return false;
    return std::nullopt;
}

// The password is never quoted back, only the kind of character that broke the URL.
const QString kUnencodedAt =
    QStringLiteral("the user name or password contains an unencoded '@' (write it as %40)");
const QString kUnencodedReserved =
    QStringLiteral("the user name or password contains an unencoded '/', '?' or '#' "
                   "(write them as %2F, %3F and %23)");

// QUrl only says "invalid" (and its error text quotes the whole URL, password included), so
// when it refuses an authority we look at the host and port ourselves to say which is wrong.
QString diagnoseAuthority(const QString &authority)
{
    const QString hostPort = authority.mid(authority.lastIndexOf(u'@') + 1);
    QString host = hostPort;
    QString port;
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return QStringLiteral("missing ']' after the IPv6 address");
        host = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return QStringLiteral("unexpected text after the IPv6 address '[%1]'").arg(host);
        port = after.mid(1);
    } else if (hostPort.count(u':') > 1) {
        return QStringLiteral("an IPv6 address must be in brackets, e.g. [::1]:6379");
    } else if (const qsizetype colon = hostPort.indexOf(u':'); colon >= 0) {
        host = hostPort.left(colon);
        port = hostPort.mid(colon + 1);
    }
    if (!port.isEmpty()) {
        // A non-numeric "port" is often a password whose '@host' was forgotten: don't quote it.
        if (!QRegularExpression(QStringLiteral("^[0-9]+$")).match(port).hasMatch())
            return QStringLiteral("the port after '%1:' is not a number").arg(host);
        const qint64 value = port.size() > 6 ? 0 : port.toLongLong();
        if (value < 1 || value > 65535)
            return QStringLiteral("port '%1' is out of range (1-65535)").arg(port);
    }
    if (host.isEmpty())
        return QStringLiteral("missing host");
    return QStringLiteral("host '%1' is not a valid host name or address").arg(host);
}

struct QueryState
{
    std::optional<int> queryDb;
    std::optional<QString> queryUser;
    std::optional<QString> queryPassword;
    QHash<QString, QString> seen; // key -> value, to refuse contradictions
};

// Options other clients put in the same REDIS_URL (redis-py, Celery, ioredis). They tune the
// client, not where or how securely it connects, so accepting them keeps shared .env files
// usable; anything else is refused rather than silently dropped.
bool isForeignTuningOption(const QString &key)
{
    static const QSet<QString> keys{
        QStringLiteral("protocol"),         QStringLiteral("health_check_interval"),
        QStringLiteral("socket_timeout"),   QStringLiteral("socket_keepalive"),
        QStringLiteral("retry_on_timeout"), QStringLiteral("max_connections"),
        QStringLiteral("client_name"),      QStringLiteral("decode_responses"),
        QStringLiteral("family"),           QStringLiteral("ssl_check_hostname")};
    return keys.contains(key);
}

// Applies one ?key=value option; returns an error or an empty string.
QString applyOption(ConnectionProfile &p, QueryState &state, const QString &key,
                    const QString &value)
{
    if (key == u"db") {
        state.queryDb = parseDb(value);
        return state.queryDb ? QString() : badDb(value);
    }
    if (key == u"timeout" || key == u"socket_connect_timeout") {
        bool ok = false;
        const double seconds = value.toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds < 0.001 ||
            seconds > limits::maxTimeoutMs / 1000.0)
            return QStringLiteral("%1 '%2' is not a number of seconds from 0.001 to %3")
                .arg(key, value, QString::number(limits::maxTimeoutMs / 1000));
        p.connectTimeoutMs = int(std::lround(seconds * 1000));
        return {};
    }
    if (key == u"password") {
        state.queryPassword = value;
        return {};
    }
    if (key == u"username") {
        state.queryUser = value;
        return {};
    }
    if (isForeignTuningOption(key))
        return {};
    const bool tlsOption = key == u"ssl_cert_reqs" || key == u"skip_verify" || key == u"tls_ca" ||
                           key == u"tls_cert" || key == u"tls_key" || key == u"sni";
    if (!tlsOption)
        return QStringLiteral("unknown option '%1' (known: db, timeout, ssl_cert_reqs, skip_verify,"
                              " tls_ca, tls_cert, tls_key, sni)")
            .arg(key);
    // Refused rather than ignored: the user believes these protect the connection.
    if (!p.tls.enabled)
        return QStringLiteral("option '%1' needs TLS: use a rediss:// URL").arg(key);
    if (key == u"ssl_cert_reqs") {
        const QString v = value.toLower();
        if (v == u"none" || v == u"cert_none")
            p.tls.verifyPeer = false;
        else if (v == u"required" || v == u"cert_required" || v == u"optional" ||
                 v == u"cert_optional")
            p.tls.verifyPeer = true;
        else
            return QStringLiteral("ssl_cert_reqs '%1' is not one of none, optional, required")
                .arg(value);
    } else if (key == u"skip_verify") {
        const std::optional<bool> skip = parseFlag(value);
        if (!skip)
            return QStringLiteral("skip_verify '%1' is not true or false").arg(value);
        p.tls.verifyPeer = !*skip;
    } else if (value.isEmpty()) {
        return QStringLiteral("option '%1' is empty").arg(key);
    } else if (key == u"tls_ca") {
        p.tls.caFile = value;
    } else if (key == u"tls_cert") {
        p.tls.certFile = value;
    } else if (key == u"tls_key") {
        p.tls.keyFile = value;
    } else {
        p.tls.serverName = value;
    }
    return {};
}

bool hasNonCharacter(const QString &text)
{
    for (const char32_t c : text.toUcs4()) {
        if (QChar::isNonCharacter(c))
            return true;
    }
    return false;
}

// Finds a user name or password whose '@', '/', '?' or '#' was not percent-encoded, the mistake
// behind most broken Redis URLs, before any fragment of it could be quoted in another error.
// `authority` and `rest` are the raw text where QUrl splits them: at the first '/', '?' or '#'.
QString unencodedCharacterError(const QString &authority, const QString &rest, bool unixSocket)
{
    const qsizetype hash = rest.indexOf(u'#');
    const qsizetype question = rest.indexOf(u'?');
    const QString path = question < 0 ? rest : rest.left(question);
    if (authority.count(u'@') > 1)
        return kUnencodedAt;
    if (hash >= 0 && !rest.mid(hash).contains(u'@'))
        return QStringLiteral("unexpected '#' in the URL (in a password write it as %23)");
    // A socket path may well contain '@' (systemd instance names); a database number cannot.
    if (hash >= 0 || (!unixSocket && path.contains(u'@')))
        return kUnencodedReserved;
    if (unixSocket && !authority.isEmpty() && !authority.endsWith(u'@'))
        return QStringLiteral("a unix:// URL has no host: write unix:///path/to/redis.sock "
                              "or unix://user:password@/path/to/redis.sock");
    return {};
}

// "redis//host:6379" and "redis:/host:6379", one character short of a scheme: read as a bare
// host they would become host "redis" with a nonsense database. Says what was meant instead,
// with any user name or password left out of the suggestion.
QString shortSchemeError(const QString &text)
{
    static const QRegularExpression shortScheme(
        QStringLiteral("^(rediss?|unix|redis\\+unix)(//|:/(?!/))(.*)$"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = shortScheme.match(text);
    if (!match.hasMatch())
        return {};
    const QString scheme = match.captured(1).toLower();
    const QString missing = match.captured(2) == u"//"
                                ? QStringLiteral("':' after '%1'").arg(scheme)
                                : QStringLiteral("'/' after '%1:'").arg(scheme);
    QString rest = match.captured(3);
    if (const qsizetype at = rest.lastIndexOf(u'@'); at >= 0)
        rest = QStringLiteral("\u2026@") + rest.mid(at + 1);
    const QString meant = isUnixScheme(scheme) ? QStringLiteral("unix:///path/to/redis.sock")
                                               : scheme + QStringLiteral("://") + rest;
    return QStringLiteral("missing %1: did you mean %2?").arg(missing, meant);
}

// Applies every ?option and reconciles them with the path and the user info.
QString applyQuery(const QUrl &url, ConnectionProfile &profile, std::optional<int> pathDb)
{
    QueryState state;
    const QUrlQuery query(url);
    for (const auto &[rawKey, value] : query.queryItems(QUrl::FullyDecoded)) {
        const QString key = rawKey.toLower();
        // An '@' in an option name is the tail of a password that contained an unencoded '?'.
        if (key.contains(u'@'))
            return kUnencodedReserved;
        if (state.seen.contains(key) && state.seen.value(key) != value)
            return QStringLiteral("option '%1' given twice with different values").arg(key);
        state.seen.insert(key, value);
        if (const QString error = applyOption(profile, state, key, value); !error.isEmpty())
            return error;
    }

    if (pathDb && state.queryDb && *pathDb != *state.queryDb)
        return QStringLiteral("db given twice differently (/%1 in the path, db=%2 in the query)")
            .arg(*pathDb)
            .arg(*state.queryDb);
    profile.db = pathDb.value_or(state.queryDb.value_or(0));
    if (state.queryPassword) {
        if (!profile.password.isEmpty() && profile.password != *state.queryPassword)
            return QStringLiteral("password given twice differently");
        profile.password = *state.queryPassword;
    }
    if (state.queryUser) {
        if (!profile.username.isEmpty() && profile.username != *state.queryUser)
            return QStringLiteral("username given twice differently");
        profile.username = *state.queryUser;
    }
    return {};
}

} // namespace

Result<ConnectionProfile> parseRedisUrl(const QString &input)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("the Redis URL is empty"));
    // QUrl writes a Unicode noncharacter outside the BMP (U+7FFFF) back as half a surrogate pair,
    // so such a URL would not survive being saved (found by fuzz_redisurl). Not text: refused,
    // without quoting it (it may hold the password).
    if (hasNonCharacter(trimmed) || hasNonCharacter(QUrl::fromPercentEncoding(trimmed.toUtf8())))
        return fail(QStringLiteral("the URL holds a Unicode noncharacter (U+FDD0-U+FDEF, U+xFFFE, "
                                   "U+xFFFF): not text a server takes"));

    if (const QString error = shortSchemeError(trimmed); !error.isEmpty())
        return fail(error);
    static const QRegularExpression schemeRe(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*)://"));
    const QRegularExpressionMatch schemeMatch = schemeRe.match(trimmed);
    // A bare "host[:port]" is how people type it; it means plain redis://.
    const QString text = schemeMatch.hasMatch() ? trimmed : QStringLiteral("redis://") + trimmed;
    const QString scheme =
        schemeMatch.hasMatch() ? schemeMatch.captured(1).toLower() : QStringLiteral("redis");
    if (isSentinelScheme(scheme))
        return parseSentinelUrl(trimmed);
    if (!isTcpScheme(scheme) && !isUnixScheme(scheme))
        return fail(QStringLiteral("unsupported scheme '%1' (expected redis://, rediss://, "
                                   "unix://, redis+sentinel:// or sentinel://)")
                        .arg(scheme));
    const bool unixSocket = isUnixScheme(scheme);

    const qsizetype authorityStart = text.indexOf(u"://") + 3;
    qsizetype authorityEnd = text.size();
    for (const QChar c : {u'/', u'?', u'#'}) {
        const qsizetype at = text.indexOf(c, authorityStart);
        if (at >= 0 && at < authorityEnd)
            authorityEnd = at;
    }
    const QString authority = text.mid(authorityStart, authorityEnd - authorityStart);
    if (const QString error =
            unencodedCharacterError(authority, text.mid(authorityEnd), unixSocket);
        !error.isEmpty())
        return fail(error);

    const QUrl url(text, QUrl::TolerantMode);
    if (!url.isValid())
        return fail(unixSocket ? QStringLiteral("not a valid unix:// URL")
                               : diagnoseAuthority(authority));

    ConnectionProfile profile;
    profile.tls.enabled = scheme == u"rediss";
    profile.username = url.userName(QUrl::FullyDecoded);
    profile.password = url.password(QUrl::FullyDecoded);
    const QString path = url.path(QUrl::FullyDecoded);
    std::optional<int> pathDb;
    if (unixSocket) {
        if (path.isEmpty() || path == u"/")
            return fail(QStringLiteral("missing socket path (e.g. unix:///run/redis/redis.sock)"));
        profile.unixSocket = path;
    } else {
        if (url.host().isEmpty()) {
            const bool looksLikeSocket = path.count(u'/') > 1 || path.endsWith(u".sock");
            return fail(
                looksLikeSocket
                    ? QStringLiteral("missing host (for a Unix socket use unix://%1)").arg(path)
                    : QStringLiteral("missing host"));
        }
        profile.host = url.host(QUrl::FullyDecoded);
        if (url.port() == 0) // QUrl accepts it; no server listens there
            return fail(QStringLiteral("port '0' is out of range (1-65535)"));
        if (url.port() > 0)
            profile.port = quint16(url.port());
        if (path.size() > 1) {
            pathDb = parseDb(path.mid(1));
            if (!pathDb)
                return fail(badDb(path.mid(1)));
        }
    }
    if (const QString error = applyQuery(url, profile, pathDb); !error.isEmpty())
        return fail(error);
    return ProfileResult::success(profile);
}

QString toRedisUrl(const ConnectionProfile &profile, Secret secret)
{
    if (profile.usesSentinel())
        return toSentinelUrl(profile, secret);
    QUrl url;
    QUrlQuery query;
    if (profile.usesUnixSocket()) {
        url.setScheme(QStringLiteral("unix"));
        url.setHost(QStringLiteral("")); // an empty, not absent, authority: unix:///path
        url.setPath(profile.unixSocket, QUrl::DecodedMode);
        query.addQueryItem(QStringLiteral("db"), QString::number(profile.db));
    } else {
        url.setScheme(profile.tls.enabled ? QStringLiteral("rediss") : QStringLiteral("redis"));
        url.setHost(profile.host, QUrl::DecodedMode);
        url.setPort(profile.port);
        url.setPath(QStringLiteral("/%1").arg(profile.db));
    }
    // Only a name: an empty but not null one (from "?username=") made QUrl write a bare '@'
    // ("redis://@host"), which reads back as another URL (found by fuzz_redisurl).
    if (!profile.username.isEmpty())
        url.setUserName(profile.username, QUrl::DecodedMode);
    if (!profile.password.isEmpty())
        url.setPassword(secret == Secret::Included ? profile.password : QStringLiteral("***"),
                        QUrl::DecodedMode);

    // Values are percent-encoded by hand because QUrlQuery leaves '&', '=', '+' and '#' alone in
    // decoded mode, which would split or cut a file path that contains them.
    const auto add = [&query](const QString &key, const QString &value) {
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    if (profile.tls.enabled && !profile.usesUnixSocket()) {
        if (!profile.tls.verifyPeer)
            add(QStringLiteral("ssl_cert_reqs"), QStringLiteral("none"));
        if (!profile.tls.caFile.isEmpty())
            add(QStringLiteral("tls_ca"), profile.tls.caFile);
        if (!profile.tls.certFile.isEmpty())
            add(QStringLiteral("tls_cert"), profile.tls.certFile);
        if (!profile.tls.keyFile.isEmpty())
            add(QStringLiteral("tls_key"), profile.tls.keyFile);
        if (!profile.tls.serverName.isEmpty())
            add(QStringLiteral("sni"), profile.tls.serverName);
    }
    if (profile.connectTimeoutMs != ConnectionProfile().connectTimeoutMs)
        add(QStringLiteral("timeout"), QString::number(profile.connectTimeoutMs / 1000.0, 'g', 10));
    if (!query.isEmpty())
        url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace qs::core
