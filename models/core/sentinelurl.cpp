#include "sentinelurl.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace qs::core {

namespace {

using ProfileResult = Result<ConnectionProfile>;

// One URL's parts, as written (still percent-encoded).
struct RawParts
{
    QString userInfo;
    QStringList hosts;
    QString path;  // without the leading '/'
    QString query; // without the '?'
};

// Splits "scheme://userinfo@hosts/path?query" by hand: QUrl refuses a list of hosts.
Result<RawParts> splitRaw(const QString &text)
{
    RawParts parts;
    const qsizetype start = text.indexOf(u"://") + 3;
    qsizetype end = text.size();
    for (const QChar c : {u'/', u'?', u'#'}) {
        const qsizetype at = text.indexOf(c, start);
        if (at >= 0 && at < end)
            end = at;
    }
    if (text.indexOf(u'#', start) >= 0)
        return Result<RawParts>::failure(
            QStringLiteral("unexpected '#' in the URL (in a password write it as %23)"));
    QString authority = text.mid(start, end - start);
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        parts.userInfo = authority.left(at);
        authority = authority.mid(at + 1);
        if (parts.userInfo.contains(u'@'))
            return Result<RawParts>::failure(QStringLiteral(
                "the user name or password contains an unencoded '@' (write it as %40)"));
    }
    if (!authority.isEmpty())
        parts.hosts = authority.split(u',');
    QString rest = text.mid(end);
    if (const qsizetype question = rest.indexOf(u'?'); question >= 0) {
        parts.query = rest.mid(question + 1);
        rest = rest.left(question);
    }
    parts.path = rest.mid(1);
    if (parts.path.contains(u'@'))
        return Result<RawParts>::failure(
            QStringLiteral("the user name or password contains an unencoded '/', '?' or '#' "
                           "(write them as %2F, %3F and %23)"));
    return Result<RawParts>::success(parts);
}

// Celery's "sentinel://a:26379;sentinel://b:26379/0": one list of hosts; the user, password,
// database and options may be written on any of them, but not differently twice.
Result<RawParts> mergeCelerySegments(const QString &text)
{
    RawParts merged;
    const QStringList segments = text.split(u';', Qt::SkipEmptyParts);
    for (const QString &raw : segments) {
        const QString segment = raw.trimmed();
        if (!segment.startsWith(QStringLiteral("sentinel://"), Qt::CaseInsensitive))
            return Result<RawParts>::failure(
                QStringLiteral("every part of a Celery sentinel URL starts with sentinel:// "
                               "(parts are separated by ';')"));
        auto parts = splitRaw(segment);
        if (!parts)
            return parts;
        const auto take = [](QString &into, const QString &value, const char *what) {
            if (value.isEmpty() || into == value)
                return QString();
            if (!into.isEmpty())
                return QStringLiteral("the %1 is given differently in two parts of the URL")
                    .arg(QLatin1String(what));
            into = value;
            return QString();
        };
        for (const auto &[into, value, what] :
             {std::tuple<QString &, QString, const char *>{merged.userInfo, parts->userInfo,
                                                           "user name or password"},
              {merged.path, parts->path, "database"},
              {merged.query, parts->query, "option list"}}) {
            if (const QString error = take(into, value, what); !error.isEmpty())
                return Result<RawParts>::failure(error);
        }
        merged.hosts += parts->hosts;
    }
    return Result<RawParts>::success(merged);
}

struct SentinelQuery
{
    QString rest; // the options redis:// understands, still encoded
    std::optional<QString> masterName;
    std::optional<QString> username;
    std::optional<QString> password;
    std::optional<bool> tls;
};

Result<SentinelQuery> takeSentinelOptions(const QString &query)
{
    SentinelQuery out;
    QStringList rest;
    for (const QString &item : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype equals = item.indexOf(u'=');
        const QString key = QUrl::fromPercentEncoding(item.left(equals).toUtf8()).toLower();
        const QString value =
            equals < 0 ? QString() : QUrl::fromPercentEncoding(item.mid(equals + 1).toUtf8());
        if (key == u"master_name" || key == u"sentinel_master" || key == u"service_name")
            out.masterName = value;
        else if (key == u"sentinel_username")
            out.username = value;
        else if (key == u"sentinel_password")
            out.password = value;
        else if (key == u"sentinel_tls" || key == u"sentinel_ssl") {
            const QString v = value.toLower();
            if (v != u"true" && v != u"false" && v != u"1" && v != u"0")
                return Result<SentinelQuery>::failure(
                    QStringLiteral("%1 '%2' is not true or false").arg(key, value));
            out.tls = v == u"true" || v == u"1";
        } else
            rest << item;
    }
    out.rest = rest.join(u'&');
    return Result<SentinelQuery>::success(out);
}

Result<QStringList> parseHosts(const QStringList &hosts)
{
    QStringList addresses;
    for (const QString &host : hosts) {
        auto address = parseSentinelAddress(QUrl::fromPercentEncoding(host.toUtf8()));
        if (!address)
            return Result<QStringList>::failure(
                QStringLiteral("sentinel '%1': %2").arg(host, address.error()));
        addresses << hostPortText(address->first, address->second);
    }
    if (addresses.isEmpty())
        return Result<QStringList>::failure(
            QStringLiteral("no sentinel address: write redis+sentinel://host1:26379,"
                           "host2:26379/<master>"));
    return Result<QStringList>::success(addresses);
}

} // namespace

bool isSentinelScheme(const QString &scheme)
{
    const QString s = scheme.toLower();
    return s == u"redis+sentinel" || s == u"rediss+sentinel" || s == u"sentinel";
}

