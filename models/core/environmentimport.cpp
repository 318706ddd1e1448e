#include "environmentimport.h"

#include "redisurl.h"

#include <QFile>
#include <QRegularExpression>
#include <QUrl>

#include <limits>
#include <optional>

namespace qs::core {

namespace {

using ProfileResult = Result<ConnectionProfile>;

const QStringList kVariables{QStringLiteral("REDIS_URL"),      QStringLiteral("REDIS_HOST"),
                             QStringLiteral("REDIS_PORT"),     QStringLiteral("REDIS_PASSWORD"),
                             QStringLiteral("REDIS_USERNAME"), QStringLiteral("REDIS_DB"),
                             QStringLiteral("REDIS_TLS")};

bool isDigits(const QString &text, int maxLength)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    return text.size() <= maxLength && digits.match(text).hasMatch();
}

std::optional<bool> parseFlag(const QString &text)
{
    const QString t = text.toLower();
    if (t == u"true" || t == u"1" || t == u"yes" || t == u"on")
        return true;
    if (t.isEmpty() || t == u"false" || t == u"0" || t == u"no" || t == u"off")
        return false;
    return std::nullopt;
}

// Only the host is checked here; everything after it (port, db) has its own variable.
Result<QString> parseHost(const QString &value)
{
    using HostResult = Result<QString>;
    // Someone who writes a URL or "user:pass@host" here may have a password in it: don't quote.
    if (value.contains(u"://"))
        return HostResult::failure(QStringLiteral("REDIS_HOST holds a URL: put it in REDIS_URL"));
    if (value.contains(u'@'))
        return HostResult::failure(
            QStringLiteral("REDIS_HOST must be a host name only, without user or password"));
    QString host = value;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QUrl probe;
    probe.setHost(host, QUrl::StrictMode);
    if (!probe.isValid() || probe.host().isEmpty())
        return HostResult::failure(
            QStringLiteral("REDIS_HOST '%1' is not a valid host name or address").arg(value));
    return HostResult::success(probe.host());
}

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

// Reads a quoted value starting at the opening quote `open`. Returns the index of the closing
// quote (or -1) and fills `value`. The value may span lines, as PEM keys in .env files do.
qsizetype readQuoted(const QString &text, qsizetype open, QString &value)
{
    const QChar quote = text.at(open);
    for (qsizetype i = open + 1; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == quote)
            return i;
        if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
            continue; // CRLF inside a multi-line value becomes LF
        if (c == u'\\' && quote == u'"' && i + 1 < text.size()) {
            const QChar next = text.at(++i);
            const qsizetype known = QStringView(u"nrt\"\\").indexOf(next);
            if (known >= 0) {
                value += QStringView(u"\n\r\t\"\\").at(known);
            } else { // unknown escapes stay as written, as in a shell
                value += u'\\';
                value += next;
            }
            continue;
        }
        value += c;
    }
    return -1;
}

// An unquoted value ends at a '#' that follows whitespace, so "pa#ss" keeps its '#'.
QString unquotedValue(QStringView raw, bool blankBefore)
{
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == u'#' && (i == 0 ? blankBefore : isBlank(raw.at(i - 1))))
            return raw.left(i).trimmed().toString();
    }
    return raw.trimmed().toString();
}

} // namespace

DotEnv parseDotEnv(const QByteArray &bytes)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    const QByteArray bom("\xEF\xBB\xBF");
    const QString text = QString::fromUtf8(bytes.startsWith(bom) ? bytes.mid(bom.size()) : bytes);

    DotEnv result;
    int lineNumber = 1;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const int entryLine = lineNumber;
        qsizetype lineEnd = text.indexOf(u'\n', pos);
        if (lineEnd < 0)
            lineEnd = text.size();
        const auto nextLine = [&] {
            pos = lineEnd + 1;
            ++lineNumber;
        };
        const auto warn = [&](const QString &what) {
            result.warnings << QStringLiteral("line %1: %2").arg(entryLine).arg(what);
        };

        QStringView line = QStringView(text).mid(pos, lineEnd - pos);
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(u'#')) {
            nextLine();
            continue;
        }
        const qsizetype eq = line.indexOf(u'=');
        if (eq < 0) {
            // The line itself is not quoted: it could be a stray password.
            warn(QStringLiteral("no '=' (ignored)"));
            nextLine();
            continue;
        }
        QStringView key = line.left(eq).trimmed();
        if (key.startsWith(u"export") && key.size() > 6 && isBlank(key.at(6)))
            key = key.mid(6).trimmed();
        if (key.isEmpty()) {
            warn(QStringLiteral("no name before '=' (ignored)"));
            nextLine();
            continue;
        }
        if (!identifier.match(key).hasMatch()) {
            warn(QStringLiteral("'%1' is not a valid variable name (ignored)").arg(key));
            nextLine();
            continue;
        }

        qsizetype valueStart = pos + eq + 1;
        const qsizetype lineStop = pos + line.size();
        while (valueStart < lineStop && isBlank(text.at(valueStart)))
            ++valueStart;
        const bool blankBefore = valueStart > pos + eq + 1;
        if (valueStart < lineStop &&
            (text.at(valueStart) == u'"' || text.at(valueStart) == u'\'')) {
            QString value;
            const qsizetype close = readQuoted(text, valueStart, value);
            if (close < 0) {
                warn(QStringLiteral("%1 has no closing quote (ignored)").arg(key));
                nextLine();
                continue;
            }
            result.values.insert(key.toString(), value);
            lineNumber += int(QStringView(text).mid(pos, close - pos).count(u'\n'));
            lineEnd = text.indexOf(u'\n', close);
            if (lineEnd < 0)
                lineEnd = text.size();
            const QStringView tail =
                QStringView(text).mid(close + 1, lineEnd - close - 1).trimmed();
            if (!tail.isEmpty() && !tail.startsWith(u'#'))
                warn(QStringLiteral("text after the closing quote of %1 (ignored)").arg(key));
        } else {
            result.values.insert(
                key.toString(),
                unquotedValue(QStringView(text).mid(valueStart, lineStop - valueStart),
                              blankBefore));
        }
        nextLine();
    }
    return result;
}

