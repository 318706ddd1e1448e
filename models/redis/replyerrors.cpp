#include "replyerrors.h"

namespace qs::redis {

namespace {

QString commandName(const RedisCommand &command)
{
    if (command.isEmpty())
        return {};
    QString name = QString::fromUtf8(command.first()).toUpper();
    // Subcommands matter for ACLs and renames: "CLIENT LIST", "CONFIG GET".
    static const QList<QByteArray> withSubcommand = {"CLIENT", "CONFIG", "SLOWLOG", "SCRIPT",
                                                     "ACL",    "MEMORY", "COMMAND", "OBJECT"};
    if (command.size() > 1 && withSubcommand.contains(command.first().toUpper()))
        name += QLatin1Char(' ') + QString::fromUtf8(command.at(1)).toUpper();
    return name;
}

} // namespace

RedisError readOnlyReplicaError(const QString &what)
{
    return {RedisError::Kind::ReadOnlyReplica,
            QStringLiteral("%1 refused: this server is a read-only replica (READONLY), so nothing "
                           "was changed; run actions against its master (a replica's profile can "
                           "only watch)")
                .arg(what)};
}

RedisError errorFromReply(const RedisReply &reply, const RedisCommand &command, const QString &user)
{
    if (!reply.isError())
        return {};
    const QByteArray code = reply.errorCode();
    const QString text = QString::fromUtf8(reply.string);
    const QString name = commandName(command);
    const QString who = user.isEmpty() ? QStringLiteral("default") : user;
    using K = RedisError::Kind;
    if (code == "NOPERM")
        return {K::NoPermission,
                QStringLiteral("ACL user '%1' may not run %2 (NOPERM): %3").arg(who, name, text)};
    if (code == "NOAUTH")
        return {K::AuthRequired, QStringLiteral("the server requires a password (NOAUTH)")};
    if (code == "WRONGPASS")
        return {K::AuthFailed,
                QStringLiteral("authentication failed for user '%1': wrong password or no such "
                               "user (WRONGPASS)")
                    .arg(who)};
    if (code == "READONLY")
        return readOnlyReplicaError(name);
    if (code == "LOADING")
        return {K::Loading,
                QStringLiteral("the server is loading its dataset into memory (LOADING); it "
                               "answers again when loading completes")};
    if (code == "BUSY")
        return {K::Busy,
                QStringLiteral("the server is busy running a script (BUSY): %1").arg(text)};
    if (code == "ERR" && (text.contains(QLatin1String("unknown command")) ||
                          text.contains(QLatin1String("unknown subcommand")))) {
        return {K::UnknownCommand,
                QStringLiteral("the server does not know %1: it may be renamed or disabled "
                               "(rename-command) or too old (%2)")
                    .arg(name, text)};
    }
    return {K::Server, QStringLiteral("%1 failed: %2").arg(name, text)};
}

} // namespace qs::redis
