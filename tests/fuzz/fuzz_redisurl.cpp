// The Redis URL parser on arbitrary text (what users paste and what .env files hold).
// Properties: a URL that parses is written back by toRedisUrl to a URL that parses to the same
// profile, and that URL parses to itself again; the password never appears in an error, in the
// redacted URL or in displayUrl().
#include "core/redisurl.h"
#include "fuzzcheck.h"

#include <QRegularExpression>
#include <QUrl>

using qs::core::ConnectionProfile;
using qs::core::parseRedisUrl;
using qs::core::Secret;
using qs::core::toRedisUrl;

namespace {

QString describe(const ConnectionProfile &p)
{
    return QStringLiteral("host '%1' port %2 socket '%3' db %4 user '%5' tls %6/%7 ca '%8' "
                          "cert '%9' key '%10' sni '%11' timeout %12")
        .arg(p.host)
        .arg(p.port)
        .arg(p.unixSocket)
        .arg(p.db)
        .arg(p.username)
        .arg(p.tls.enabled)
        .arg(p.tls.verifyPeer)
        .arg(p.tls.caFile, p.tls.certFile, p.tls.keyFile, p.tls.serverName)
        .arg(p.connectTimeoutMs);
}

// The password as the user typed it between "user:" and the last '@' of the authority (where
// QUrl and the parser split it), raw and percent-decoded, and the input without it; no forms when
// there is none.
struct TypedPassword
{
    QStringList forms;
    QString rest;
};

TypedPassword typedPassword(const QString &url)
{
    // As the parser reads it: a scheme only at the very start, else the text is host[:port]...
    static const QRegularExpression schemeRe(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    const QRegularExpressionMatch scheme = schemeRe.match(url);
    const qsizetype start = scheme.hasMatch() ? scheme.capturedLength() : 0;
    qsizetype end = url.size();
    for (const QChar c : {u'/', u'?', u'#'}) {
        const qsizetype at = url.indexOf(c, start);
        if (at >= 0 && at < end)
            end = at;
    }
    const QString authority = url.mid(start, end - start);
    const qsizetype at = authority.lastIndexOf(u'@');
    const qsizetype colon = authority.indexOf(u':');
    if (at < 0 || colon < 0 || colon > at)
        return {};
    const QString raw = authority.mid(colon + 1, at - colon - 1);
    // Decoded as QUrl's tolerant mode does: a '%' without two hex digits is a literal '%'
    // (QUrl::fromPercentEncoding would turn "%\bz" into an arbitrary byte).
    static const QRegularExpression loosePercent(QStringLiteral("%(?![0-9A-Fa-f]{2})"));
    const QString encoded = QString(raw).replace(loosePercent, QStringLiteral("%25"));
    return {{raw, QUrl::fromPercentEncoding(encoded.toUtf8())},
            url.left(start + colon + 1) + url.mid(start + at)};
}

// Whether every piece of `secret` between quotes and spaces is also elsewhere in the input: then
// the secret may show in a message only because the message quotes the host, path or an option
// (option names lower-cased) and its own quotes and words complete it (fuzzers' findings: a host
// "\0'x\0\0\0\0" quoted as '\0'x\0\0\0\0' holds the password "'x\0\0\0\0'"; "host '\uFFFD\0\0\0\0'"
// holds the password " '\uFFFD\0\0\0\0" when that is also the host).
bool explainedByTheRest(const QString &secret, const QString &restOfInput)
{
    static const QRegularExpression quoteOrSpace(QStringLiteral("['\\s]"));
    for (const QString &piece : secret.split(quoteOrSpace, Qt::SkipEmptyParts)) {
        if (!restOfInput.contains(piece, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

// Whether `secret` shows in `text` although nothing else of the input explains it.
bool leaks(const QString &text, const QString &secret, const QString &restOfInput)
{
    // Words the messages always hold: a password "rediss" is not quoted by "expected redis://,
    // rediss:// or unix://".
    static const QString fixedWords = QStringLiteral("*** redis:// rediss:// unix://");
    QString bare = secret;
    bare.remove(u'\'');
    if (bare.size() < 6 || explainedByTheRest(secret, restOfInput) ||
        fixedWords.contains(secret, Qt::CaseInsensitive))
        return false;
    return text.contains(secret);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(qs::fuzz::bytesOf(data, size));
    const auto parsed = parseRedisUrl(input);
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().isEmpty(), "a refusal without a reason");
        const TypedPassword typed = typedPassword(input.trimmed());
        for (const QString &password : typed.forms)
            FUZZ_CHECK(!leaks(parsed.error(), password, typed.rest),
                       QStringLiteral("the error quotes the password: %1").arg(parsed.error()));
        return 0;
    }
    const ConnectionProfile &profile = parsed.value();

    const QString written = toRedisUrl(profile, Secret::Included);
    const auto reparsed = parseRedisUrl(written);
    FUZZ_CHECK(reparsed, QStringLiteral("'%1' is written as '%2', which is refused: %3")
                             .arg(input, written, reparsed.error()));
    FUZZ_CHECK(reparsed.value() == profile,
               QStringLiteral("'%1' -> '%2' changes the profile:\n  %3\n  %4")
                   .arg(input, written, describe(profile), describe(reparsed.value())));
    FUZZ_CHECK(toRedisUrl(reparsed.value(), Secret::Included) == written,
               QStringLiteral("'%1' is not written back as itself").arg(written));

    // Redacted forms do not depend on the password at all (only on whether there is one).
    if (!profile.password.isEmpty()) {
        ConnectionProfile other = profile;
        other.password = QStringLiteral("x") + profile.password;
        FUZZ_CHECK(toRedisUrl(other) == toRedisUrl(profile) &&
                       other.displayUrl() == profile.displayUrl(),
                   QStringLiteral("the password shows in '%1'").arg(toRedisUrl(profile)));
    }
    return 0;
}