Result<ConnectionProfile> profileFromEnvironment(const QMap<QString, QString> &env)
{
    // Empty counts as unset: .env templates ship "REDIS_URL=" lines to be filled in later.
    const QString url = env.value(QStringLiteral("REDIS_URL")).trimmed();
    if (!url.isEmpty()) {
        ProfileResult parsed = parseRedisUrl(url);
        if (!parsed)
            return ProfileResult::failure(QStringLiteral("REDIS_URL: ") + parsed.error());
        return parsed;
    }

    const QString hostValue = env.value(QStringLiteral("REDIS_HOST")).trimmed();
    if (hostValue.isEmpty()) {
        QString error = QStringLiteral("neither REDIS_URL nor REDIS_HOST is set");
        if (env.contains(QStringLiteral("REDIS_URL")) || env.contains(QStringLiteral("REDIS_HOST")))
            error += QStringLiteral(" (they are present but empty)");
        return ProfileResult::failure(error);
    }

    ConnectionProfile profile;
    const Result<QString> host = parseHost(hostValue);
    if (!host)
        return ProfileResult::failure(host.error());
    profile.host = host.value();

    if (const QString port = env.value(QStringLiteral("REDIS_PORT")).trimmed(); !port.isEmpty()) {
        const int number = isDigits(port, 5) ? port.toInt() : 0;
        if (number < 1 || number > 65535)
            return ProfileResult::failure(
                QStringLiteral("REDIS_PORT '%1' is not a port number (1-65535)").arg(port));
        profile.port = quint16(number);
    }
    if (const QString db = env.value(QStringLiteral("REDIS_DB")).trimmed(); !db.isEmpty()) {
        const qint64 number = isDigits(db, 10) ? db.toLongLong() : -1;
        if (number < 0 || number > std::numeric_limits<int>::max())
            return ProfileResult::failure(
                QStringLiteral("REDIS_DB '%1' is not a number from 0 to 2^31").arg(db));
        profile.db = int(number);
    }
    const QString tls = env.value(QStringLiteral("REDIS_TLS")).trimmed();
    const std::optional<bool> tlsOn = parseFlag(tls);
    if (!tlsOn)
        return ProfileResult::failure(
            QStringLiteral("REDIS_TLS '%1' is not one of true, false, yes, no, on, off, 1, 0")
                .arg(tls));
    profile.tls.enabled = *tlsOn;

    // Secrets are taken verbatim: a leading or trailing space may be part of the password.
    profile.username = env.value(QStringLiteral("REDIS_USERNAME"));
    profile.password = env.value(QStringLiteral("REDIS_PASSWORD"));
    return ProfileResult::success(profile);
}

Result<ConnectionProfile> profileFromEnvironment(const QProcessEnvironment &env)
{
    QMap<QString, QString> values;
    for (const QString &name : kVariables) {
        if (env.contains(name))
            values.insert(name, env.value(name));
    }
    return profileFromEnvironment(values);
}

Result<ConnectionProfile> profileFromDotEnvFile(const QString &path)
{
    // A .env file is a few hundred bytes; a huge file is the wrong file, not one to load.
    constexpr qint64 maxSize = 1024 * 1024;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ProfileResult::failure(
            QStringLiteral("cannot read '%1': %2").arg(path, file.errorString()));
    if (file.size() > maxSize)
        return ProfileResult::failure(
            QStringLiteral("cannot read '%1': larger than 1 MiB, not a .env file").arg(path));
    const QByteArray text = file.read(maxSize + 1);
    if (file.error() != QFileDevice::NoError)
        return ProfileResult::failure(
            QStringLiteral("cannot read '%1': %2").arg(path, file.errorString()));

    const DotEnv dotEnv = parseDotEnv(text);
    ProfileResult profile = profileFromEnvironment(dotEnv.values);
    if (profile)
        return profile;
    // The warnings often explain the failure (a REDIS_URL line without '=', say); they quote
    // line numbers and names only, never values, so they are safe to show.
    QString error = QStringLiteral("%1: %2").arg(path, profile.error());
    if (!dotEnv.warnings.isEmpty())
        error += QStringLiteral(" (%1)").arg(dotEnv.warnings.join(QStringLiteral("; ")));
    return ProfileResult::failure(error);
}

} // namespace qs::core
