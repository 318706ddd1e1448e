#include "clusterslot.h"

#include <QHash>

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

// Where a command's keys are, by its name; every other command has its key first.
enum class KeyRule {
    None,          // server commands: INFO, SCAN, CLIENT, ...
    NumKeys,       // EVAL, EVALSHA, FCALL: numkeys, then the keys
    ThirdWord,     // MEMORY USAGE <key>, OBJECT, XINFO, DEBUG
    EveryArgument, // MGET, DEL, EXISTS, ...
    Pairs,         // MSET key value key value
    AllButLast,    // BLPOP key... timeout
};

// One lookup per command (the router asks this of every command of every poll).
const QHash<QByteArray, KeyRule> &keyRules()
{
    static const QHash<QByteArray, KeyRule> rules = [] {
        QHash<QByteArray, KeyRule> map;
        for (const char *name :
             {"INFO",       "PING",         "ECHO",     "SCAN",     "CLIENT",       "SLOWLOG",
              "CONFIG",     "DBSIZE",       "TIME",     "SCRIPT",   "CLUSTER",      "PUBLISH",
              "PSUBSCRIBE", "SUBSCRIBE",    "COMMAND",  "ACL",      "AUTH",         "SELECT",
              "HELLO",      "ROLE",         "LASTSAVE", "READONLY", "READWRITE",    "ASKING",
              "MULTI",      "EXEC",         "DISCARD",  "FLUSHDB",  "FLUSHALL",     "RANDOMKEY",
              "KEYS",       "FUNCTION",     "LATENCY",  "PUBSUB",   "QUIT",         "LOLWUT",
              "MODULE",     "WAIT",         "SPUBLISH", "UNWATCH",  "SWAPDB",       "SAVE",
              "BGSAVE",     "BGREWRITEAOF", "SHUTDOWN", "MONITOR",  "SYNC",         "PSYNC",
              "REPLICAOF",  "SLAVEOF",      "FAILOVER", "RESET",    "PUNSUBSCRIBE", "UNSUBSCRIBE"})
            map.insert(name, KeyRule::None);
        for (const char *name : {"EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"})
            map.insert(name, KeyRule::NumKeys);
        for (const char *name : {"MEMORY", "OBJECT", "XINFO", "DEBUG"})
            map.insert(name, KeyRule::ThirdWord);
        for (const char *name :
             {"MGET",       "DEL",         "UNLINK",      "EXISTS",  "TOUCH",      "WATCH",
              "SINTER",     "SUNION",      "SDIFF",       "PFCOUNT", "SINTERCARD", "PFMERGE",
              "SDIFFSTORE", "SINTERSTORE", "SUNIONSTORE", "RENAME",  "RENAMENX",   "RPOPLPUSH",
              "SMOVE",      "LMOVE",       "COPY"})
            map.insert(name, KeyRule::EveryArgument);
        for (const char *name : {"MSET", "MSETNX"})
            map.insert(name, KeyRule::Pairs);
        for (const char *name : {"BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX"})
            map.insert(name, KeyRule::AllButLast);
        return map;
    }();
    return rules;
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

namespace {

// Where a command's keys are: arguments first, first + step, ... before end.
struct KeyPositions
{
    qsizetype first = 0;
    qsizetype end = 0;
    qsizetype step = 1;
};

// Found without allocating: the router asks this of every command of every poll.
KeyPositions keyPositions(const RedisCommand &command)
{
    const qsizetype size = command.size();
    if (size == 0)
        return {};
    char upper[32];
    const QByteArray &raw = command.first();
    if (raw.size() > qsizetype(sizeof upper)) // no command has such a name: its first argument
        return {1, qMin<qsizetype>(size, 2)};
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        upper[i] = c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
    }
    const auto rule = keyRules().constFind(QByteArray::fromRawData(upper, raw.size()));
    if (rule == keyRules().cend())
        return {1, qMin<qsizetype>(size, 2)};
    switch (*rule) {
    case KeyRule::None:
        return {};
    case KeyRule::NumKeys: {
        const qsizetype numKeys = size > 2 ? command.at(2).toLongLong() : 0;
        return {3, 3 + qBound<qsizetype>(0, numKeys, qMax<qsizetype>(0, size - 3))};
    }
    case KeyRule::ThirdWord:
        return size > 2 ? KeyPositions{2, 3} : KeyPositions{};
    case KeyRule::EveryArgument:
        return {1, size};
    case KeyRule::Pairs:
        return {1, size, 2};
    case KeyRule::AllButLast:
        return {1, qMax<qsizetype>(1, size - 1)};
    }
    return {1, qMin<qsizetype>(size, 2)};
}

} // namespace

QList<QByteArray> commandKeys(const RedisCommand &command)
{
    const KeyPositions at = keyPositions(command);
    QList<QByteArray> keys;
    for (qsizetype i = at.first; i < at.end; i += at.step)
        keys.append(command.at(i));
    return keys;
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
    const KeyPositions at = keyPositions(command);
    int slot = kNoSlot;
    for (qsizetype i = at.first; i < at.end; i += at.step) {
        const int keySlot = keyHashSlot(command.at(i));
        if (slot == kNoSlot)
            slot = keySlot;
        else if (slot != keySlot)
            return kCrossSlot;
    }
    return slot;
}

} // namespace qs::redis
