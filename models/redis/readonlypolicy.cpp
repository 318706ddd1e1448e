#include "readonlypolicy.h"

#include <QSet>

namespace qs::redis {

namespace {

const QSet<QByteArray> &readCommands()
{
    static const QSet<QByteArray> commands = {
        // connection
        "PING",
        "ECHO",
        "AUTH",
        "SELECT",
        "QUIT",
        "HELLO",
        "TIME",
        "LASTSAVE",
        "DBSIZE",
        "INFO",
        "ROLE",
        "LOLWUT",
        "READONLY",
        "READWRITE",
        "ASKING",
        "CLUSTER",
        // keys
        "EXISTS",
        "TYPE",
        "TTL",
        "PTTL",
        "EXPIRETIME",
        "PEXPIRETIME",
        "SCAN",
        "KEYS",
        "RANDOMKEY",
        "DUMP",
        "TOUCH",
        "STRLEN",
        "OBJECT",
        // strings
        "GET",
        "MGET",
        "GETRANGE",
        "SUBSTR",
        "LCS",
        "GETBIT",
        "BITCOUNT",
        "BITPOS",
        // hashes
        "HGET",
        "HMGET",
        "HGETALL",
        "HKEYS",
        "HVALS",
        "HLEN",
        "HEXISTS",
        "HSTRLEN",
        "HSCAN",
        "HRANDFIELD",
        // lists
        "LLEN",
        "LRANGE",
        "LINDEX",
        "LPOS",
        // sets
        "SCARD",
        "SMEMBERS",
        "SISMEMBER",
        "SMISMEMBER",
        "SSCAN",
        "SRANDMEMBER",
        "SINTER",
        "SUNION",
        "SDIFF",
        "SINTERCARD",
        // sorted sets
        "ZCARD",
        "ZCOUNT",
        "ZRANGE",
        "ZRANGEBYSCORE",
        "ZREVRANGE",
        "ZREVRANGEBYSCORE",
        "ZRANGEBYLEX",
        "ZREVRANGEBYLEX",
        "ZLEXCOUNT",
        "ZSCORE",
        "ZMSCORE",
        "ZRANK",
        "ZREVRANK",
        "ZSCAN",
        "ZRANDMEMBER",
        "ZINTER",
        "ZUNION",
        "ZDIFF",
        "ZINTERCARD",
        // streams
        "XLEN",
        "XRANGE",
        "XREVRANGE",
        "XINFO",
        "XPENDING",
        "XREAD",
        // scripting that cannot write
        "EVAL_RO",
        "EVALSHA_RO",
        "FCALL_RO",
        // server observation
        "SLOWLOG",
        "LATENCY",
        "MEMORY",
        "COMMAND",
        "CONFIG",
        "CLIENT",
        "PUBSUB",
        "MODULE",
        "ACL",
        "MULTI",
        "EXEC",
        "DISCARD",
        "WATCH",
        "UNWATCH",
    };
    return commands;
}

// Subcommands of the observation commands above that change something.
bool isWritingSubcommand(const QByteArray &command, const QByteArray &sub)
{
    if (command == "CONFIG")
        return sub != "GET";
    if (command == "CLUSTER") // the questions QueueScope asks; the rest reshapes the cluster
        return sub != "SHARDS" && sub != "SLOTS" && sub != "NODES" && sub != "INFO" &&
               sub != "MYID" && sub != "KEYSLOT" && sub != "COUNTKEYSINSLOT";
    if (command == "CLIENT")
        return sub == "KILL" || sub == "PAUSE" || sub == "UNPAUSE" || sub == "NO-EVICT" ||
               sub == "NO-TOUCH";
    if (command == "SLOWLOG" || command == "LATENCY")
        return sub == "RESET";
    if (command == "MEMORY")
        return sub == "PURGE";
    if (command == "MODULE")
        return sub != "LIST";
    if (command == "ACL") // only the questions; SETUSER, DELUSER, LOAD, SAVE, LOG RESET change
        return sub != "WHOAMI" && sub != "LIST" && sub != "USERS" && sub != "CAT" &&
               sub != "GETUSER";
    if (command == "XINFO" || command == "COMMAND" || command == "OBJECT" || command == "PUBSUB")
        return false;
    return false;
}

} // namespace

bool isReadOnlyCommand(const RedisCommand &command)
{
    if (command.isEmpty())
        return true;
    const QByteArray name = command.first().toUpper();
    if (!readCommands().contains(name))
        return false;
    const QByteArray sub = command.size() > 1 ? command.at(1).toUpper() : QByteArray();
    return !isWritingSubcommand(name, sub);
}

} // namespace qs::redis
