#include "redis/infosnapshot.h"

#include <QVarLengthArray>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define QS_VEX_INSERT 1
#endif

#include <charconv>
#include <cmath>
#include <cstring>

// INFO is parsed on every poll (about once a second per server), so this file avoids regexes,
// QString::split and temporary lists: it walks the reply with memchr, converts only keys and
// values to QString, and reuses the strings of the previous reply where they did not change.
// Anything it does not understand is kept as text and skipped by the typed parsers, because
// Valkey, KeyDB and new Redis releases keep adding fields.

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

QString toText(QByteArrayView bytes, bool ascii)
{
    return ascii ? QString::fromLatin1(bytes) : QString::fromUtf8(bytes);
}

// Narrows an ASCII QString to bytes on the stack for the strict byte parsers.
bool toAscii(const QString &text, QVarLengthArray<char, 32> &bytes)
{
    for (const QChar c : text) {
        if (c.unicode() > 0x7f)
            return false;
        bytes.append(char(c.unicode()));
    }
    return true;
}

bool isAscii(QByteArrayView text)
{
    // Eight bytes at a time: this runs over the whole reply on every poll.
    const char *p = text.data();
    const char *const end = p + text.size();
    quint64 any = 0;
    for (; end - p >= 8; p += 8) {
        quint64 word;
        std::memcpy(&word, p, sizeof word);
        any |= word;
    }
    for (; p < end; ++p)
        any |= static_cast<unsigned char>(*p);
    return (any & 0x8080808080808080ULL) == 0;
}

// Lines up to the next "# Section" header, to size the section's field list once.
qsizetype linesInSection(const char *begin, const char *end)
{
    qsizetype lines = 1;
    for (const char *p = begin; p < end; ++lines) {
        p = static_cast<const char *>(std::memchr(p, '\n', end - p));
        if (!p || ++p == end || *p == '#')
            break;
    }
    return lines;
}

// Converting ~200 keys and values to QString is most of the parse: an allocation and a decode
// each. But a server prints the same keys in the same order every poll, and many values
// (versions, paths, ids, settings, the zero counters) do not change between polls. So each thread
// remembers the key and value strings of the previous reply by line position, and hands out
// shared copies (a reference count, no allocation) when the bytes are the same again. Both are
// compared, never trusted: a different server or version only costs a conversion.
class TextCache
{
public:
    struct Entry
    {
        QString key;
        QString value;
    };

    const Entry &at(qsizetype index, QByteArrayView key, QByteArrayView value, bool ascii)
    {
        if (index >= MaxEntries) {
            m_scratch = {toText(key, ascii), toText(value, ascii)};
            return m_scratch;
        }
        if (index >= m_entries.size())
            m_entries.resize(index + 1);
        Entry &entry = m_entries[index];
        if (!sameText(entry.key, key, ascii))
            entry.key = toText(key, ascii);
        if (!sameText(entry.value, value, ascii))
            entry.value = toText(value, ascii);
        return entry;
    }

private:
    // Comparing bytes with the QString's UTF-16 is exact only for ASCII; otherwise convert.
    static bool sameText(const QString &text, QByteArrayView bytes, bool ascii)
    {
        return ascii && text.size() == bytes.size() &&
               QLatin1StringView(bytes.data(), bytes.size()) == text;
    }

    // Replies have ~200 lines (INFO everything with many commands: a few hundred more);
    // beyond this, lines are converted without caching.
    static constexpr qsizetype MaxEntries = 2048;
    QList<Entry> m_entries;
    Entry m_scratch;
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

// Qt 6.4's qHash(QString) runs 256-bit AES instructions on CPUs with VAES and returns without
// vzeroupper, leaving the upper halves of the YMM registers dirty. The next legacy-SSE
// instruction, in the QHash code inlined right after the hash, then pays an SSE/AVX transition:
// on the VM we build and measure on, ~180 ns per insert, half of the whole parse. Compiling the
// insertion for AVX2 (VEX-encoded, flattened so QHash's internals are compiled with it) and
// clearing the state afterwards removes that cost; CPUs without AVX2 take the plain path.
#ifdef QS_VEX_INSERT
[[gnu::target("avx2"), gnu::flatten]] void insertVex(QHash<QString, QString> &fields,
                                                     const QString &key, const QString &value)
{
    fields.insert(key, value);
    _mm256_zeroupper();
}

bool canInsertVex()
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
}
#else
bool canInsertVex()
{
    return false;
}
#endif