Result<std::pair<QString, quint16>> parseSentinelAddress(const QString &address)
{
    return parseHostPort(address, defaultSentinelPort);
}

Result<ConnectionProfile> parseSentinelUrl(const QString &input)
{
    const QString text = input.trimmed();
    const QString scheme = text.left(text.indexOf(u"://")).toLower();
    const bool celery = scheme == u"sentinel";
    auto raw = celery ? mergeCelerySegments(text) : splitRaw(text);
    if (!raw)
        return ProfileResult::failure(raw.error());
    auto options = takeSentinelOptions(raw->query);
    if (!options)
        return ProfileResult::failure(options.error());

    QString master;
    QString db = raw->path;
    if (!celery) {
        const qsizetype slash = raw->path.indexOf(u'/');
        master = QUrl::fromPercentEncoding(raw->path.left(slash).toUtf8());
        db = slash < 0 ? QString() : raw->path.mid(slash + 1);
    }
    if (options->masterName) {
        if (!master.isEmpty() && master != *options->masterName)
            return ProfileResult::failure(
                QStringLiteral("master name given twice differently (/%1 in the path, "
                               "master_name=%2 in the query)")
                    .arg(master, *options->masterName));
        master = *options->masterName;
    }
    auto addresses = parseHosts(raw->hosts);
    if (!addresses)
        return ProfileResult::failure(addresses.error());

    // The data nodes' part is a redis:// URL like any other: its user, password, database and
    // options are read (and refused) the same way.
    const bool tls = scheme == u"rediss+sentinel";
    QString data = QStringLiteral("%1://%2localhost/%3")
                       .arg(tls ? QStringLiteral("rediss") : QStringLiteral("redis"),
                            raw->userInfo.isEmpty() ? QString() : raw->userInfo + u'@', db);
    if (!options->rest.isEmpty())
        data += u'?' + options->rest;
    auto parsed = parseRedisUrl(data);
    if (!parsed)
        return parsed;
    ConnectionProfile profile = parsed.value();
    profile.host = ConnectionProfile().host;
    profile.sentinel.addresses = addresses.value();
    profile.sentinel.masterName = master;
    profile.sentinel.username = options->username.value_or(QString());
    profile.sentinel.password = options->password.value_or(QString());
    profile.sentinel.tls = profile.tls;
    profile.sentinel.tls.enabled = options->tls.value_or(profile.tls.enabled);
    return ProfileResult::success(profile);
}

QString toSentinelUrl(const ConnectionProfile &profile, Secret secret)
{
    ConnectionProfile data = profile;
    data.sentinel = {};
    data.unixSocket.clear();
    const QUrl url(toRedisUrl(data, secret), QUrl::StrictMode);
    QUrlQuery query(url.query(QUrl::FullyEncoded));
    const auto add = [&query](const QString &key, const QString &value) {
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    if (!profile.sentinel.username.isEmpty())
        add(QStringLiteral("sentinel_username"), profile.sentinel.username);
    if (!profile.sentinel.password.isEmpty())
        add(QStringLiteral("sentinel_password"),
            secret == Secret::Included ? profile.sentinel.password : QStringLiteral("***"));
    if (profile.sentinel.tls.enabled != profile.tls.enabled)
        add(QStringLiteral("sentinel_tls"),
            profile.sentinel.tls.enabled ? QStringLiteral("true") : QStringLiteral("false"));
    const QString userInfo = url.userInfo(QUrl::FullyEncoded);
    QString text =
        QStringLiteral("%1+sentinel://%2%3/%4/%5")
            .arg(url.scheme(), userInfo.isEmpty() ? QString() : userInfo + u'@',
                 profile.sentinel.addresses.join(u','),
                 QString::fromLatin1(QUrl::toPercentEncoding(profile.sentinel.masterName)),
                 QString::number(profile.db));
    if (!query.isEmpty())
        text += u'?' + query.query(QUrl::FullyEncoded);
    return text;
}

QString sentinelDisplayUrl(const ConnectionProfile &profile)
{
    QString text = toSentinelUrl(profile, Secret::Redacted);
    if (const qsizetype question = text.indexOf(u'?'); question >= 0)
        text.truncate(question);
    return QUrl::fromPercentEncoding(text.toUtf8());
}

QString sentinelProblem(const ConnectionProfile &profile)
{
    if (!profile.usesSentinel())
        return {};
    if (profile.sentinel.masterName.trimmed().isEmpty())
        return QStringLiteral(
            "no master name for the sentinels to look up: write it in the URL "
            "(redis+sentinel://host:26379/<master>, or ?master_name=<master> after Celery's "
            "sentinel://...), give --sentinel-master NAME, or fill 'Master name' in the profile");
    for (const QString &address : profile.sentinel.addresses) {
        if (auto parsed = parseSentinelAddress(address); !parsed)
            return QStringLiteral("sentinel '%1': %2").arg(address, parsed.error());
    }
    return {};
}

ConnectionProfile sentinelNodeProfile(const ConnectionProfile &profile, const QString &address)
{
    ConnectionProfile node;
    node.name = profile.name;
    if (auto parsed = parseSentinelAddress(address)) {
        node.host = parsed->first;
        node.port = parsed->second;
    }
    node.username = profile.sentinel.username;
    node.password = profile.sentinel.password;
    node.tls = profile.sentinel.tls;
    node.connectTimeoutMs = profile.connectTimeoutMs;
    node.commandTimeoutMs = profile.commandTimeoutMs;
    return node;
}

QString sentinelSecretName(const QString &profileName)
{
    return profileName + QStringLiteral(" (sentinels)");
}

} // namespace qs::core
