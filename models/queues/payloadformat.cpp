#include "payloadformat.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>
#include <QTimeZone>

namespace qs::jobs {

namespace {

constexpr qsizetype maxPrettyBytes = 1024 * 1024;

bool isPrintableUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return false;
    for (QChar c : text) {
        if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\r') &&
            c != QLatin1Char('\t'))
            return false;
    }
    return true;
}

} // namespace

ContentFormat classifyContent(const QByteArray &bytes)
{
    const QByteArray head = bytes.left(64).trimmed();
    if (!head.isEmpty() && (head.startsWith('{') || head.startsWith('['))) {
        QJsonParseError error;
        QJsonDocument::fromJson(bytes, &error);
        if (error.error == QJsonParseError::NoError)
            return ContentFormat::Json;
    }
    return isPrintableUtf8(bytes) ? ContentFormat::Text : ContentFormat::Binary;
}

std::optional<QByteArray> inflateZlib(const QByteArray &compressed)
{
    if (compressed.size() < 2 || quint8(compressed.at(0)) != 0x78)
        return std::nullopt;
    // qUncompress wants Qt's 4-byte big-endian size header; it grows its buffer when the
    // guess is short, so a guess is enough.
    const quint32 guess = quint32(qMin<qsizetype>(compressed.size() * 4, 16 * 1024 * 1024));
    QByteArray framed(4, Qt::Uninitialized);
    framed[0] = char(guess >> 24);
    framed[1] = char(guess >> 16);
    framed[2] = char(guess >> 8);
    framed[3] = char(guess);
    framed += compressed;
    QByteArray out = qUncompress(framed);
    // qUncompress answers empty both for an empty stream and for garbage; an empty stream
    // (what RQ writes for a cleared exc_info) is a handful of bytes.
    if (out.isEmpty() && compressed.size() > 16)
        return std::nullopt;
    return out;
}

QString byteSize(qsizetype bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KB").arg(bytes / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

QString displayText(const DetailSection &section, qsizetype maxBytes)
{
    const QByteArray &bytes = section.content;
    QString text;
    switch (section.format) {
    case ContentFormat::Json:
        if (bytes.size() <= maxPrettyBytes) {
            text =
                QString::fromUtf8(QJsonDocument::fromJson(bytes).toJson(QJsonDocument::Indented));
            break;
        }
        [[fallthrough]];
    case ContentFormat::Text:
        text = QString::fromUtf8(bytes.left(maxBytes));
        break;
    case ContentFormat::Binary:
    case ContentFormat::Pickle: {
        // A hex dump of the start: enough to recognise a format, never the whole blob.
        const QByteArray start = bytes.left(qMin<qsizetype>(maxBytes / 4, 512));
        for (qsizetype i = 0; i < start.size(); i += 16)
            text += QStringLiteral("%1  %2\n")
                        .arg(i, 8, 16, QLatin1Char('0'))
                        .arg(QString::fromLatin1(start.mid(i, 16).toHex(' ')));
        break;
    }
    }
    if (text.size() > maxBytes)
        text.truncate(maxBytes);
    if (bytes.size() > maxBytes || (section.format == ContentFormat::Binary && bytes.size() > 512))
        text += QStringLiteral("\n… %1 in all; shown: the start. Copy as JSON for everything.")
                    .arg(byteSize(bytes.size()));
    return text;
}

QJsonValue contentToJson(const QByteArray &bytes, ContentFormat format)
{
    switch (format) {
    case ContentFormat::Json: {
        const QJsonDocument doc = QJsonDocument::fromJson(bytes);
        if (doc.isArray())
            return doc.array();
        return doc.object();
    }
    case ContentFormat::Text:
        return QString::fromUtf8(bytes);
    case ContentFormat::Binary:
    case ContentFormat::Pickle:
        return QJsonObject{{QStringLiteral("base64"), QString::fromLatin1(bytes.toBase64())}};
    }
    return {};
}

QJsonObject JobDetail::toJson() const
{
    QJsonObject json{
        {QStringLiteral("queue"), queue.id()},
        {QStringLiteral("id"), QString::fromUtf8(summary.id)},
        {QStringLiteral("found"), found},
    };
    if (!summary.state.isEmpty())
        json.insert(QStringLiteral("state"), summary.state);
    if (!summary.name.isEmpty())
        json.insert(QStringLiteral("name"), summary.name);
    const std::pair<const char *, qint64> times[] = {
        {"createdMs", summary.createdMs},   {"processedMs", summary.processedMs},
        {"finishedMs", summary.finishedMs}, {"runAtMs", summary.runAtMs},
        {"attempts", summary.attempts},     {"priority", summary.priority}};
    for (const auto &[key, value] : times) {
        if (value >= 0)
            json.insert(QLatin1String(key), value);
    }
    if (!summary.failedReason.isEmpty())
        json.insert(QStringLiteral("failedReason"), summary.failedReason);
    QJsonObject stored;
    for (const auto &field : fields)
        stored.insert(field.first, contentToJson(field.second, classifyContent(field.second) ==
                                                                       ContentFormat::Binary
                                                                   ? ContentFormat::Binary
                                                                   : ContentFormat::Text));
    json.insert(QStringLiteral("fields"), stored);
    QJsonArray blocks;
    for (const DetailSection &section : sections) {
        QJsonObject block{
            {QStringLiteral("title"), section.title},
            {QStringLiteral("content"), contentToJson(section.content, section.format)}};
        if (!section.note.isEmpty())
            block.insert(QStringLiteral("note"), section.note);
        blocks.append(block);
    }
    json.insert(QStringLiteral("sections"), blocks);
    if (!error.isEmpty())
        json.insert(QStringLiteral("error"), error);
    return json;
}

} // namespace qs::jobs
