// Payload decoding as the job panels and `job --json` do it, on arbitrary stored bytes: zlib
// detection and inflation (RQ's exc_info and tracebacks), the JSON / text / binary verdict, the
// shown text and the JSON export, and the time stamps read from job fields. Properties: what is
// inflated compresses and inflates back to itself, and any bytes zlib-compressed inflate back;
// each verdict is true of the bytes (JSON parses, text is printable UTF-8) and the export keeps
// every byte (text as a string, binary as base64, as `job --json` writes them); the shown text
// stays within its budget.
#include "fuzzcheck.h"
#include "jobs/jobdetailjson.h"
#include "queues/payloadformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

using qs::fuzz::preview;
using qs::jobs::ContentFormat;

namespace {

// What RQ stores: a bare zlib stream (qCompress's output without its 4-byte size header;
// qCompress writes no stream at all for empty input, zlib's own is these 8 bytes).
QByteArray zlibStream(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QByteArray("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)
                           : qCompress(bytes).mid(4);
}

void checkInflate(const QByteArray &bytes)
{
    if (const std::optional<QByteArray> inflated = qs::jobs::inflateZlib(bytes)) {
        const std::optional<QByteArray> again = qs::jobs::inflateZlib(zlibStream(*inflated));
        FUZZ_CHECK(
            again && *again == *inflated,
            QStringLiteral("%1 inflated bytes do not survive a round trip").arg(inflated->size()));
    }
    const std::optional<QByteArray> back = qs::jobs::inflateZlib(zlibStream(bytes));
    FUZZ_CHECK(back && *back == bytes,
               QStringLiteral("zlib of %1 does not inflate back").arg(preview(bytes)));
}

void checkFormat(const QByteArray &bytes)
{
    const ContentFormat format = qs::jobs::classifyContent(bytes);
    // Exported as `job --json` writes it: one section holding the bytes.
    qs::jobs::JobDetail detail;
    detail.sections = {{QStringLiteral("Data"), bytes, format, {}}};
    const QByteArray document = qs::jobs::jobDetailJson(detail);
    const QJsonObject parsedDocument = QJsonDocument::fromJson(document).object();
    FUZZ_CHECK(!parsedDocument.isEmpty(), "job --json wrote a document that does not parse");
    const QJsonValue exported = parsedDocument.value(QStringLiteral("sections"))
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("content"));
    switch (format) {
    case ContentFormat::Json: {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        FUZZ_CHECK(error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray()),
                   QStringLiteral("called JSON: %1").arg(preview(bytes)));
        FUZZ_CHECK(exported == (doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object())),
                   "the JSON export differs from the document");
        break;
    }
    case ContentFormat::Text: {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = decoder.decode(bytes);
        FUZZ_CHECK(!decoder.hasError(), QStringLiteral("called text: %1").arg(preview(bytes)));
        for (const QChar c : text)
            FUZZ_CHECK(c.unicode() >= 0x20 || c == u'\n' || c == u'\r' || c == u'\t',
                       QStringLiteral("text with control U+%1").arg(c.unicode(), 4, 16));
        FUZZ_CHECK(exported.toString().toUtf8() == bytes, "the text export loses bytes");
        break;
    }
    case ContentFormat::Binary:
    case ContentFormat::Pickle:
        FUZZ_CHECK(QByteArray::fromBase64(
                       exported.toObject().value(QStringLiteral("base64")).toString().toLatin1()) ==
                       bytes,
                   "the base64 export loses bytes");
        break;
    }

    for (const ContentFormat shownAs :
         {format, ContentFormat::Text, ContentFormat::Binary, ContentFormat::Pickle}) {
        for (const qsizetype budget : {qsizetype(64), qsizetype(4096)}) {
            const QString shown =
                qs::jobs::displayText({QStringLiteral("Data"), bytes, shownAs, {}}, budget);
            // The budget, plus the one line saying what was left out.
            FUZZ_CHECK(shown.size() <= budget + 80,
                       QStringLiteral("%1 characters shown for a budget of %2")
                           .arg(shown.size())
                           .arg(budget));
        }
    }
}

void checkTimes(const QByteArray &bytes)
{
    for (const bool seconds : {false, true}) {
        const qint64 ms = qs::jobs::millisFromNumber(bytes, seconds);
        FUZZ_CHECK(ms >= -1,
                   QStringLiteral("millisFromNumber(%1) = %2").arg(preview(bytes)).arg(ms));
    }
    qs::jobs::millisFromIso(bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = qs::fuzz::bytesOf(data, size);
    checkInflate(bytes);
    checkFormat(bytes);
    checkTimes(bytes.left(64));
    return 0;
}
