#include "handshake.h"

#include "replyerrors.h"

namespace qs::redis {

namespace {

using Kind = RedisError::Kind;

bool isAuthReplyHarmless(const RedisReply &reply)
{
    // A password sent to a server that has none: Redis 5 says "Client sent AUTH, but no password
    // is set", Redis 6+ "AUTH <password> called without any password configured". The
    // connection works; many REDIS_URLs carry a password the dev server does not need.
    return reply.isError() && (reply.string.contains("no password is set") ||
                               reply.string.contains("without any password configured"));
}

} // namespace

QList<RedisCommand> handshakeCommands(const core::ConnectionProfile &profile,
                                      const QString &clientName, bool expectMaster)
{
    QList<RedisCommand> commands;
    if (!profile.password.isEmpty()) {
        if (profile.username.isEmpty())
            commands.append({"AUTH", profile.password.toUtf8()});
        else
            commands.append({"AUTH", profile.username.toUtf8(), profile.password.toUtf8()});
    }
    if (profile.db != 0)
        commands.append({"SELECT", QByteArray::number(profile.db)});
    commands.append({"CLIENT", "SETNAME", clientName.toUtf8()});
    // A node of a Redis Cluster answers its id; any other server an error (cluster support
    // disabled, an unknown command, NOPERM): the cheapest way to learn the mode at connect.
    commands.append(RedisCommand{"CLUSTER", "MYID"});
    commands.append({"PING"});
    if (expectMaster)
        commands.append({"ROLE"});
    return commands;
}

RedisError handshakeError(const core::ConnectionProfile &profile,
                          const QList<RedisCommand> &commands, const QList<RedisReply> &replies)
{
    for (qsizetype i = 0; i < commands.size() && i < replies.size(); ++i) {
        const RedisCommand &command = commands.at(i);
        const RedisReply &reply = replies.at(i);
        if (command.first() == "ROLE" && !reply.isError()) {
            const QByteArray role =
                reply.elements.isEmpty() ? QByteArray() : reply.elements.first().string;
            if (role != "master")
                return {Kind::NotMaster,
                        QStringLiteral("%1 is a %2, not a master: the sentinel's answer was "
                                       "stale (a failover in progress?); asking again")
                            .arg(profile.endpoint(), role == "slave" ? QStringLiteral("replica")
                                                                     : QString::fromUtf8(role))};
            continue;
        }
        if (!reply.isError())
            continue;
        const QByteArray name = command.first();
        if (name == "AUTH" && isAuthReplyHarmless(reply))
            continue;
        if (name == "CLIENT" || name == "CLUSTER")
            continue; // SETNAME is a courtesy; ACL users often may not run it; MYID asks the mode
        if (name == "PING" && reply.errorCode() == "NOPERM")
            continue; // it answered in RESP after AUTH succeeded: good enough
        RedisError error = errorFromReply(reply, command, profile.username);
        if (name == "AUTH" && error.kind == Kind::Server) {
            const bool legacy = reply.string.contains("wrong number of arguments");
            error = {Kind::AuthFailed,
                     legacy ? QStringLiteral("authentication failed: this server (Redis < 6) "
                                             "has no ACL users; remove the user name")
                            : QStringLiteral("authentication failed for user '%1': %2")
                                  .arg(profile.username.isEmpty() ? QStringLiteral("default")
                                                                  : profile.username,
                                       QString::fromUtf8(reply.string))};
        } else if (name == "SELECT" && error.kind != Kind::AuthRequired) {
            error = {Kind::BadDatabase, QStringLiteral("cannot select database %1 on %2: %3")
                                            .arg(QString::number(profile.db), profile.endpoint(),
                                                 QString::fromUtf8(reply.string))};
        }
        return error;
    }
    return {};
}

bool handshakeFoundCluster(const QList<RedisCommand> &commands, const QList<RedisReply> &replies)
{
    for (qsizetype i = 0; i < commands.size() && i < replies.size(); ++i) {
        if (commands.at(i).value(0) == "CLUSTER")
            return replies.at(i).isString() && !replies.at(i).string.isEmpty();
    }
    return false;
}

} // namespace qs::redis
