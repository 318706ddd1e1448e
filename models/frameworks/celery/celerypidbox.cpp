#include "celerypidbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace qs::queues::celerypidbox {

namespace {

const QByteArray kSep("\x06\x16");
constexpr qsizetype kMaxHostname = 1024;
constexpr qsizetype kMaxAnswer = 200;
const QByteArray kPriorityLists[] = {"3", "6", "9"}; // kombu's default priority_steps but 0

QByteArray uuid()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

} // namespace

QByteArray envelope(const QByteArray &body, const QByteArray &exchange, qint64 expiresAtMs)
{
    QJsonObject headers{{QStringLiteral("clock"), 1}};
    if (expiresAtMs > 0)
        headers.insert(QStringLiteral("expires"), double(expiresAtMs) / 1000.0);
    const QJsonObject message{
        {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
        {QStringLiteral("content-encoding"), QStringLiteral("utf-8")},
        {QStringLiteral("content-type"), QStringLiteral("application/json")},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("delivery_mode"), 2},
                     {QStringLiteral("delivery_info"),
                      QJsonObject{{QStringLiteral("exchange"), QString::fromUtf8(exchange)},
                                  {QStringLiteral("routing_key"), QString()}}},
                     {QStringLiteral("priority"), 0},
                     {QStringLiteral("body_encoding"), QStringLiteral("base64")},
                     {QStringLiteral("delivery_tag"), QString::fromLatin1(uuid())}}},
    };
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QByteArray channel(const QByteArray &prefix, int db)
{
    return prefix + '/' + QByteArray::number(db) + ".celery.pidbox";
}

Broadcast makeBroadcast(const QByteArray &prefix, int db, const QByteArray &method,
                        qint64 expiresAtMs)
{
    Broadcast broadcast;
    broadcast.oid = uuid();
    broadcast.ticket = uuid();
    const QByteArray queue = broadcast.oid + ".reply.celery.pidbox";
    broadcast.bindingKey = prefix + "_kombu.binding.reply.celery.pidbox";
    broadcast.bindingMember = broadcast.oid + kSep + kSep + queue;
    broadcast.replyQueue = prefix + queue;
    broadcast.channel = channel(prefix, db);
    const QJsonObject body{
        {QStringLiteral("method"), QString::fromUtf8(method)},
        {QStringLiteral("arguments"), QJsonObject()},
        {QStringLiteral("destination"), QJsonValue::Null},
        {QStringLiteral("pattern"), QJsonValue::Null},
        {QStringLiteral("matcher"), QJsonValue::Null},
        {QStringLiteral("ticket"), QString::fromLatin1(broadcast.ticket)},
        {QStringLiteral("reply_to"),
         QJsonObject{{QStringLiteral("exchange"), QStringLiteral("reply.celery.pidbox")},
                     {QStringLiteral("routing_key"), QString::fromLatin1(broadcast.oid)}}},
    };
    broadcast.message =
        envelope(QJsonDocument(body).toJson(QJsonDocument::Compact), "celery.pidbox", expiresAtMs);
    return broadcast;
}

QList<redis::RedisCommand> bindAndPublish(const Broadcast &broadcast)
{
    return {{"SADD", broadcast.bindingKey, broadcast.bindingMember},
            {"PUBLISH", broadcast.channel, broadcast.message}};
}

redis::RedisCommand collect(const Broadcast &broadcast, const QByteArray &timeout)
{
    redis::RedisCommand command{"BRPOP", broadcast.replyQueue};
    for (const QByteArray &priority : kPriorityLists)
        command.append(broadcast.replyQueue + kSep + priority);
    command.append(timeout);
    return command;
}

QList<redis::RedisCommand> unbind(const Broadcast &broadcast)
{
    redis::RedisCommand remove{"DEL", broadcast.replyQueue};
    for (const QByteArray &priority : kPriorityLists)
        remove.append(broadcast.replyQueue + kSep + priority);
    return {{"SREM", broadcast.bindingKey, broadcast.bindingMember}, remove};
}

std::optional<Reply> parseReply(const QByteArray &payload, const QByteArray &ticket, QString *why)
{
    const QJsonObject message = QJsonDocument::fromJson(payload).object();
    const QJsonObject headers = message.value(QLatin1String("headers")).toObject();
    if (message.isEmpty()) {
        *why = QStringLiteral("a reply that is not kombu's JSON envelope");
        return std::nullopt;
    }
    if (headers.value(QLatin1String("ticket")).toString().toLatin1() != ticket) {
        *why = QStringLiteral("a reply to another broadcast");
        return std::nullopt;
    }
    if (message.value(QLatin1String("content-type")).toString() !=
        QLatin1String("application/json")) {
        *why = QStringLiteral("a reply that is not JSON (%1)")
                   .arg(message.value(QLatin1String("content-type")).toString().left(40));
        return std::nullopt;
    }
    const QByteArray encoded = message.value(QLatin1String("body")).toString().toLatin1();
    const auto decoded =
        QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    const QJsonObject body = QJsonDocument::fromJson(decoded ? *decoded : encoded).object();
    if (body.size() != 1 || body.begin().key().isEmpty() ||
        body.begin().key().size() > kMaxHostname) {
        *why = QStringLiteral("a reply without one worker's name");
        return std::nullopt;
    }
    Reply reply;
    reply.hostname = body.begin().key();
    const QJsonObject answer = body.begin().value().toObject();
    reply.ok = answer.contains(QLatin1String("ok"));
    const QJsonValue value = answer.value(reply.ok ? QLatin1String("ok") : QLatin1String("error"));
    reply.answer =
        value.isString()
            ? value.toString()
            : QString::fromUtf8(QJsonDocument(QJsonObject(answer)).toJson(QJsonDocument::Compact));
    reply.answer.truncate(kMaxAnswer);
    return reply;
}

} // namespace qs::queues::celerypidbox
