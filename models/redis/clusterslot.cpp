#include "clusterslot.h"

#include <QSet>

#include <array>

namespace qs::redis {

namespace {

// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as in the Redis Cluster spec.
constexpr std::array<quint16, 256> makeCrcTable()
{
    std::array<quint16, 256> table{};
    for (int byte = 0; byte < 256; ++byte) {
        quint16 crc = quint16(byte << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
        table[size_t(byte)] = crc;
    }
    return table;
}

constexpr std::array<quint16, 256> kCrcTable = makeCrcTable();

quint16 crc16(QByteArrayView data)
{
    quint16 crc = 0;
    for (const char c : data)
        crc = quint16((crc << 8) ^ kCrcTable[size_t(((crc >> 8) ^ quint8(c)) & 0xff)]);
    return crc;
}

const QSet<QByteArray> &keylessCommands()
{
    static const QSet<QByteArray> names = {
        "INFO",       "PING",         "ECHO",     "SCAN",     "CLIENT",       "SLOWLOG",
        "CONFIG",     "DBSIZE",       "TIME",     "SCRIPT",   "CLUSTER",      "PUBLISH",
        "PSUBSCRIBE", "SUBSCRIBE",    "COMMAND",  "ACL",      "AUTH",         "SELECT",
        "HELLO",      "ROLE",         "LASTSAVE", "READONLY", "READWRITE",    "ASKING",
        "MULTI",      "EXEC",         "DISCARD",  "FLUSHDB",  "FLUSHALL",     "RANDOMKEY",
        "KEYS",       "FUNCTION",     "LATENCY",  "PUBSUB",   "QUIT",         "LOLWUT",
        "MODULE",     "WAIT",         "SPUBLISH", "UNWATCH",  "SWAPDB",       "SAVE",
        "BGSAVE",     "BGREWRITEAOF", "SHUTDOWN", "MONITOR",  "SYNC",         "PSYNC",
        "REPLICAOF",  "SLAVEOF",      "FAILOVER", "RESET",    "PUNSUBSCRIBE", "UNSUBSCRIBE",
    };
    return names;
}

const QSet<QByteArray> &everyArgumentCommands()
{
    static const QSet<QByteArray> names = {
        "MGET",        "DEL",    "UNLINK",   "EXISTS",     "TOUCH",   "WATCH",      "SINTER",
        "SUNION",      "SDIFF",  "PFCOUNT",  "SINTERCARD", "PFMERGE", "SDIFFSTORE", "SINTERSTORE",
        "SUNIONSTORE", "RENAME", "RENAMENX", "RPOPLPUSH",  "SMOVE",   "LMOVE",      "COPY"};
    return names;
}

} // namespace

int keyHashSlot(QByteArrayView key)
{
    const qsizetype open = key.indexOf('{');
    if (open >= 0) {
        const qsizetype close = key.indexOf('}', open + 1);
        if (close > open + 1)
            key = key.sliced(open + 1, close - open - 1);
    }
    return crc16(key) & (kClusterSlots - 1);
}

QList<QByteArray> commandKeys(const RedisCommand &command)
{
    if (command.isEmpty())
        return {};
    const QByteArray name = command.first().toUpper();
    if (keylessCommands().contains(name))
        return {};
    if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO" ||
        name == "FCALL" || name == "FCALL_RO") {
        const qsizetype numKeys = command.value(2).toLongLong();
        return command.mid(3, qBound<qsizetype>(0, numKeys, command.size() - 3));
    }
    if (name == "MEMORY" || name == "OBJECT" || name == "XINFO" || name == "DEBUG")
        return command.size() > 2 ? QList<QByteArray>{command.at(2)} : QList<QByteArray>{};
    if (everyArgumentCommands().contains(name))
        return command.mid(1);
    if (name == "MSET" || name == "MSETNX") {
        QList<QByteArray> keys;
        for (qsizetype i = 1; i < command.size(); i += 2)
            keys.append(command.at(i));
        return keys;
    }
    if (name == "BLPOP" || name == "BRPOP" || name == "BZPOPMIN" || name == "BZPOPMAX")
        return command.mid(1, qMax<qsizetype>(0, command.size() - 2));
    return command.size() > 1 ? QList<QByteArray>{command.at(1)} : QList<QByteArray>{};
}

int keysSlot(const QList<QByteArray> &keys)
{
    int slot = kNoSlot;
    for (const QByteArray &key : keys) {
        const int keySlot = keyHashSlot(key);
        if (slot == kNoSlot)
            slot = keySlot;
        else if (slot != keySlot)
            return kCrossSlot;
    }
    return slot;
}

int commandSlot(const RedisCommand &command)
{
    return keysSlot(commandKeys(command));
}

} // namespace qs::redis
