#pragma once

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <cstdlib>

// A property a harness asserts: when it does not hold, print what and where, and abort so that
// libFuzzer saves the input (crash-<sha1> under -artifact_prefix) and the run fails.
#define FUZZ_CHECK(condition, what)                                                                \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: property violated: %s\n  %s\n", __FILE__, __LINE__,       \
                         #condition, qPrintable(QString(what)));                                   \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace qs::fuzz {

// The bytes of an input as a printable one-line preview for FUZZ_CHECK messages.
inline QString preview(const QByteArray &bytes, qsizetype max = 120)
{
    QString out;
    for (const char c : bytes.left(max)) {
        const auto u = static_cast<unsigned char>(c);
        out += u >= 0x20 && u < 0x7f ? QString(QLatin1Char(c))
                                     : QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return bytes.size() > max ? out + QStringLiteral("...") : out;
}

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace qs::fuzz
