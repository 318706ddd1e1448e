// The .env parser on arbitrary files, and the profile made from what it read. Properties: the
// values it reads, written back as a .env file (double-quoted with escapes, and single-quoted
// where that can hold them), read back the same without warnings; warnings name lines, never
// values; a profile built from the variables agrees with them.
#include "core/environmentimport.h"
#include "core/redisurl.h"
#include "fuzzcheck.h"

#include <QRegularExpression>

using qs::core::DotEnv;
using qs::core::parseDotEnv;

namespace {

QByteArray doubleQuoted(const QString &value)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        if (c == u'\\' || c == u'"')
            out += u'\\';
        if (c == u'\n')
            out += QStringLiteral("\\n");
        else if (c == u'\r')
            out += QStringLiteral("\\r");
        else
            out += c; // surrogate pairs stay pairs: converted to UTF-8 as a whole below
    }
    return (out + u'"').toUtf8();
}

QByteArray write(const QMap<QString, QString> &values, bool singleQuotes)
{
    QByteArray out;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const QString &v = it.value();
        const bool single = singleQuotes && !v.contains(u'\'') && !v.contains(u"\r\n");
        out +=
            it.key().toUtf8() + '=' + (single ? '\'' + v.toUtf8() + '\'' : doubleQuoted(v)) + '\n';
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray file = qs::fuzz::bytesOf(data, size);
    const DotEnv env = parseDotEnv(file);
    const QString text = QString::fromUtf8(file); // as the parser reads it (U+FFFD for bad bytes)

    static const QRegularExpression warning(QStringLiteral("^line [1-9][0-9]*: "));
    for (const QString &w : env.warnings)
        FUZZ_CHECK(warning.match(w).hasMatch(), QStringLiteral("warning '%1'").arg(w));
    for (auto it = env.values.cbegin(); it != env.values.cend(); ++it) {
        const QString &value = it.value();
        for (const QString &w : env.warnings) {
            const QString afterLine = w.mid(w.indexOf(u':') + 2);
            FUZZ_CHECK(value.size() < 8 || !afterLine.contains(value) || text.count(value) > 1,
                       QStringLiteral("warning '%1' quotes the value of %2").arg(w, it.key()));
        }
    }

    for (const bool singleQuotes : {false, true}) {
        const QByteArray written = write(env.values, singleQuotes);
        const DotEnv reread = parseDotEnv(written);
        FUZZ_CHECK(reread.warnings.isEmpty(),
                   QStringLiteral("rewritten file warns: %1 (%2)")
                       .arg(reread.warnings.join(u"; "), qs::fuzz::preview(written)));
        for (auto it = env.values.cbegin(); it != env.values.cend(); ++it) {
            const QByteArray before = it.value().toUtf8();
            const QByteArray after = reread.values.value(it.key()).toUtf8();
            qsizetype at = 0;
            while (at < before.size() && at < after.size() && before.at(at) == after.at(at))
                ++at;
            FUZZ_CHECK(
                after == before,
                QStringLiteral("%1 changes when written back, from byte %2: '%3' reads as "
                               "'%4'")
                    .arg(it.key())
                    .arg(at)
                    .arg(qs::fuzz::preview(before.mid(at)), qs::fuzz::preview(after.mid(at))));
        }
        FUZZ_CHECK(
            reread.values.keys() == env.values.keys(),
            QStringLiteral("names change when written back: %1").arg(qs::fuzz::preview(written)));
    }

    const auto profile = qs::core::profileFromEnvironment(env.values);
    if (!profile) {
        FUZZ_CHECK(!profile.error().isEmpty(), "a refusal without a reason");
        const QString password = env.values.value(QStringLiteral("REDIS_PASSWORD"));
        FUZZ_CHECK(password.size() < 6 || !profile.error().contains(password) ||
                       env.values.value(QStringLiteral("REDIS_HOST")).contains(password) ||
                       env.values.value(QStringLiteral("REDIS_PORT")).contains(password) ||
                       env.values.value(QStringLiteral("REDIS_DB")).contains(password) ||
                       env.values.value(QStringLiteral("REDIS_TLS")).contains(password) ||
                       env.values.value(QStringLiteral("REDIS_URL")).contains(password),
                   QStringLiteral("the error quotes REDIS_PASSWORD: %1").arg(profile.error()));
        return 0;
    }
    const QString url = env.values.value(QStringLiteral("REDIS_URL")).trimmed();
    if (url.isEmpty()) {
        FUZZ_CHECK(profile->password == env.values.value(QStringLiteral("REDIS_PASSWORD")),
                   "REDIS_PASSWORD is not taken verbatim");
        FUZZ_CHECK(profile->username == env.values.value(QStringLiteral("REDIS_USERNAME")),
                   "REDIS_USERNAME is not taken verbatim");
    } else {
        const auto direct = qs::core::parseRedisUrl(url);
        FUZZ_CHECK(direct && direct.value() == profile.value(),
                   "REDIS_URL gives another profile than the URL parser");
    }
    return 0;
}
