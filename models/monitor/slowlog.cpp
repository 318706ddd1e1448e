#include "monitor/slowlog.h"

#include <QStringList>

namespace qs::monitor {

namespace {

// "... (12 more arguments)" -> 12; anything else -> 0.
qint64 omittedArgumentCount(const QByteArray &argument)
{
    static const QByteArray prefix = "... (";
    static const QByteArray suffix = " more arguments)";
    if (!argument.startsWith(prefix) || !argument.endsWith(suffix))
        return 0;
    const QByteArray digits =
        argument.mid(prefix.size(), argument.size() - prefix.size() - suffix.size());
    bool ok = false;
    const qint64 count = digits.toLongLong(&ok);
    return ok && count > 0 ? count : 0;
}

QString fieldText(const redis::RedisReply &field)
{
    return field.isString() ? QString::fromUtf8(field.string) : QString();
}

// Length of the UTF-8 sequence starting with `lead`, or 0 when `lead` cannot start one.
int sequenceLength(uchar lead)
{
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0;
}

void appendHex(QString &out, uchar byte)
{
    out += QStringLiteral("\\x%1").arg(uint(byte), 2, 16, QLatin1Char('0'));
}

} // namespace

QList<SlowLogEntry> parseSlowLog(const redis::RedisReply &reply)
{
    QList<SlowLogEntry> entries;
    if (!reply.isArray())
        return entries;
    entries.reserve(reply.elements.size());
    for (const redis::RedisReply &item : reply.elements) {
        // Redis 2.2-3.2: id, time, duration, arguments; 4.0 added client address and name.
        if (!item.isArray() || item.elements.size() < 4)
            continue;
        const QList<redis::RedisReply> &fields = item.elements;
        SlowLogEntry entry;
        entry.id = fields.at(0).toInteger(-1);
        entry.timestamp = fields.at(1).toInteger();
        entry.durationUs = fields.at(2).toInteger();
        if (entry.id < 0)
            continue;
        const QList<redis::RedisReply> &arguments = fields.at(3).elements;
        entry.arguments.reserve(arguments.size());
        for (const redis::RedisReply &argument : arguments)
            entry.arguments.append(argument.string);
        // Redis writes the marker in place of the last kept argument, never anywhere else.
        if (!entry.arguments.isEmpty()) {
            entry.omittedArguments = omittedArgumentCount(entry.arguments.last());
            if (entry.omittedArguments > 0)
                entry.arguments.removeLast();
        }
        if (fields.size() > 4)
            entry.clientAddress = fieldText(fields.at(4));
        if (fields.size() > 5)
            entry.clientName = fieldText(fields.at(5));
        entries.append(std::move(entry));
    }
    return entries;
}

QString displayArgument(const QByteArray &argument)
{
    QString out;
    out.reserve(argument.size() + 2);
    bool quote = argument.isEmpty();
    const auto *bytes = reinterpret_cast<const uchar *>(argument.constData());
    const qsizetype size = argument.size();
    for (qsizetype i = 0; i < size;) {
        const uchar byte = bytes[i];
        if (byte >= 0x20 && byte < 0x7f) {
            if (byte == '\\' || byte == '"')
                out += QLatin1Char('\\');
            quote = quote || byte == ' ' || byte == '"';
            out += QLatin1Char(char(byte));
            ++i;
            continue;
        }
        // Take a multi-byte sequence only if it round-trips (no overlong forms, no surrogates)
        // and is printable; a lone high byte in binary data must not swallow its neighbours.
        const int length = sequenceLength(byte);
        if (length > 0 && i + length <= size) {
            const QByteArray sequence = argument.mid(i, length);
            const QString decoded = QString::fromUtf8(sequence);
            const char32_t codePoint =
                decoded.size() == 2 && decoded.at(0).isHighSurrogate()
                    ? QChar::surrogateToUcs4(decoded.at(0), decoded.at(1))
                    : char32_t(decoded.isEmpty() ? 0 : decoded.at(0).unicode());
            const auto category = QChar::category(codePoint);
            if (decoded.toUtf8() == sequence && QChar::isPrint(codePoint) &&
                codePoint != QChar::ReplacementCharacter && category != QChar::Separator_Line &&
                category != QChar::Separator_Paragraph) {
                out += decoded;
                i += length;
                continue;
            }
        }
        appendHex(out, byte);
        ++i;
    }
    if (quote)
        return QLatin1Char('"') + out + QLatin1Char('"');
    return out;
}

QString displayCommand(const SlowLogEntry &entry)
{
    QStringList parts;
    parts.reserve(entry.arguments.size() + 1);
    for (const QByteArray &argument : entry.arguments)
        parts.append(displayArgument(argument));
    if (entry.omittedArguments > 0)
        parts.append(QStringLiteral("… (%1 more arguments)").arg(entry.omittedArguments));
    return parts.join(QLatin1Char(' '));
}

} // namespace qs::monitor