void insertField(QHash<QString, QString> &fields, const QString &key, const QString &value,
                 [[maybe_unused]] bool vex)
{
#ifdef QS_VEX_INSERT
    if (vex) {
        insertVex(fields, key, value);
        return;
    }
#endif
    fields.insert(key, value);
}

QByteArrayView stripTrailingBlanks(QByteArrayView line)
{
    // '\r' of CRLF, and stray blanks; a value never ends in meaningful whitespace.
    while (!line.isEmpty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.chop(1);
    return line;
}

// No real INFO field comes near these (the longest, paths and module lists, take a few hundred
// bytes; INFO ALL has ~400 fields): past them a reply is hostile or broken, and is kept in part
// so that it can neither print a 200 MB version string nor fill memory with fields.
constexpr qsizetype maxValueBytes = 1024;
constexpr qsizetype maxFields = 20'000;

// A key or value over maxValueBytes: both cut there, a cut value says how long it was.
InfoField truncatedField(QByteArrayView key, QByteArrayView value)
{
    InfoField field{toText(key.first(qMin(key.size(), maxValueBytes))),
                    toText(value.first(qMin(value.size(), maxValueBytes)))};
    if (value.size() > maxValueBytes)
        field.value += QStringLiteral("… (truncated, %1 bytes)").arg(value.size());
    return field;
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
    const bool vex = canInsertVex();
    qsizetype fieldIndex = 0;

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
            if (info.sections.size() >= maxFields)
                break;
            const QByteArrayView name = line.sliced(1).trimmed();
            info.sections.append({toText(name.first(qMin(name.size(), maxValueBytes))), {}});
            info.sections.last().fields.reserve(qMin(linesInSection(cursor, end), maxFields));
            continue;
        }
        const char *colon = static_cast<const char *>(std::memchr(line.data(), ':', line.size()));
        if (!colon || colon == line.data())
            continue; // not "key:value": ignored, as Redis clients do
        const QByteArrayView key(line.data(), colon - line.data());
        const QByteArrayView value(colon + 1, line.end() - (colon + 1)); // may contain ':'

        if (info.sections.isEmpty())
            info.sections.append({QString(), {}}); // fields before any "# Section" header
        if (fieldIndex >= maxFields)
            break;
        if (key.size() > maxValueBytes || value.size() > maxValueBytes) {
            ++fieldIndex;
            InfoField field = truncatedField(key, value);
            insertField(info.fields, field.key, field.value, vex);
            info.sections.last().fields.append(std::move(field));
            continue;
        }
        const TextCache::Entry &cached = cache.at(fieldIndex++, key, value, ascii);
        InfoField field{cached.key, cached.value};
        insertField(info.fields, field.key, field.value, vex); // shared: no copy of the text
        info.sections.last().fields.append(std::move(field));
        parseStructured(info, key, value);
    }
    return info;
}

std::optional<qint64> InfoSnapshot::integer(const QString &key) const
{
    const auto it = fields.constFind(key);
    QVarLengthArray<char, 32> bytes;
    qint64 value = 0;
    if (it == fields.cend() || !toAscii(*it, bytes) ||
        !toNumber(QByteArrayView(bytes.constData(), bytes.size()), value))
        return std::nullopt;
    return value;
}

std::optional<double> InfoSnapshot::real(const QString &key) const
{
    const auto it = fields.constFind(key);
    QVarLengthArray<char, 32> bytes;
    if (it == fields.cend() || !toAscii(*it, bytes))
        return std::nullopt;
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
