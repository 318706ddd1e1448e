#include "clusteraddressmap.h"

#include "hostport.h"

namespace qs::core {

Result<QHash<QString, QString>> parseClusterAddressMap(const QStringList &entries)
{
    using R = Result<QHash<QString, QString>>;
    QHash<QString, QString> map;
    for (const QString &entry : entries) {
        const qsizetype equals = entry.indexOf(u'=');
        if (equals < 0 || entry.indexOf(u'=', equals + 1) >= 0)
            return R::failure(QStringLiteral("cluster address map '%1': write ANNOUNCED_HOST:PORT"
                                             "=REACHABLE_HOST:PORT")
                                  .arg(entry.trimmed()));
        const auto announced = parseHostPort(entry.left(equals), std::nullopt);
        if (!announced)
            return R::failure(QStringLiteral("cluster address map '%1': the announced address %2")
                                  .arg(entry.trimmed(), announced.error()));
        const auto reachable = parseHostPort(entry.mid(equals + 1), std::nullopt);
        if (!reachable)
            return R::failure(QStringLiteral("cluster address map '%1': the reachable address %2")
                                  .arg(entry.trimmed(), reachable.error()));
        const QString from = hostPortText(announced->first, announced->second);
        if (map.contains(from))
            return R::failure(QStringLiteral("cluster address map: %1 is mapped twice").arg(from));
        map.insert(from, hostPortText(reachable->first, reachable->second));
    }
    return R::success(map);
}

} // namespace qs::core
