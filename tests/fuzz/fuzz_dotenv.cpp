// The .env parser on arbitrary files, and the profile made from what it read. Properties: the
// values it reads, written back as a .env file (double-quoted with escapes, and single-quoted
// where that can hold them), read back the same without warnings; warnings name lines and quote
// only names, never values; a refusal does not depend on the password; a profile built from the
// variables agrees with them.
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

// Whether a warning names its line and quotes nothing but a variable name: one of the parser's
// sentences, where a name that is not valid is exactly what stands before '=' on that line.
// (So no value, which may be a password, is ever quoted.)
bool quotesOnlyNames(const QString &warning, const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral(
            "^line ([1-9][0-9]*): (?:no '=' \\(ignored\\)|no name before '=' \\(ignored\\)|"
            "'(.*)' is not a valid variable name \\(ignored\\)|"
            "text after the closing quote of [A-Za-z_][A-Za-z0-9_]* \\(ignored\\)|"
            "[A-Za-z_][A-Za-z0-9_]* has no closing quote \\(ignored\\))$"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = form.match(warning);
    if (!match.hasMatch())
        return false;
    if (match.capturedLength(2) == 0)
        return true;
    const QStringList lines = text.split(u'\n');
    const qsizetype number = match.captured(1).toLongLong();
    if (number > lines.size())
        return false;
    const QString &line = lines.at(number - 1);
    return line.left(line.indexOf(u'=')).contains(match.captured(2));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray file = qs::fuzz::bytesOf(data, size);
    const DotEnv env = parseDotEnv(file);
    const QString text = QString::fromUtf8(file); // as the parser reads it (U+FFFD for bad bytes)

    for (const QString &w : env.warnings)
        FUZZ_CHECK(quotesOnlyNames(w, text), QStringLiteral("warning '%1'").arg(w));

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
        // The refusal must not depend on the password's value: with another password of the
        // same kind it reads the same. (Asking whether the text "contains" the password flags
        // passwords that happen to be words of the message or of another variable.)
        const QString password = env.values.value(QStringLiteral("REDIS_PASSWORD"));
        if (!password.isEmpty()) {
            QMap<QString, QString> other = env.values;
            other.insert(QStringLiteral("REDIS_PASSWORD"), QStringLiteral("x") + password);
            const auto again = qs::core::profileFromEnvironment(other);
            FUZZ_CHECK(
                !again && again.error() == profile.error(),
                QStringLiteral("the refusal depends on REDIS_PASSWORD: %1").arg(profile.error()));
        }
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
