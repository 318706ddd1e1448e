// Celery's pidbox as kombu 5.2 drives it (`celery inspect ping`, recorded with MONITOR): the
// broadcast QueueScope publishes, the reply queue it binds and removes, and a worker's reply.
// That real workers answer it is tst_celerystuck's part.
#include "frameworks/celery/celerypidbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace qs::queues;
namespace redis = qs::redis;

namespace {

// A reply of celery 5.2.6 / kombu 5.2.4 to ticket 0af4878f-..., as LPUSHed by worker w1@h.
const QByteArray kReply =
    "{\"body\": \"eyJ3MUBoIjogeyJvayI6ICJwb25nIn19\", \"content-encoding\": \"utf-8\", "
    "\"content-type\": \"application/json\", \"headers\": {\"ticket\": "
    "\"0af4878f-2967-4459-b243-2446d7d51e9d\", \"clock\": 3}, \"properties\": {\"delivery_mode\": "
    "1, \"delivery_info\": {\"exchange\": \"reply.celery.pidbox\", \"routing_key\": "
    "\"53259b97-939d-3eb1-9882-0084d888416d\"}, \"priority\": 0, \"body_encoding\": \"base64\", "
    "\"delivery_tag\": \"a71c2ec1-b927-47c0-a550-2af54a587300\"}}";

} // namespace

class TestCeleryPidbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void broadcastIsKombus()
    {
        const celerypidbox::Broadcast ping =
            celerypidbox::makeBroadcast("app:", 3, "ping", 1'796'535'788'010);
        QCOMPARE(ping.channel, QByteArray("app:/3.celery.pidbox"));
        QCOMPARE(ping.bindingKey, QByteArray("app:_kombu.binding.reply.celery.pidbox"));
        QCOMPARE(ping.bindingMember,
                 ping.oid + "\x06\x16\x06\x16" + ping.oid + ".reply.celery.pidbox");
        QCOMPARE(ping.replyQueue, "app:" + ping.oid + ".reply.celery.pidbox");
        QVERIFY(ping.oid != ping.ticket);

        const QJsonObject message = QJsonDocument::fromJson(ping.message).object();
        QCOMPARE(message.value(QStringLiteral("content-type")).toString(),
                 QStringLiteral("application/json"));
        const QJsonObject headers = message.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("expires")).toDouble(), 1'796'535'788.010);
        const QJsonObject properties = message.value(QStringLiteral("properties")).toObject();
        QCOMPARE(properties.value(QStringLiteral("delivery_info"))
                     .toObject()
                     .value(QStringLiteral("exchange"))
                     .toString(),
                 QStringLiteral("celery.pidbox"));
        const QJsonObject body =
            QJsonDocument::fromJson(
                QByteArray::fromBase64(message.value(QStringLiteral("body")).toString().toLatin1()))
                .object();
        QCOMPARE(body.value(QStringLiteral("method")).toString(), QStringLiteral("ping"));
        QVERIFY(body.value(QStringLiteral("arguments")).toObject().isEmpty());
        QVERIFY(body.value(QStringLiteral("destination")).isNull()); // every worker
        QCOMPARE(body.value(QStringLiteral("ticket")).toString().toLatin1(), ping.ticket);
        const QJsonObject replyTo = body.value(QStringLiteral("reply_to")).toObject();
        QCOMPARE(replyTo.value(QStringLiteral("exchange")).toString(),
                 QStringLiteral("reply.celery.pidbox"));
        QCOMPARE(replyTo.value(QStringLiteral("routing_key")).toString().toLatin1(), ping.oid);
    }

    void commands()
    {
        const celerypidbox::Broadcast ping = celerypidbox::makeBroadcast({}, 0, "ping", 0);
        const QList<redis::RedisCommand> open = celerypidbox::bindAndPublish(ping);
        QCOMPARE(open.size(), 2); // bound before the broadcast: replies have a route
        QCOMPARE(open.at(0), (redis::RedisCommand{"SADD", ping.bindingKey, ping.bindingMember}));
        QCOMPARE(open.at(1), (redis::RedisCommand{"PUBLISH", "/0.celery.pidbox", ping.message}));
        const QByteArray q = ping.replyQueue;
        QCOMPARE(celerypidbox::collect(ping, "0.250"), (redis::RedisCommand{"BRPOP", q,
                                                                            q + "\x06\x16"
                                                                                "3",
                                                                            q + "\x06\x16"
                                                                                "6",
                                                                            q + "\x06\x16"
                                                                                "9",
                                                                            "0.250"}));
        QCOMPARE(celerypidbox::unbind(ping),
                 (QList<redis::RedisCommand>{{"SREM", ping.bindingKey, ping.bindingMember},
                                             {"DEL", q,
                                              q + "\x06\x16"
                                                  "3",
                                              q + "\x06\x16"
                                                  "6",
                                              q + "\x06\x16"
                                                  "9"}}));
    }

    void reply()
    {
        QString why;
        const auto pong =
            celerypidbox::parseReply(kReply, "0af4878f-2967-4459-b243-2446d7d51e9d", &why);
        QVERIFY2(pong, qPrintable(why));
        QCOMPARE(pong->hostname, QStringLiteral("w1@h"));
        QCOMPARE(pong->answer, QStringLiteral("pong"));
        QVERIFY(pong->ok);
        QVERIFY(!celerypidbox::parseReply(kReply, "another-ticket", &why));
        QCOMPARE(why, QStringLiteral("a reply to another broadcast"));
        QVERIFY(!celerypidbox::parseReply("not json", "x", &why));
    }
};

QTEST_GUILESS_MAIN(TestCeleryPidbox)
#include "tst_celerypidbox.moc"
