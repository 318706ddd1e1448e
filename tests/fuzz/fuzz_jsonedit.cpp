// The in-place JSON editor that retries, moves and re-enqueues jobs by rewriting one member of a
// stored payload. Input: a member name line, a raw value line, then the JSON text. Properties:
// setTopLevelValue changes only the bytes of that member's value (or only adds the member
// before the closing brace), the new value reads back, and on text that is a JSON object (as
// QJsonDocument reads it) every member it finds has the value QJsonDocument sees, and an edit
// with a valid JSON value leaves a valid object with every other member unchanged.
#include "fuzzcheck.h"
#include "queues/jsonedit.h"
#include "queues/jsonsyntax.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using qs::fuzz::preview;
namespace jsonedit = qs::jobs::jsonedit;

namespace {

// The JSON value `raw` stands for, when it is exactly one JSON value.
std::optional<QJsonValue> jsonValue(const QByteArray &raw)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + raw + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().at(0);
}

std::optional<QJsonObject> jsonObject(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// A name that needs no escape, so its raw and decoded forms agree.
bool isPlainName(const QByteArray &name)
{
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\' || c & 0x80)
            return false;
    }
    return true;
}

qsizetype commonPrefix(const QByteArray &a, const QByteArray &b)
{
    qsizetype n = 0;
    while (n < a.size() && n < b.size() && a.at(n) == b.at(n))
        ++n;
    return n;
}

qsizetype commonSuffix(const QByteArray &a, const QByteArray &b)
{
    qsizetype n = 0;
    while (n < a.size() && n < b.size() && a.at(a.size() - 1 - n) == b.at(b.size() - 1 - n))
        ++n;
    return n;
}

void checkEdit(const QByteArray &json, const QByteArray &key, const QByteArray &raw)
{
    const std::optional<QByteArray> before = jsonedit::topLevelValue(json, key);
    const std::optional<QByteArray> edited = jsonedit::setTopLevelValue(json, key, raw);
    if (!edited) {
        FUZZ_CHECK(!before, "a value was read from text the editor refuses");
        return;
    }
    const QByteArray &out = *edited;
    // An existing member: its value's bytes replaced by `raw`. A new one: `"key":raw` inserted,
    // with a comma when the object had members. Either way one contiguous change.
    const qsizetype removed = before ? before->size() : 0;
    const qsizetype added = out.size() - json.size() + removed;
    const qsizetype member = key.size() + 3 + raw.size();
    FUZZ_CHECK(before ? added == raw.size() : (added == member || added == member + 1),
               QStringLiteral("the edit of '%1' in %2 wrote %3 bytes")
                   .arg(preview(key), preview(json))
                   .arg(added));
    const qsizetype unchanged = json.size() - removed;
    const qsizetype prefix = qMin(commonPrefix(json, out), unchanged);
    FUZZ_CHECK(prefix + commonSuffix(json.mid(prefix), out.mid(prefix)) >= unchanged,
               QStringLiteral("bytes outside the value of '%1' changed: %2 -> %3")
                   .arg(preview(key), preview(json), preview(out)));
    // The new value reads back (when it is one JSON value, which the editor trusts callers for).
    if (isPlainName(key) && raw == raw.trimmed() && jsonValue(raw)) {
        const std::optional<QByteArray> after = jsonedit::topLevelValue(out, key);
        FUZZ_CHECK(after && *after == raw,
                   QStringLiteral("'%1' reads back as '%2' after the edit of %3")
                       .arg(preview(raw), preview(after.value_or("(none)")), preview(json)));
    }
}

void compareWithQJson(const QByteArray &json, const QByteArray &key, const QByteArray &raw)
{
    // QJsonDocument also reads text that is not JSON (a bad escape such as "\:" is read as ':'),
    // which stored payloads are not: the comparison holds on JSON as RFC 8259 writes it.
    const std::optional<QJsonObject> object = jsonObject(json);
    if (!object || !qs::jobs::isJsonDocument(json))
        return;
    FUZZ_CHECK(jsonedit::setTopLevelValue(json, "x", "1"),
               QStringLiteral("a JSON object is refused: %1").arg(preview(json)));
    for (auto it = object->begin(); it != object->end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        // Names written with escapes, and names given twice, are outside the editor's contract.
        if (!isPlainName(name) || json.count('"' + name + '"') != 1)
            continue;
        const std::optional<QByteArray> value = jsonedit::topLevelValue(json, name);
        FUZZ_CHECK(value && jsonValue(*value) == it.value(),
                   QStringLiteral("member '%1' reads as '%2' in %3")
                       .arg(it.key(), preview(value.value_or("(none)")), preview(json)));
    }
    const std::optional<QJsonValue> newValue = jsonValue(raw);
    if (!newValue || !isPlainName(key) || json.count('"' + key + '"') > 1)
        return;
    const std::optional<QJsonObject> edited =
        jsonObject(jsonedit::setTopLevelValue(json, key, raw).value_or(QByteArray()));
    FUZZ_CHECK(edited, QStringLiteral("setting '%1' to '%2' broke %3")
                           .arg(QString::fromUtf8(key), preview(raw), preview(json)));
    QJsonObject expected = *object;
    expected.insert(QString::fromUtf8(key), *newValue);
    FUZZ_CHECK(*edited == expected,
               QStringLiteral("setting '%1' to '%2' changed other members of %3")
                   .arg(QString::fromUtf8(key), preview(raw), preview(json)));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = qs::fuzz::bytesOf(data, size);
    const qsizetype first = input.indexOf('\n');
    const qsizetype second = first < 0 ? -1 : input.indexOf('\n', first + 1);
    if (second < 0)
        return 0;
    const QByteArray key = input.left(first);
    const QByteArray raw = input.mid(first + 1, second - first - 1);
    const QByteArray json = input.mid(second + 1);
    checkEdit(json, key, raw);
    compareWithQJson(json, key, raw);
    return 0;
}
