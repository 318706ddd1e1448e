#include "displaytext.h"

#include <algorithm>

namespace qs::core {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void appendByteEscape(QString &out, uchar byte)
{
    out += QLatin1String("\\x");
    out += QLatin1Char(kHex[byte >> 4]);
    out += QLatin1Char(kHex[byte & 0xf]);
}

void appendCodeEscape(QString &out, char32_t code)
{
    out += QLatin1String("\\u");
    for (int shift = 12; shift >= 0; shift -= 4)
        out += QLatin1Char(kHex[(code >> shift) & 0xf]);
}

bool isHidden(char32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
           c == 0x2029 || (c >= 0xd800 && c <= 0xdfff);
}

// Appends one code point as it should be shown. `next` is the following code point (for \r\n).
void appendShown(QString &out, char32_t c, char32_t next, DisplayMode mode)
{
    if (c < 0x20 || c == 0x7f) {
        const bool block = mode == DisplayMode::Block;
        if (block && (c == '\n' || c == '\t'))
            out += QChar(c);
        else if (block && c == '\r' && next == '\n')
            ; // CRLF line ends read as \n; a lone \r (overwrites the line) is escaped
        else
            appendByteEscape(out, uchar(c));
    } else if (c == '\\' && mode == DisplayMode::Identifier) {
        out += QLatin1String("\\\\");
    } else if (isHidden(c)) {
        appendCodeEscape(out, c);
    } else if (c < 0x10000) {
        out += QChar(char16_t(c));
    } else {
        out += QChar(QChar::highSurrogate(c));
        out += QChar(QChar::lowSurrogate(c));
    }
}

bool isPlain(char16_t c, DisplayMode mode)
{
    return c >= 0x20 && c < 0x7f && (c != '\\' || mode != DisplayMode::Identifier);
}

// Length of the valid UTF-8 sequence at p (1-4) and its code point; 0 when invalid.
int decodeUtf8(const uchar *p, const uchar *end, char32_t *code)
{
    const uchar b = *p;
    int length = 0;
    char32_t c = 0, min = 0;
    if (b < 0x80)
        return *code = b, 1;
    if (b >= 0xc2 && b <= 0xdf)
        length = 2, c = b & 0x1f, min = 0x80;
    else if (b >= 0xe0 && b <= 0xef)
        length = 3, c = b & 0x0f, min = 0x800;
    else if (b >= 0xf0 && b <= 0xf4)
        length = 4, c = b & 0x07, min = 0x10000;
    else
        return 0;
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
        return 0;
    *code = c;
    return length;
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

// The value of `digits` hex digits at text[at], or -1.
int hexAt(QStringView text, qsizetype at, int digits)
{
    if (text.size() - at < digits)
        return -1;
    int value = 0;
    for (int i = 0; i < digits; ++i) {
        const int digit = hexValue(text.at(at + i));
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

} // namespace

QString displayText(QStringView text, DisplayMode mode)
{
    if (std::all_of(text.begin(), text.end(),
                    [mode](QChar c) { return isPlain(c.unicode(), mode); }))
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    for (qsizetype i = 0; i < text.size();) {
        char32_t c = text.at(i).unicode();
        qsizetype length = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            length = 2;
        }
        const char32_t next = i + length < text.size() ? text.at(i + length).unicode() : 0;
        appendShown(out, c, next, mode);
        i += length;
    }
    return out;
}

QString displayBytes(QByteArrayView bytes, DisplayMode mode)
{
    if (std::all_of(bytes.begin(), bytes.end(), [mode](char c) { return isPlain(uchar(c), mode); }))
        return QString::fromLatin1(bytes);
    QString out;
    out.reserve(bytes.size() + 16);
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const uchar *const end = p + bytes.size();
    while (p < end) {
        char32_t c = 0;
        const int length = decodeUtf8(p, end, &c);
        if (length == 0) {
            appendByteEscape(out, *p++); // one invalid byte; decoding goes on after it
            continue;
        }
        char32_t next = 0;
        if (p + length < end)
            decodeUtf8(p + length, end, &next);
        appendShown(out, c, next, mode);
        p += length;
    }
    return out;
}

QVariant displayValue(const QVariant &value, DisplayMode mode)
{
    if (value.typeId() != QMetaType::QString)
        return value;
    return displayText(value.toString(), mode);
}

QByteArray parseIdentifier(QStringView typed)
{
    if (!typed.contains(QLatin1Char('\\')))
        return typed.toUtf8();
    QByteArray out;
    out.reserve(typed.size());
    qsizetype plainFrom = 0;
    const auto flush = [&](qsizetype to) { out += typed.mid(plainFrom, to - plainFrom).toUtf8(); };
    for (qsizetype i = 0; i < typed.size(); ++i) {
        if (typed.at(i) != QLatin1Char('\\') || i + 1 >= typed.size())
            continue;
        const QChar kind = typed.at(i + 1);
        if (kind == QLatin1Char('\\')) {
            flush(i);
            out += '\\';
            plainFrom = i + 2;
            ++i;
        } else if (const int byte = kind == QLatin1Char('x') ? hexAt(typed, i + 2, 2) : -1;
                   byte >= 0) {
            flush(i);
            out += char(byte);
            plainFrom = i + 4;
            i += 3;
        } else if (const int code = kind == QLatin1Char('u') ? hexAt(typed, i + 2, 4) : -1;
                   code >= 0) {
            flush(i);
            // A lone surrogate has no UTF-8 form: its escape stays as typed.
            out += QChar::isSurrogate(char32_t(code)) ? typed.mid(i, 6).toUtf8()
                                                      : QString(QChar(char16_t(code))).toUtf8();
            plainFrom = i + 6;
            i += 5;
        }
    }
    flush(typed.size());
    return out;
}

} // namespace qs::core
