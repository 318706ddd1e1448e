#include "jsonsyntax.h"

#include <QByteArray>
#include <QVarLengthArray>

namespace qs::jobs {

namespace {

constexpr qsizetype maxDepth = 1024; // QJsonDocument's own limit

class Scanner
{
public:
    explicit Scanner(QByteArrayView text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

    bool document()
    {
        space();
        if (m_p == m_end || (*m_p != '{' && *m_p != '['))
            return false;
        if (!value())
            return false;
        space();
        return m_p == m_end;
    }

private:
    void space()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool take(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool literal(const char *word, qsizetype size)
    {
        if (m_end - m_p < size || QByteArrayView(m_p, size) != QByteArrayView(word, size))
            return false;
        m_p += size;
        return true;
    }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    static bool isHex(char c)
    {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    bool digits()
    {
        const char *start = m_p;
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
        return m_p > start;
    }
    bool number()
    {
        const char *start = m_p;
        take('-');
        if (take('0')) {
            // no leading zeros
        } else if (!digits()) {
            return false;
        }
        bool integer = true;
        if (take('.')) {
            integer = false;
            if (!digits())
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integer = false;
            ++m_p;
            if (!take('+'))
                take('-');
            if (!digits())
                return false;
        }
        return inQtsRange(QByteArray::fromRawData(start, m_p - start), integer);
    }
    // RFC 8259 lets a parser limit the range of numbers, and QJsonDocument refuses one that
    // QByteArray::toDouble does not take (1e400: out of range), after trying a 64-bit integer.
    static bool inQtsRange(const QByteArray &number, bool integer)
    {
        bool ok = false;
        if (integer)
            number.toLongLong(&ok);
        if (!ok)
            number.toDouble(&ok);
        return ok;
    }
    bool string()
    {
        if (!take('"'))
            return false;
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p++);
            if (c == '"')
                return true;
            if (c < 0x20)
                return false;
            if (c != '\\')
                continue;
            if (m_p == m_end)
                return false;
            const char e = *m_p++;
            if (e == 'u') {
                for (int i = 0; i < 4; ++i) {
                    if (m_p == m_end || !isHex(*m_p++))
                        return false;
                }
            } else if (!QByteArrayView("\"\\/bfnrt").contains(e)) {
                return false;
            }
        }
        return false;
    }
    bool scalar()
    {
        switch (*m_p) {
        case '"':
            return string();
        case 't':
            return literal("true", 4);
        case 'f':
            return literal("false", 5);
        case 'n':
            return literal("null", 4);
        default:
            return number();
        }
    }
    // One value, containers iteratively: a stack of the open containers' closing characters.
    bool value()
    {
        QVarLengthArray<char, 64> open;
        for (;;) {
            space();
            if (m_p == m_end)
                return false;
            if (*m_p == '{' || *m_p == '[') {
                if (open.size() >= maxDepth)
                    return false;
                const char close = *m_p == '{' ? '}' : ']';
                ++m_p;
                open.append(close);
                space();
                if (take(close)) {
                    open.removeLast();
                } else {
                    if (close == '}' && !member())
                        return false;
                    continue; // the first value of the container
                }
            } else if (!scalar()) {
                return false;
            }
            // A value ended: close containers or go on to the next value.
            for (;;) {
                if (open.isEmpty())
                    return true;
                space();
                if (take(open.last())) {
                    open.removeLast();
                    continue;
                }
                if (!take(','))
                    return false;
                if (open.last() == '}' && !(space(), member()))
                    return false;
                break;
            }
        }
    }
    // "key": (the value follows)
    bool member()
    {
        if (!string())
            return false;
        space();
        return take(':');
    }

    const char *m_p;
    const char *m_end;
};

} // namespace

bool isJsonDocument(QByteArrayView text)
{
    return text.isValidUtf8() && Scanner(text).document();
}

} // namespace qs::jobs
