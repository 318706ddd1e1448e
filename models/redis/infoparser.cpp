#include "redis/infosnapshot.h"

#include <QVarLengthArray>

#include <charconv>
#include <cmath>
#include <cstring>

// INFO is parsed on every poll (about once a second per server), so this file avoids regexes,
// QString::split and temporary lists: it walks the bytes once with memchr and converts only
// keys and values to QString. Anything it does not understand is kept as text and skipped by
// the typed parsers, because Valkey, KeyDB and new Redis releases keep adding fields.

namespace qs::redis {

namespace {

// Strict: the whole view must be a number ("12" yes; "12abc", "1.5", "" no).
template <typename T> bool toNumber(QByteArrayView text, T &out)
{
    const char *begin = text.data();
    const char *end = begin + text.size();
    if (begin == end)
        return false;
    std::from_chars_result result;
    if constexpr (std::is_floating_point_v<T>)
        result = std::from_chars(begin, end, out, std::chars_format::general);
    else
        result = std::from_chars(begin, end, out);
    if (result.ec != std::errc() || result.ptr != end)
        return false;
    if constexpr (std::is_floating_point_v<T>)
        return std::isfinite(out);
    return true;
}

// Calls f(name, value) for each "name=value" in "a=1,b=2"; pieces without '=' are skipped,
// so a truncated tail ("a=1,b") still yields "a".
template <typename F> void forEachPair(QByteArrayView list, F &&f)
{
    while (!list.isEmpty()) {
        const char *comma = static_cast<const char *>(std::memchr(list.data(), ',', list.size()));
        const qsizetype length = comma ? comma - list.data() : list.size();
        const QByteArrayView pair = list.first(length);
        list = comma ? list.sliced(length + 1) : QByteArrayView();
        const qsizetype eq = pair.indexOf('=');
        if (eq > 0)
            f(pair.first(eq), pair.sliced(eq + 1));
    }
}

// "db12" with prefix "db" gives 12; false when the rest is not all digits ("dbfilename").
bool indexAfterPrefix(QByteArrayView key, QByteArrayView prefix, int &index)
{
    return key.size() > prefix.size() && key.startsWith(prefix) &&
           toNumber(key.sliced(prefix.size()), index) && index >= 0;
}

QString toText(QByteArrayView bytes)
{
    // fromUtf8 keeps a non-ASCII executable or config path readable.
    return QString::fromUtf8(bytes);
}

bool isAscii(QByteArrayView text)
{
    unsigned char any = 0;
    for (const char c : text)
        any |= static_cast<unsigned char>(c);
    return any < 0x80;
}

// Converting ~200 keys and values to QString is most of the parse: one allocation and one
// UTF-8 decode each. But a server prints the same keys every poll, and most values (versions,
// paths, ids, settings and the many zero counters) do not change between polls. So each thread
// remembers, per key, the QString of the key and of the value it last saw, and hands out shared
// copies (a reference count, no allocation) when the bytes are the same again. Values are
// compared, never trusted: polling several servers from one thread only costs cache misses.
class TextCache
{
public:
    struct Entry
    {
        QString key;
        QString lastValue;
    };

    Entry &entry(QByteArrayView key)
    {
        // fromRawData: look up without copying the key out of the reply.
        const auto it = m_entries.find(QByteArray::fromRawData(key.data(), key.size()));
        if (it != m_entries.end())
            return *it;
        // Keys are bounded in practice (a few hundred, plus one per command and error prefix
        // seen); forget everything rather than grow without bound on unusual input.
        if (m_entries.size() >= MaxEntries)
            m_entries.clear();
        return *m_entries.insert(key.toByteArray(), {toText(key), {}});
    }

