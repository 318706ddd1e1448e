// Replies to a pidbox broadcast (celerypidbox::parseReply): what any client that can LPUSH to
// QueueScope's reply list, or a worker, hands a ping. Input: one byte, then either the reply
// list's element itself (even byte) or a reply body that the harness wraps in kombu's envelope
// with the ping's ticket (odd byte: reaches the body reader at once). Properties: a reply is read
// (a worker name of 1 to 1,024 characters, an answer of at most 200) or refused with a reason,
// never both, never silently; the same body under another ticket or a content type other than
// JSON is refused (a pickle is never decoded); the parse is deterministic.
#include "frameworks/celery/celerypidbox.h"
#include "fuzzcheck.h"

#include <QJsonDocument>
#include <QJsonObject>

using qs::fuzz::preview;
using namespace qs::queues;

namespace {

const QByteArray kTicket = "0af4878f-2967-4459-b243-2446d7d51e9d";

QByteArray envelope(const QByteArray &body, const QString &contentType, const QByteArray &ticket)
{
    const QJsonObject message{
        {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
        {QStringLiteral("content-encoding"), QStringLiteral("utf-8")},
        {QStringLiteral("content-type"), contentType},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("ticket"), QString::fromLatin1(ticket)},
                     {QStringLiteral("clock"), 3}}},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("body_encoding"), QStringLiteral("base64")}}}};
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QString summary(const std::optional<celerypidbox::Reply> &reply, const QString &why)
{
    return reply ? QStringLiteral("%1 %2 %3").arg(reply->hostname, reply->answer).arg(reply->ok)
                 : QStringLiteral("refused: ") + why;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray rest = qs::fuzz::bytesOf(data + 1, size - 1);
    const bool wrap = data[0] & 1;
    const QByteArray payload =
        wrap ? envelope(rest, QStringLiteral("application/json"), kTicket) : rest;

    QString why;
    const auto reply = celerypidbox::parseReply(payload, kTicket, &why);
    FUZZ_CHECK(reply.has_value() == why.isEmpty(), preview(payload));
    if (reply) {
        FUZZ_CHECK(!reply->hostname.isEmpty() && reply->hostname.size() <= 1024, preview(payload));
        FUZZ_CHECK(reply->answer.size() <= 200, preview(payload));
    }
    QString whyAgain;
    const auto again = celerypidbox::parseReply(payload, kTicket, &whyAgain);
    FUZZ_CHECK(summary(again, whyAgain) == summary(reply, why), preview(payload));

    if (wrap) {
        QString other;
        FUZZ_CHECK(!celerypidbox::parseReply(
                       envelope(rest, QStringLiteral("application/json"), "another-ticket"),
                       kTicket, &other),
                   QStringLiteral("a reply to another ticket was read: %1").arg(preview(rest)));
        FUZZ_CHECK(!celerypidbox::parseReply(
                       envelope(rest, QStringLiteral("application/x-python-serialize"), kTicket),
                       kTicket, &other),
                   QStringLiteral("a non-JSON reply was read: %1").arg(preview(rest)));
    }
    return 0;
}
