// Payload decoding without blowing up: JSON recognised without building a document, zlib
// inflated only up to a cap, `job --json` written once per payload, truncation noted.
#include "jobs/jobdetailjson.h"
#include "queues/jsonsyntax.h"
#include "queues/payloadformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace qs::jobs;

namespace {

// qCompress is a 4-byte size followed by a zlib stream: the stream is what RQ stores.
QByteArray zlibStream(const QByteArray &bytes)
{
    if (bytes.isEmpty()) // qCompress writes no zlib stream at all for nothing
        return QByteArray::fromHex("789c030000000001");
    return qCompress(bytes, 9).mid(4);
}

} // namespace

class TestJobDetailJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Like QJsonDocument, except where Qt is lenient and RFC 8259 is not (an unknown escape, a
    // raw control character in a string): stored JSON is written into `job --json` as it is, so
    // it must be JSON that every strict reader (jq, Python) accepts.
    void jsonDocumentsAreRecognisedLikeQJsonDocument_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("onlyQtAccepts");
        QTest::newRow("object") << QByteArray(
                                       " {\"a\": [1, -2.5e3, true, null, \"x\\\"\\u00e9\"]} ")
                                << false;
        QTest::newRow("array") << QByteArray("[[], {}, [{\"k\": {}}]]") << false;
        QTest::newRow("unicode") << QByteArray("{\"name\": \"\xc3\xa9t\xc3\xa9\"}") << false;
        QTest::newRow("scalar") << QByteArray("42") << false;
        QTest::newRow("trailing comma") << QByteArray("[1, 2,]") << false;
        QTest::newRow("missing value") << QByteArray("{\"a\":}") << false;
        QTest::newRow("two documents") << QByteArray("{} {}") << false;
        QTest::newRow("leading zero") << QByteArray("[01]") << false;
        QTest::newRow("bad escape") << QByteArray("[\"\\x\"]") << true;
        QTest::newRow("control in string") << QByteArray("[\"a\x01\"]") << true;
        QTest::newRow("invalid utf-8") << QByteArray("[\"\xff\"]") << false;
        QTest::newRow("unterminated") << QByteArray("{\"a\": [1, 2") << false;
        QTest::newRow("too deep") << QByteArray(2000, '[') + QByteArray(2000, ']') << false;
        QTest::newRow("deep enough") << QByteArray(1000, '[') + QByteArray(1000, ']') << false;
        // Numbers beyond a double: Qt refuses them (jq and Python would read infinity); what Qt
        // refuses is shown as text, never written raw into `job --json` (a fuzzer's finding).
        QTest::newRow("number out of range")
            << QByteArray("{\"delay\":36000E00597060266306}") << false;
        QTest::newRow("negative out of range") << QByteArray("[-1e400]") << false;
        QTest::newRow("tiny number") << QByteArray("[1e-400]") << false;
        QTest::newRow("big integer") << QByteArray("[123456789012345678901234567890]") << false;
        QTest::newRow("big double") << QByteArray("[1.5e308]") << false;
    }

    void jsonDocumentsAreRecognisedLikeQJsonDocument()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, onlyQtAccepts);
        QJsonParseError error;
        QJsonDocument::fromJson(text, &error);
        QCOMPARE(isJsonDocument(text), error.error == QJsonParseError::NoError && !onlyQtAccepts);
        if (onlyQtAccepts)
            QCOMPARE(error.error, QJsonParseError::NoError); // else the row proves nothing
    }

    void inflationStopsAtTheCap()
    {
        const QByteArray text = "Traceback (most recent call last):\n" + QByteArray(5000, 'x');
        QCOMPARE(inflateZlib(zlibStream(text)), std::optional<QByteArray>(text));
        bool truncated = true;
        QCOMPARE(inflateZlib(zlibStream(QByteArray()), 100, &truncated),
                 std::optional(QByteArray()));
        QVERIFY(!truncated);

        const QByteArray bomb = zlibStream(QByteArray(64 * 1024 * 1024, '\0')); // ~64 KB
        const std::optional<QByteArray> capped = inflateZlib(bomb, 1024 * 1024, &truncated);
        QVERIFY(capped && truncated);
        QCOMPARE(capped->size(), 1024 * 1024);
        QVERIFY(!inflateZlib("xnot zlib at all"));
        QVERIFY(!inflateZlib(bomb.left(bomb.size() / 2), 128 * 1024 * 1024)); // cut short
    }

    void detailJsonWritesEachPayloadOnce()
    {
        JobDetail detail;
        detail.summary.id = "7";
        detail.found = true;
        const QByteArray data = "{\"to\": \"a@b.c\", \"big\": 12345678901234567890}";
        const QByteArray binary("\x00\x01\xff", 3);
        detail.fields = {{QStringLiteral("data"), data},
                         {QStringLiteral("name"), "send \"mail\"\n"},
                         {QStringLiteral("blob"), binary}};
        detail.sections = {{QStringLiteral("Data"), data, classifyContent(data), {}}};
        QCOMPARE(detail.sections.first().format, ContentFormat::Json);

        const QByteArray json = jobDetailJson(detail);
        QCOMPARE(json.count("a@b.c"), 1);
        // The stored JSON goes out as stored: a 20-digit integer is not rounded to a double.
        QVERIFY(json.contains("12345678901234567890"));
        const QJsonObject parsed = QJsonDocument::fromJson(json).object();
        const QJsonObject fields = parsed.value(QStringLiteral("fields")).toObject();
        QCOMPARE(fields.value(QStringLiteral("data")).toObject(),
                 QJsonObject({{QStringLiteral("section"), QStringLiteral("Data")}}));
        QCOMPARE(fields.value(QStringLiteral("name")).toString(),
                 QStringLiteral("send \"mail\"\n"));
        QCOMPARE(fields.value(QStringLiteral("blob")).toObject().value(QStringLiteral("base64")),
                 QJsonValue(QString::fromLatin1(binary.toBase64())));
        QCOMPARE(parsed.value(QStringLiteral("sections"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toObject()
                     .value(QStringLiteral("to")),
                 QJsonValue(QStringLiteral("a@b.c")));
        QCOMPARE(detail.toJson(), parsed); // "copy as JSON" is the same document
    }

    void truncatedRepliesAreNoted()
    {
        using qs::redis::RedisReply;
        RedisReply kept = RedisReply::bulk(QByteArray(1000, 'd'));
        kept.truncatedFrom = 5'000'000;
        const QList<RedisReply> replies = {RedisReply::array(
            {RedisReply::bulk("data"), kept, RedisReply::bulk("name"), RedisReply::bulk("n")})};
        JobDetail detail;
        const QList<RedisReply> &hash = replies.first().elements;
        detail.fields = {{QStringLiteral("data"), hash.at(1).string},
                         {QStringLiteral("name"), hash.at(3).string}};
        detail.sections = {{QStringLiteral("Data"), hash.at(1).string, ContentFormat::Text, {}}};
        noteTruncation(detail, replies);
        QCOMPARE(detail.truncatedFields.value(QStringLiteral("data")), 5'000'000);
        QVERIFY(!detail.truncatedFields.contains(QStringLiteral("name")));
        QCOMPARE(
            detail.sections.first().note,
            QStringLiteral("truncated, 5000000 bytes on the server: the first 1000 bytes read"));
        QVERIFY(jobDetailJson(detail).contains("\"truncatedFields\":{\"data\":5000000}"));
    }
};

QTEST_GUILESS_MAIN(TestJobDetailJson)
#include "tst_jobdetailjson.moc"
