#pragma once

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace qs::monitor {

// One line of CLIENT LIST. The fields differ between Redis 5, 6 and 7 (and forks): a number the
// server did not report reads -1, a text field reads empty; `fields` keeps every key=value of
// the line in server order, unknown keys included, for a tooltip or a detail view.
struct ClientInfo
{
    qint64 id = -1;
    QString address;      // addr: "ip:port" or "/path/to/socket:0"
    QString localAddress; // laddr (6.2+)
    qint64 fd = -1;       // -1 for internal clients (Lua, modules)
    QString name;         // often empty: not every client sets a name
    qint64 ageSeconds = -1;
    qint64 idleSeconds = -1;
    QString flags; // letters, "N" for none; see describeClientFlags()
    qint64 db = -1;
    qint64 subscriptions = -1;        // sub
    qint64 patternSubscriptions = -1; // psub
    qint64 shardSubscriptions = -1;   // ssub (7.0+)
    qint64 multi = -1;                // commands queued in MULTI; -1 = not in MULTI
    qint64 queryBuffer = -1;          // qbuf
    qint64 queryBufferFree = -1;      // qbuf-free
    qint64 argvMemory = -1;           // argv-mem (6.0+)
    qint64 multiMemory = -1;          // multi-mem (7.0+)
    qint64 outputBufferLength = -1;   // obl
    qint64 outputListLength = -1;     // oll
    qint64 outputMemory = -1;         // omem
    qint64 totalMemory = -1;          // tot-mem (6.0+)
    QString events;                   // "r", "w", "rw"
    QString command;                  // last command, "client|list" since 7.0 ("client" before)
    QString user;                     // ACL user (6.0+)
    qint64 redirect = -1;             // redir: client-side caching redirection (6.2+)
    qint64 protocol = -1;             // resp (7.0+)
    QString libraryName;              // lib-name (7.2+)
    QString libraryVersion;           // lib-ver (7.2+)
    QList<QPair<QString, QString>> fields;
    QString node; // Redis Cluster: the node ("host:port") that listed it; empty otherwise. Ids
                  // are unique per node only: a client is (node, id)

    bool operator==(const ClientInfo &) const = default;
};

// Parses the text CLIENT LIST returns: one client per line, space-separated key=value pairs.
// Lines without a numeric id are skipped (they cannot be matched across refreshes or killed).
QList<ClientInfo> parseClientList(QByteArrayView text);

// One line per flag letter, e.g. "b = blocked (BRPOP/BZPOPMIN: a waiting worker)". Unknown
// letters are listed as unknown rather than dropped.
QStringList describeClientFlags(const QString &flags);

} // namespace qs::monitor