    // The value as QString, shared with the previous poll's when unchanged. Only for ASCII
    // text, where comparing bytes with the QString's UTF-16 is exact.
    static QString asciiValue(Entry &entry, QByteArrayView value)
    {
        if (entry.lastValue.size() == value.size() &&
            QLatin1StringView(value.data(), value.size()) == entry.lastValue)
            return entry.lastValue;
        entry.lastValue = QString::fromLatin1(value);
        return entry.lastValue;
    }

private:
    static constexpr qsizetype MaxEntries = 4096;
    QHash<QByteArray, Entry> m_entries;
};

TextCache &textCache()
{
    thread_local TextCache cache;
    return cache;
}

void parseKeyspace(InfoSnapshot &info, int db, QByteArrayView value)
{
    KeyspaceEntry entry;
    entry.db = db;
    bool any = false;
    // Unknown names (subexpiry in Redis 7.4, anything a fork adds) are ignored here; the raw
    // value stays in InfoSnapshot::fields.
    forEachPair(value, [&](QByteArrayView name, QByteArrayView number) {
        if (name == "keys")
            any |= toNumber(number, entry.keys);
        else if (name == "expires")
            any |= toNumber(number, entry.expires);
        else if (name == "avg_ttl")
            any |= toNumber(number, entry.avgTtlMs);
    });
    if (any)
        info.keyspace.append(entry);
}

void parseCommandStat(InfoSnapshot &info, QByteArrayView command, QByteArrayView value)
{
    CommandStat stat;
    bool any = false;
    // Redis 5 has only calls/usec/usec_per_call; rejected/failed (6.2+) then stay 0.
    forEachPair(value, [&](QByteArrayView name, QByteArrayView number) {
        if (name == "calls")
            any |= toNumber(number, stat.calls);
        else if (name == "usec")
            any |= toNumber(number, stat.usec);
        else if (name == "usec_per_call")
            any |= toNumber(number, stat.usecPerCall);
        else if (name == "rejected_calls")
            any |= toNumber(number, stat.rejectedCalls);
        else if (name == "failed_calls")
            any |= toNumber(number, stat.failedCalls);
    });
    if (!any || command.isEmpty())
        return;
    stat.command = toText(command).toLower();
    info.commandStats.append(stat);
}

void parseErrorStat(InfoSnapshot &info, QByteArrayView prefix, QByteArrayView value)
{
    ErrorStat stat;
    bool any = false;
    forEachPair(value, [&](QByteArrayView name, QByteArrayView number) {
        if (name == "count")
            any |= toNumber(number, stat.count);
    });
    if (!any || prefix.isEmpty())
        return;
    stat.prefix = toText(prefix);
    info.errorStats.append(stat);
}

void parseReplica(InfoSnapshot &info, int index, QByteArrayView value)
{
    ReplicaEntry replica;
    replica.index = index;
    bool any = false;
    forEachPair(value, [&](QByteArrayView name, QByteArrayView field) {
        if (name == "ip") {
            replica.ip = toText(field); // IPv6 ("::1") is fine: the line was split at its first ':'
            any = true;
        } else if (name == "port") {
            any |= toNumber(field, replica.port);
        } else if (name == "state") {
            replica.state = toText(field);
            any = true;
        } else if (name == "offset") {
            any |= toNumber(field, replica.offset);
        } else if (name == "lag") {
            any |= toNumber(field, replica.lagSeconds);
        }
    });
    if (any)
        info.replicas.append(replica);
}

// Recognises the structured lines by their key, whatever section they are in, so that a reply
// to "INFO keyspace" alone or a fork that moves sections around still parses.
void parseStructured(InfoSnapshot &info, QByteArrayView key, QByteArrayView value)
{
    int index = 0;
    switch (key.front()) {
    case 'c':
        if (key.startsWith("cmdstat_"))
            parseCommandStat(info, key.sliced(8), value);
        break;
    case 'd':
        if (indexAfterPrefix(key, "db", index))
            parseKeyspace(info, index, value);
        break;
    case 'e':
        if (key.startsWith("errorstat_"))
            parseErrorStat(info, key.sliced(10), value);
        break;
    case 'r':
        // Valkey may one day rename slaveN; accept both spellings.
        if (indexAfterPrefix(key, "replica", index))
            parseReplica(info, index, value);
        break;
    case 's':
        // Only "slave<digits>": slave_repl_offset, slave_priority... are plain fields.
        if (indexAfterPrefix(key, "slave", index))
            parseReplica(info, index, value);
        break;
    default:
        break;
    }
}

QByteArrayView stripTrailingBlanks(QByteArrayView line)
{
    // '\r' of CRLF, and stray blanks; a value never ends in meaningful whitespace.
    while (!line.isEmpty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.chop(1);
    return line;
}

} // namespace

InfoSnapshot parseInfo(QByteArrayView text)
{
    InfoSnapshot info;
    if (text.isEmpty())
        return info;
    // A Redis 7 reply to the poll request has ~200 fields; one reservation avoids rehashing.
    info.fields.reserve(256);
    TextCache &cache = textCache();
    const bool ascii = isAscii(text);

    const char *cursor = text.data();
    const char *const end = cursor + text.size();
    while (cursor < end) {
        const char *newline = static_cast<const char *>(std::memchr(cursor, '\n', end - cursor));
        const char *lineEnd = newline ? newline : end;
        QByteArrayView line = stripTrailingBlanks(QByteArrayView(cursor, lineEnd - cursor));
        cursor = newline ? newline + 1 : end;

        while (!line.isEmpty() && (line.front() == ' ' || line.front() == '\t'))
            line = line.sliced(1);
        if (line.isEmpty())
            continue;
        if (line.front() == '#') {
            info.sections.append({toText(line.sliced(1).trimmed()), {}});
            continue;
        }
        const char *colon = static_cast<const char *>(std::memchr(line.data(), ':', line.size()));
        if (!colon || colon == line.data())
            continue; // not "key:value": ignored, as Redis clients do
        const QByteArrayView key(line.data(), colon - line.data());
        const QByteArrayView value(colon + 1, line.end() - (colon + 1)); // may contain ':'

        if (info.sections.isEmpty())
            info.sections.append({QString(), {}}); // fields before any "# Section" header
        TextCache::Entry &cached = cache.entry(key);
        InfoField field{cached.key, ascii ? TextCache::asciiValue(cached, value) : toText(value)};
        info.fields.insert(field.key, field.value); // implicitly shared: no copy of the text
        info.sections.last().fields.append(std::move(field));
        parseStructured(info, key, value);
    }
    return info;
}

std::optional<qint64> InfoSnapshot::integer(const QString &key) const
{
    const auto it = fields.constFind(key);
    if (it == fields.cend())
        return std::nullopt;
    // Digits are ASCII: narrow to bytes on the stack and reuse the strict byte parser.
    QVarLengthArray<char, 32> bytes;
    for (const QChar c : *it) {
        if (c.unicode() > 0x7f)
            return std::nullopt;
        bytes.append(char(c.unicode()));
    }
    qint64 value = 0;
    if (!toNumber(QByteArrayView(bytes.constData(), bytes.size()), value))
        return std::nullopt;
    return value;
}

std::optional<double> InfoSnapshot::real(const QString &key) const
{
    const auto it = fields.constFind(key);
    if (it == fields.cend())
        return std::nullopt;
    QVarLengthArray<char, 32> bytes;
    for (const QChar c : *it) {
        if (c.unicode() > 0x7f)
            return std::nullopt;
        bytes.append(char(c.unicode()));
    }
    QByteArrayView number(bytes.constData(), bytes.size());
    // used_memory_peak_perc:99.98% and friends: the number as printed, without the sign.
    if (number.endsWith('%'))
        number.chop(1);
    double value = 0;
    if (!toNumber(number, value))
        return std::nullopt;
    return value;
}

} // namespace qs::redis
