// InfoParser on arbitrary INFO text. Its fast path (memchr line walk, a per-thread cache that
// hands out the previous reply's strings when the bytes repeat, an AVX2 hash insert) is checked
// against a plain reading of the same text: sections, fields and the last value of each key must
// be what a simple line-by-line parse sees, whatever was parsed before on this thread. The typed
// readers (integer, real, keyspace, commandstats) must agree with the text they came from.
#include "fuzzcheck.h"
#include "redis/infosnapshot.h"

#include <QHash>
#include <QList>

#include <cmath>

using qs::fuzz::preview;
using qs::redis::InfoSnapshot;

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// What the INFO text says, read the slow and obvious way, with the parser's bounds against
// hostile replies: keys, values and section names cut at 1 KB (a cut value says its length),
// at most 20,000 fields and 20,000 sections.
InfoSnapshot readPlainly(const QByteArray &text)
{
    constexpr qsizetype maxValue = 1024;
    constexpr qsizetype maxFields = 20'000;
    qsizetype fieldCount = 0;
    InfoSnapshot info;
    for (QByteArray line : text.split('\n')) {
        while (!line.isEmpty() && (line.back() == '\r' || isBlank(line.back())))
            line.chop(1);
        while (!line.isEmpty() && isBlank(line.front()))
            line.remove(0, 1);
        if (line.isEmpty())
            continue;
        if (line.front() == '#') {
            if (info.sections.size() >= maxFields)
                break;
            info.sections.append({QString::fromUtf8(line.mid(1).trimmed().left(maxValue)), {}});
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        if (info.sections.isEmpty())
            info.sections.append(qs::redis::InfoSection{});
        if (fieldCount++ >= maxFields)
            break;
        const QByteArray value = line.mid(colon + 1);
        qs::redis::InfoField field{QString::fromUtf8(line.left(colon).left(maxValue)),
                                   QString::fromUtf8(value.left(maxValue))};
        if (value.size() > maxValue)
            field.value += QStringLiteral("… (truncated, %1 bytes)").arg(value.size());
        info.fields.insert(field.key, field.value);
        info.sections.last().fields.append(field);
    }
    return info;
}

void compareWithPlainReading(const InfoSnapshot &parsed, const QByteArray &text)
{
    const InfoSnapshot plain = readPlainly(text);
    FUZZ_CHECK(parsed.fields == plain.fields,
               QStringLiteral("fields differ from a plain reading of %1").arg(preview(text)));
    FUZZ_CHECK(parsed.sections.size() == plain.sections.size(),
               QStringLiteral("%1 sections, expected %2 in %3")
                   .arg(parsed.sections.size())
                   .arg(plain.sections.size())
                   .arg(preview(text)));
    for (qsizetype s = 0; s < plain.sections.size(); ++s) {
        const auto &a = parsed.sections.at(s);
        const auto &b = plain.sections.at(s);
        FUZZ_CHECK(a.name == b.name && a.fields.size() == b.fields.size(),
                   QStringLiteral("section %1 differs in %2").arg(s).arg(preview(text)));
        for (qsizetype f = 0; f < b.fields.size(); ++f)
            FUZZ_CHECK(a.fields.at(f).key == b.fields.at(f).key &&
                           a.fields.at(f).value == b.fields.at(f).value,
                       QStringLiteral("field %1 of section %2 is '%3:%4', expected '%5:%6'")
                           .arg(f)
                           .arg(s)
                           .arg(a.fields.at(f).key, a.fields.at(f).value, b.fields.at(f).key,
                                b.fields.at(f).value));
    }
}

// The strict number readers accept exactly [-]digits (integers) and finite decimals.
void checkTypedReaders(const InfoSnapshot &info)
{
    for (auto it = info.fields.cbegin(); it != info.fields.cend(); ++it) {
        if (const std::optional<qint64> n = info.integer(it.key())) {
            bool ok = false;
            const qint64 expected = it.value().toLongLong(&ok);
            FUZZ_CHECK(
                ok && expected == *n,
                QStringLiteral("integer(%1) = %2 from '%3'").arg(it.key()).arg(*n).arg(it.value()));
        }
        if (const std::optional<double> x = info.real(it.key()))
            FUZZ_CHECK(std::isfinite(*x), QStringLiteral("real(%1) is not finite").arg(it.key()));
    }
    for (const auto &db : info.keyspace)
        FUZZ_CHECK(db.db >= 0, QStringLiteral("keyspace db %1").arg(db.db));
    for (const auto &stat : info.commandStats)
        FUZZ_CHECK(!stat.command.isEmpty() && std::isfinite(stat.usec) &&
                       std::isfinite(stat.usecPerCall),
                   QStringLiteral("commandstat '%1'").arg(stat.command));
    for (const auto &replica : info.replicas)
        FUZZ_CHECK(replica.index >= 0, QStringLiteral("replica index %1").arg(replica.index));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text = qs::fuzz::bytesOf(data, size);
    const InfoSnapshot first = qs::redis::parseInfo(text);
    compareWithPlainReading(first, text);
    checkTypedReaders(first);

    // Parsed again after the same text with one byte changed: the per-thread cache now holds
    // near-identical strings at the same line positions, and must still give the same answer.
    if (!text.isEmpty()) {
        QByteArray changed = text;
        changed[changed.size() / 2] = char(changed.at(changed.size() / 2) ^ 1);
        qs::redis::parseInfo(changed);
    }
    const InfoSnapshot second = qs::redis::parseInfo(text);
    FUZZ_CHECK(second.fields == first.fields && second.sections.size() == first.sections.size(),
               QStringLiteral("a second parse differs: %1").arg(preview(text)));
    return 0;
}
