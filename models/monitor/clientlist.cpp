#include "monitor/clientlist.h"

#include <QCoreApplication>
#include <QHash>

namespace qs::monitor {

namespace {

using NumberField = qint64 ClientInfo::*;
using TextField = QString ClientInfo::*;

const QHash<QString, NumberField> &numberFields()
{
    static const QHash<QString, NumberField> fields = {
        {QStringLiteral("id"), &ClientInfo::id},
        {QStringLiteral("fd"), &ClientInfo::fd},
        {QStringLiteral("age"), &ClientInfo::ageSeconds},
        {QStringLiteral("idle"), &ClientInfo::idleSeconds},
        {QStringLiteral("db"), &ClientInfo::db},
        {QStringLiteral("sub"), &ClientInfo::subscriptions},
        {QStringLiteral("psub"), &ClientInfo::patternSubscriptions},
        {QStringLiteral("ssub"), &ClientInfo::shardSubscriptions},
        {QStringLiteral("multi"), &ClientInfo::multi},
        {QStringLiteral("qbuf"), &ClientInfo::queryBuffer},
        {QStringLiteral("qbuf-free"), &ClientInfo::queryBufferFree},
        {QStringLiteral("argv-mem"), &ClientInfo::argvMemory},
        {QStringLiteral("multi-mem"), &ClientInfo::multiMemory},
        {QStringLiteral("obl"), &ClientInfo::outputBufferLength},
        {QStringLiteral("oll"), &ClientInfo::outputListLength},
        {QStringLiteral("omem"), &ClientInfo::outputMemory},
        {QStringLiteral("tot-mem"), &ClientInfo::totalMemory},
        {QStringLiteral("redir"), &ClientInfo::redirect},
        {QStringLiteral("resp"), &ClientInfo::protocol},
    };
    return fields;
}

const QHash<QString, TextField> &textFields()
{
    static const QHash<QString, TextField> fields = {
        {QStringLiteral("addr"), &ClientInfo::address},
        {QStringLiteral("laddr"), &ClientInfo::localAddress},
        {QStringLiteral("name"), &ClientInfo::name},
        {QStringLiteral("flags"), &ClientInfo::flags},
        {QStringLiteral("events"), &ClientInfo::events},
        {QStringLiteral("cmd"), &ClientInfo::command},
        {QStringLiteral("user"), &ClientInfo::user},
        {QStringLiteral("lib-name"), &ClientInfo::libraryName},
        {QStringLiteral("lib-ver"), &ClientInfo::libraryVersion},
    };
    return fields;
}

void assign(ClientInfo &client, const QString &key, const QString &value)
{
    if (const auto it = numberFields().constFind(key); it != numberFields().constEnd()) {
        bool ok = false;
        const qint64 n = value.toLongLong(&ok);
        client.*(*it) = ok ? n : -1;
    } else if (const auto text = textFields().constFind(key); text != textFields().constEnd()) {
        client.*(*text) = value;
    }
}

struct FlagMeaning
{
    char flag;
    const char *text;
};

// From the CLIENT LIST documentation; letters are case-sensitive ('b' blocked, 'B' broadcast).
constexpr FlagMeaning kFlagMeanings[] = {
    {'A', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "closing as soon as possible")},
    {'b',
     QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "blocked (BRPOP/BZPOPMIN: a waiting worker)")},
    {'B', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "broadcast client-side caching")},
    {'c', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "closing after the reply is written")},
    {'d', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "a WATCHed key changed: EXEC will fail")},
    {'e', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "excluded from client eviction")},
    {'i', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "waiting for VM I/O (obsolete)")},
    {'M', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "master")},
    {'N', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "no special flags")},
    {'O', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "in MONITOR mode")},
    {'P', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "pub/sub subscriber")},
    {'r', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "read-only cluster connection")},
    {'R',
     QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "client-side caching redirect target is gone")},
    {'S', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "replica")},
    {'t', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "client-side caching (tracking)")},
    {'T', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "does not touch keys' LRU/LFU (NO-TOUCH)")},
    {'u', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "unblocked")},
    {'U', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "connected through a Unix socket")},
    {'x', QT_TRANSLATE_NOOP("qs::monitor::ClientFlags", "in MULTI")},
};

QString flagMeaning(QChar flag)
{
    for (const FlagMeaning &meaning : kFlagMeanings) {
        if (flag == QLatin1Char(meaning.flag))
            return QCoreApplication::translate("qs::monitor::ClientFlags", meaning.text);
    }
    return QCoreApplication::translate("qs::monitor::ClientFlags", "unknown flag");
}

} // namespace

QList<ClientInfo> parseClientList(QByteArrayView text)
{
    QList<ClientInfo> clients;
    const QString all = QString::fromUtf8(text);
    for (QStringView line : QStringView(all).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        line = line.trimmed(); // also drops the '\r' of a CRLF line
        if (line.isEmpty())
            continue;
        ClientInfo client;
        // Names, users and library names cannot contain spaces (Redis refuses them), so
        // splitting on spaces is exact; a value may contain '=' (split at the first one only).
        for (QStringView pair : line.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            const QString key = (equals < 0 ? pair : pair.left(equals)).toString();
            const QString value = equals < 0 ? QString() : pair.mid(equals + 1).toString();
            assign(client, key, value);
            client.fields.append({key, value});
        }
        if (client.id >= 0)
            clients.append(std::move(client));
    }
    return clients;
}

QStringList describeClientFlags(const QString &flags)
{
    QStringList lines;
    for (const QChar flag : flags)
        lines.append(QStringLiteral("%1 = %2").arg(flag, flagMeaning(flag)));
    return lines;
}

} // namespace qs::monitor
