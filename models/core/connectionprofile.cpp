#include "connectionprofile.h"

#include "redisurl.h"
#include "sentinelurl.h"

#include <QUrl>
#include <QUrlQuery>

namespace qs::core {

QString ConnectionProfile::endpoint() const
{
    if (usesUnixSocket())
        return unixSocket;
    if (usesSentinel())
        return QStringLiteral("master '%1' via sentinel %2")
            .arg(sentinel.masterName, sentinel.addresses.join(QStringLiteral(", ")));
    // Without brackets "::1:6379" could not be told apart from an address ending in 6379.
    if (host.contains(u':'))
        return QStringLiteral("[%1]:%2").arg(host, QString::number(port));
    return QStringLiteral("%1:%2").arg(host, QString::number(port));
}

QString ConnectionProfile::displayUrl() const
{
    if (usesSentinel())
        return sentinelDisplayUrl(*this);
    // Derived from the redacted toRedisUrl() so the two can never disagree on how a profile is
    // written; the TLS file paths and timeouts are dropped because a title only needs to say
    // where and which database.
    QUrl url(toRedisUrl(*this, Secret::Redacted), QUrl::StrictMode);
    QUrlQuery query(url);
    const QString db = query.queryItemValue(QStringLiteral("db"));
    query.clear();
    if (!db.isEmpty())
        query.addQueryItem(QStringLiteral("db"), db);
    url.setQuery(query.isEmpty() ? QString() : query.query());
    return url.toString(QUrl::PrettyDecoded);
}

} // namespace qs::core
