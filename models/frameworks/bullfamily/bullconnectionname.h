#pragma once

#include "queues/frameworkentry.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace qs::queues {

// What the connection name of a BullMQ or Bull client says (CLIENT SETNAME; queue-layouts.md
// "Workers"): "<prefix>:<base64(queue)>" on a worker's blocking connection (BullMQ and Bull),
// "<prefix>:<base64(queue)>:w:<name>" for a BullMQ worker given a name, and
// "<prefix>:<base64(queue)>:qe" for a BullMQ QueueEvents listener (not a worker).
struct BullConnectionName
{
    enum class Role { Worker, QueueEvents };

    QByteArray prefix;
    QByteArray queue; // decoded
    QString worker;   // the worker's name, when it has one
    Role role = Role::Worker;
};

// nullopt for any other name. The queue part must be padded base64 of printable UTF-8, so that
// ordinary names ("app:main") are not taken for encoded ones.
std::optional<BullConnectionName> parseBullConnectionName(const QByteArray &name);

// "bull:emails · worker", "bull:emails · worker mailer-1", "bull:emails · QueueEvents", or the
// name itself when it is not a BullMQ/Bull one.
QString readableConnectionName(const QString &name);
// Both of the above, as the registry hands them out for BullMQ and Bull.
std::optional<ConnectionName> readBullConnectionName(const QString &name);

} // namespace qs::queues
