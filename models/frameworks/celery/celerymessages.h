#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace qs::jobs::celerymessages {

// What Celery's apply_async would publish to run a FAILURE result again (protocol 2, same task
// id, its args/kwargs copied as raw JSON text from the result: never through doubles). nullopt
// and `why` when the result cannot be re-run (not a FAILURE, or stored without
// result_extended, so no name/arguments).
std::optional<QByteArray> rerunMessage(const QByteArray &meta, const QByteArray &queue,
                                       QString *why);

// An unacked delivery ([message, exchange, routing_key]) re-encoded as kombu restores it:
// headers.redelivered and properties.delivery_info.redelivered set.
struct Delivery
{
    QByteArray taskId;
    QByteArray exchange;
    QByteArray routingKey;
    QByteArray restored; // the message to push back
};
std::optional<Delivery> readDelivery(const QByteArray &unackedValue);

// Python's repr of JSON values, as Celery's argsrepr/kwargsrepr headers show arguments.
QString pythonRepr(const QJsonValue &value);
QString argsRepr(const QJsonValue &args); // a tuple: (1, 2) / (1,) / ()

// The probe that counts live workers: PUBLISH it on pidboxChannel(); every worker receives it
// and drops it silently (addressed to a node no worker has).
QByteArray pidboxChannel(const QByteArray &prefix, int db);
QByteArray livenessProbe();

} // namespace qs::jobs::celerymessages
