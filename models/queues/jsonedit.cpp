#include "jsonedit.h"

namespace qs::jobs::jsonedit {

namespace {

struct Span
{
    qsizetype keyStart = -1; // the opening quote of the key
    qsizetype valueStart = -1;
    qsizetype valueEnd = -1; // one past the value
    qsizetype close = -1;    // the object's closing brace
};

qsizetype skipSpace(const QByteArray &s, qsizetype i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        ++i;
    return i;
}

// One past the end of the string starting at the quote at i; -1 when unterminated.
qsizetype stringEnd(const QByteArray &s, qsizetype i)
{
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return i + 1;
    }
    return -1;
}

// One past the end of the value starting at i (any JSON value); -1 when malformed.
qsizetype valueEnd(const QByteArray &s, qsizetype i)
{
    if (i >= s.size())
        return -1;
    if (s[i] == '"')
        return stringEnd(s, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '"') {
                i = stringEnd(s, i);
                if (i < 0)
                    return -1;
                --i;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return -1;
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
           s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
        ++i;
    return i;
}

// The object ends at s[i] ('}'): only blanks may follow (else an edit would land in them).
bool closesObject(const QByteArray &s, qsizetype i, Span *found)
{
    found->close = i;
    return skipSpace(s, i + 1) == s.size();
}

// Finds the top-level member `key`; ok = false when the text is not a well-formed object.
Span find(const QByteArray &s, const QByteArray &key, bool *ok)
{
    *ok = false;
    qsizetype i = skipSpace(s, 0);
    if (i >= s.size() || s[i] != '{')
        return {};
    i = skipSpace(s, i + 1);
    Span found;
    if (i < s.size() && s[i] == '}') {
        *ok = closesObject(s, i, &found);
        return found;
    }
    while (i < s.size()) {
        if (s[i] != '"')
            return {};
        const qsizetype keyEnd = stringEnd(s, i);
        if (keyEnd < 0)
            return {};
        const QByteArray name = s.mid(i + 1, keyEnd - i - 2);
        qsizetype colon = skipSpace(s, keyEnd);
        if (colon >= s.size() || s[colon] != ':')
            return {};
        const qsizetype start = skipSpace(s, colon + 1);
        const qsizetype end = valueEnd(s, start);
        if (end < 0)
            return {};
        if (name == key && found.keyStart < 0)
            found = {i, start, end};
        i = skipSpace(s, end);
        if (i < s.size() && s[i] == ',') {
            i = skipSpace(s, i + 1);
            continue;
        }
        if (i < s.size() && s[i] == '}') {
            *ok = closesObject(s, i, &found);
            return found;
        }
        return {};
    }
    return {};
}

} // namespace

std::optional<QByteArray> topLevelValue(const QByteArray &json, const QByteArray &key)
{
    bool ok = false;
    const Span span = find(json, key, &ok);
    if (!ok || span.keyStart < 0)
        return std::nullopt;
    return json.mid(span.valueStart, span.valueEnd - span.valueStart);
}

std::optional<QByteArray> setTopLevelValue(const QByteArray &json, const QByteArray &key,
                                           const QByteArray &rawValue)
{
    bool ok = false;
    const Span span = find(json, key, &ok);
    if (!ok)
        return std::nullopt;
    QByteArray out = json;
    if (span.keyStart >= 0)
        return out.replace(span.valueStart, span.valueEnd - span.valueStart, rawValue);
    const qsizetype close = span.close;
    const bool empty = skipSpace(out, out.indexOf('{') + 1) == close;
    out.insert(close,
               (empty ? QByteArray() : QByteArrayLiteral(",")) + '"' + key + "\":" + rawValue);
    return out;
}

} // namespace qs::jobs::jsonedit
