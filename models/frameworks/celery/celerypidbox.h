#pragma once

#include "redis/redisreply.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// Celery's remote control ("pidbox") on kombu's Redis transport, as `celery inspect ping` drives
// it (kombu 5.2 pidbox.Mailbox._broadcast / _publish / _collect, Redis Channel._queue_bind,
// _put_fanout, _put, queue_delete). Sans-I/O: commands and payloads in, replies out.
//
//  1. Bind a reply queue: SADD <p>_kombu.binding.reply.celery.pidbox
//     "<oid>\x06\x16\x06\x16<oid>.reply.celery.pidbox" (the direct exchange's routing table,
//     which workers read to route their replies).
//  2. Broadcast: PUBLISH <p>/<db>.celery.pidbox <kombu envelope>; the body (base64 JSON)
//     {"method", "arguments", "destination": null, "pattern": null, "matcher": null, "ticket",
//     "reply_to": {"exchange": "reply.celery.pidbox", "routing_key": <oid>}}; headers clock and
//     expires (epoch s: workers drop it later). PUBLISH returns the subscribers reached.
//  3. Collect: each worker LPUSHes {"<hostname>": <reply>} with headers.ticket onto
//     <p><oid>.reply.celery.pidbox; BRPOP it until the deadline.
//  4. Unbind: SREM the member, DEL the reply list and its priority lists (\x06\x16 3, 6, 9).
// <p> is kombu's global_keyprefix ("" by default), on every key and the channel.
namespace qs::queues::celerypidbox {

// At most this many replies are read from one broadcast (a worker answers once).
constexpr int kMaxReplies = 10'000;

struct Broadcast
{
    QByteArray oid;    // the reply routing key (a uuid)
    QByteArray ticket; // matches replies to this broadcast (a uuid)
    QByteArray bindingKey;
    QByteArray bindingMember;
    QByteArray replyQueue;
    QByteArray channel;
    QByteArray message; // what PUBLISH sends
};

// The broadcast of `method` (no arguments) with a reply queue; `expiresAtMs`: when workers stop
// answering it (kombu: now + timeout).
Broadcast makeBroadcast(const QByteArray &prefix, int db, const QByteArray &method,
                        qint64 expiresAtMs);

QList<redis::RedisCommand> bindAndPublish(const Broadcast &broadcast); // SADD, PUBLISH
// BRPOP of the reply list and its priority lists; `timeout` as BRPOP takes it ("0.25").
redis::RedisCommand collect(const Broadcast &broadcast, const QByteArray &timeout);
QList<redis::RedisCommand> unbind(const Broadcast &broadcast); // SREM, DEL

// One reply: the worker and what it answered ("pong" for ping's {"ok": "pong"}, else the reply
// as compact JSON). nullopt and `why` for a reply to another ticket or not kombu's JSON.
struct Reply
{
    QString hostname;
    QString answer;
    bool ok = false; // {"ok": ...}, not {"error": ...}
};
std::optional<Reply> parseReply(const QByteArray &payload, const QByteArray &ticket, QString *why);

// The broadcast channel of database `db`: "<p>/<db>.celery.pidbox".
QByteArray channel(const QByteArray &prefix, int db);

// kombu's JSON envelope around `body` (sent base64), as a producer publishes it on `exchange`.
QByteArray envelope(const QByteArray &body, const QByteArray &exchange, qint64 expiresAtMs);

} // namespace qs::queues::celerypidbox
