#include "celerymessages.h"

#include "celerypidbox.h"

#include "queues/jsonedit.h"

#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace qs::jobs::celerymessages {

namespace {

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QJsonValue nullIfMissing(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isUndefined() ? QJsonValue(QJsonValue::Null) : value;
}

} // namespace

QString pythonRepr(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("None");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::String: {
        QString text = value.toString();
        text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('\''), QStringLiteral("\\'"));
        return QLatin1Char('\'') + text + QLatin1Char('\'');
    }
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << pythonRepr(item);
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case QJsonValue::Object: {
        QStringList items;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            items << pythonRepr(it.key()) + QStringLiteral(": ") + pythonRepr(it.value());
        return QLatin1Char('{') + items.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    case QJsonValue::Double:
        return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    }
    return {};
}

QString argsRepr(const QJsonValue &args)
{
    QStringList items;
    for (const QJsonValue &item : args.toArray())
        items << pythonRepr(item);
    return QLatin1Char('(') + items.join(QStringLiteral(", ")) +
           (items.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

std::optional<QByteArray> rerunMessage(const QByteArray &meta, const QByteArray &queue,
                                       QString *why)
{
    const QJsonObject result = QJsonDocument::fromJson(meta).object();
    if (result.isEmpty()) {
        *why = QStringLiteral("no stored result");
        return std::nullopt;
    }
    if (result.value(QLatin1String("status")).toString() != QLatin1String("FAILURE")) {
        *why = QStringLiteral("status is %1, not FAILURE")
                   .arg(result.value(QLatin1String("status")).toString());
        return std::nullopt;
    }
    const std::optional<QByteArray> args = jsonedit::topLevelValue(meta, "args");
    const std::optional<QByteArray> kwargs = jsonedit::topLevelValue(meta, "kwargs");
    if (!result.contains(QLatin1String("name")) || !args || !kwargs || *args == "null" ||
        *kwargs == "null") {
        *why = QStringLiteral("the result has no task name and arguments (the app needs "
                              "result_extended=True)");
        return std::nullopt;
    }
    const QString taskId = result.value(QLatin1String("task_id")).toString();
    const QByteArray body =
        '[' + *args + ", " + *kwargs +
        R"(, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}])";
    const QJsonObject headers{
        {QStringLiteral("lang"), QStringLiteral("py")},
        {QStringLiteral("task"), result.value(QLatin1String("name"))},
        {QStringLiteral("id"), taskId},
        {QStringLiteral("shadow"), QJsonValue::Null},
        {QStringLiteral("eta"), QJsonValue::Null},
        {QStringLiteral("expires"), QJsonValue::Null},
        {QStringLiteral("group"), nullIfMissing(result, "group_id")},
        {QStringLiteral("group_index"), QJsonValue::Null},
        {QStringLiteral("retries"), 0},
        {QStringLiteral("timelimit"), QJsonArray{QJsonValue::Null, QJsonValue::Null}},
        {QStringLiteral("root_id"), taskId},
        {QStringLiteral("parent_id"), nullIfMissing(result, "parent_id")},
        {QStringLiteral("argsrepr"), argsRepr(result.value(QLatin1String("args")))},
        {QStringLiteral("kwargsrepr"), pythonRepr(result.value(QLatin1String("kwargs")))},
        {QStringLiteral("origin"), QStringLiteral("queuescope@") + QHostInfo::localHostName()},
        {QStringLiteral("ignore_result"), false},
    };
    const QJsonObject properties{
        {QStringLiteral("correlation_id"), taskId},
        {QStringLiteral("reply_to"), QString()},
        {QStringLiteral("delivery_mode"), 2},
        {QStringLiteral("delivery_info"),
         QJsonObject{{QStringLiteral("exchange"), QString()},
                     {QStringLiteral("routing_key"), QString::fromUtf8(queue)}}},
        {QStringLiteral("priority"), 0},
        {QStringLiteral("body_encoding"), QStringLiteral("base64")},
        {QStringLiteral("delivery_tag"), uuid()},
    };
    const QJsonObject message{
        {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
        {QStringLiteral("content-encoding"), QStringLiteral("utf-8")},
        {QStringLiteral("content-type"), QStringLiteral("application/json")},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("properties"), properties},
    };
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

std::optional<Delivery> readDelivery(const QByteArray &unackedValue)
{
    const QJsonArray triple = QJsonDocument::fromJson(unackedValue).array();
    if (triple.size() != 3 || !triple.at(0).isObject())
        return std::nullopt;
    QJsonObject message = triple.at(0).toObject();
    QJsonObject headers = message.value(QLatin1String("headers")).toObject();
    QJsonObject properties = message.value(QLatin1String("properties")).toObject();
    QJsonObject info = properties.value(QLatin1String("delivery_info")).toObject();
    Delivery delivery;
    delivery.taskId = headers.value(QLatin1String("id")).toString().toUtf8();
    delivery.exchange = triple.at(1).toString().toUtf8();
    delivery.routingKey = triple.at(2).toString().toUtf8();
    // kombu Channel._do_restore_message
    headers.insert(QStringLiteral("redelivered"), true);
    info.insert(QStringLiteral("redelivered"), true);
    properties.insert(QStringLiteral("delivery_info"), info);
    message.insert(QStringLiteral("headers"), headers);
    message.insert(QStringLiteral("properties"), properties);
    delivery.restored = QJsonDocument(message).toJson(QJsonDocument::Compact);
    return delivery;
}

QByteArray pidboxChannel(const QByteArray &prefix, int db)
{
    return queues::celerypidbox::channel(prefix, db);
}

QByteArray livenessProbe()
{
    const QByteArray body =
        R"({"method": "ping", "arguments": {}, "destination": ["queuescope-probe@nowhere"], "pattern": null, "matcher": null})";
    return queues::celerypidbox::envelope(body, "celery.pidbox", 0);
}

} // namespace qs::jobs::celerymessages
