#include "payloadformat.h"

#include "jsonsyntax.h"
#include "redis/replylimits.h"

#include <QJsonDocument>

#include <zlib.h>

namespace qs::jobs {

namespace {

constexpr qsizetype maxPrettyBytes = 1024 * 1024;

// Checked on the bytes, without decoding a copy: in UTF-8 a C0 control is its own byte.
bool isPrintableUtf8(const QByteArray &bytes)
{
    for (char c : bytes) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return false;
    }
    return QByteArrayView(bytes).isValidUtf8();
}

} // namespace

ContentFormat classifyContent(const QByteArray &bytes)
{
    const QByteArray head = bytes.left(64).trimmed();
    if (!head.isEmpty() && (head.startsWith('{') || head.startsWith('[')) && isJsonDocument(bytes))
        return ContentFormat::Json;
    return isPrintableUtf8(bytes) ? ContentFormat::Text : ContentFormat::Binary;
}

std::optional<QByteArray> inflateZlib(const QByteArray &compressed, qsizetype maxOutput,
                                      bool *truncated)
{
    if (truncated)
        *truncated = false;
    if (compressed.size() < 2 || quint8(compressed.at(0)) != 0x78)
        return std::nullopt;
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK)
        return std::nullopt;
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData()));
    stream.avail_in = uInt(compressed.size());
    // Grown as output comes, never past maxOutput: a 2 MB bomb that would inflate to 2 GB stops
    // at the cap (and the caller says so).
    QByteArray out;
    int status = Z_OK;
    while (status == Z_OK && out.size() < maxOutput) {
        const qsizetype chunk =
            qMin<qsizetype>(qMax<qsizetype>(out.size(), 64 * 1024), maxOutput - out.size());
        const qsizetype before = out.size();
        out.resize(before + chunk);
        stream.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        stream.avail_out = uInt(chunk);
        status = inflate(&stream, Z_NO_FLUSH);
        out.resize(before + chunk - qsizetype(stream.avail_out));
    }
    inflateEnd(&stream);
    if (status == Z_STREAM_END)
        return out;
    if (status == Z_OK && out.size() >= maxOutput) {
        if (truncated)
            *truncated = true;
        return out;
    }
    return std::nullopt; // not zlib, or damaged
}

namespace {

void collectTruncated(const redis::RedisReply &reply, QHash<const char *, qint64> *found)
{
    if (reply.isTruncated() && !reply.string.isEmpty())
        found->insert(reply.string.constData(), reply.truncatedFrom);
    for (const redis::RedisReply &element : reply.elements)
        collectTruncated(element, found);
}

} // namespace

void noteTruncation(JobDetail &detail, const QList<redis::RedisReply> &replies)
{
    // Sources keep the reply's bytes (implicitly shared), so a field or section that holds a
    // truncated string points at the very same data.
    QHash<const char *, qint64> truncated;
    for (const redis::RedisReply &reply : replies)
        collectTruncated(reply, &truncated);
    if (truncated.isEmpty())
        return;
    for (const auto &[name, bytes] : std::as_const(detail.fields)) {
        if (const auto it = truncated.constFind(bytes.constData()); it != truncated.cend())
            detail.truncatedFields.insert(name, it.value());
    }
    for (DetailSection &section : detail.sections) {
        const auto it = truncated.constFind(section.content.constData());
        if (it == truncated.cend())
            continue;
        const QString note = QStringLiteral("truncated, %1 bytes on the server: the first %2 read")
                                 .arg(it.value())
                                 .arg(byteSize(section.content.size()));
        section.note = section.note.isEmpty() ? note : section.note + QStringLiteral("; ") + note;
    }
}

QString byteSize(qsizetype bytes)
{
    return redis::describeSize(bytes);
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

} // namespace qs::jobs
