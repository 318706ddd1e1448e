#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace qs::redis {

struct InfoField
{
    QString key;
    QString value;
};

struct InfoSection
{
    QString name; // as printed after "# ", e.g. "Server", "Keyspace"
    QList<InfoField> fields;
};

struct KeyspaceEntry
{
    int db = 0;
    qint64 keys = 0;
    qint64 expires = 0;
    qint64 avgTtlMs = 0;
};

struct CommandStat
{
    QString command; // lower case, subcommands as "client|list"
    qint64 calls = 0;
    double usec = 0;
    double usecPerCall = 0;
    qint64 rejectedCalls = 0;
    qint64 failedCalls = 0;
};

struct ErrorStat
{
    QString prefix; // "ERR", "NOPERM", ...
    qint64 count = 0;
};

struct ReplicaEntry
{
    int index = 0;
    QString ip;
    int port = 0;
    QString state;
    qint64 offset = 0;
    qint64 lagSeconds = 0;
};

// The parsed text of one INFO reply. Tolerant: unknown sections and fields are kept as text,
// missing ones read as std::nullopt, so Redis 5/6/7, Valkey and KeyDB all parse.
struct InfoSnapshot
{
    QList<InfoSection> sections;    // in server order, for a raw view
    QHash<QString, QString> fields; // every "key:value" across sections (keys are unique)
    QList<KeyspaceEntry> keyspace;
    QList<CommandStat> commandStats;
    QList<ErrorStat> errorStats;
    QList<ReplicaEntry> replicas;

    bool isEmpty() const { return fields.isEmpty() && sections.isEmpty(); }
    QString text(const QString &key) const { return fields.value(key); }
    std::optional<qint64> integer(const QString &key) const;
    std::optional<double> real(const QString &key) const;
    qint64 integerOr(const QString &key, qint64 fallback) const
    {
        return integer(key).value_or(fallback);
    }
    double realOr(const QString &key, double fallback) const
    {
        return real(key).value_or(fallback);
    }
};

InfoSnapshot parseInfo(QByteArrayView text);

} // namespace qs::redis

Q_DECLARE_METATYPE(qs::redis::InfoSnapshot)
