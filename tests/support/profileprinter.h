#pragma once

#include "core/connectionprofile.h"

#include <QByteArray>
#include <QString>

namespace qs::core {

// Lets QCOMPARE print both profiles when they differ: QTest finds toString() by
// argument-dependent lookup, so it has to live in the profile's namespace. Inline because
// every test that compares profiles includes it.
inline char *toString(const ConnectionProfile &p)
{
    const QString text =
        QStringLiteral("host=%1 port=%2 unix=%3 db=%4 user=%5 password=%6 tls=%7 verify=%8 "
                       "ca=%9 cert=%10 key=%11 sni=%12 connectTimeoutMs=%13")
            .arg(p.host)
            .arg(p.port)
            .arg(p.unixSocket)
            .arg(p.db)
            .arg(p.username, p.password)
            .arg(p.tls.enabled)
            .arg(p.tls.verifyPeer)
            .arg(p.tls.caFile, p.tls.certFile, p.tls.keyFile, p.tls.serverName)
            .arg(p.connectTimeoutMs);
    const QString sentinel =
        p.usesSentinel()
            ? QStringLiteral(" sentinels=%1 master=%2 sentinelUser=%3 sentinelPassword=%4 "
                             "sentinelTls=%5")
                  .arg(p.sentinel.addresses.join(u','), p.sentinel.masterName, p.sentinel.username,
                       p.sentinel.password)
                  .arg(p.sentinel.tls.enabled)
            : QString();
    return qstrdup((text + sentinel).toUtf8().constData());
}

} // namespace qs::core
