#include "bullconnectionname.h"

#include <QCoreApplication>
#include <QStringDecoder>

namespace qs::queues {

namespace {

// The queue name inside "<prefix>:<base64>", when the part after the last ':' is one.
std::optional<QByteArray> decodedQueue(const QByteArray &core, QByteArray *prefix)
{
    const qsizetype colon = core.lastIndexOf(':');
    if (colon <= 0)
        return std::nullopt;
    const QByteArray encoded = core.mid(colon + 1);
    if (encoded.isEmpty() || encoded.size() % 4 != 0) // Buffer#toString('base64') pads
        return std::nullopt;
    const auto decoded =
        QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(decoded.decoded);
    if (utf8.hasError())
        return std::nullopt;
    for (const QChar c : text) {
        if (!c.isPrint())
            return std::nullopt;
    }
    *prefix = core.left(colon);
    return decoded.decoded;
}

} // namespace

std::optional<BullConnectionName> parseBullConnectionName(const QByteArray &name)
{
    BullConnectionName parsed;
    if (name.endsWith(":qe")) {
        parsed.role = BullConnectionName::Role::QueueEvents;
        if (const auto queue = decodedQueue(name.chopped(3), &parsed.prefix)) {
            parsed.queue = *queue;
            return parsed;
        }
        return std::nullopt;
    }
    // A worker's own name may contain ':' and even ":w:"; base64 never contains ':'.
    for (qsizetype at = name.indexOf(":w:"); at > 0; at = name.indexOf(":w:", at + 1)) {
        if (const auto queue = decodedQueue(name.left(at), &parsed.prefix)) {
            parsed.queue = *queue;
            parsed.worker = QString::fromUtf8(name.mid(at + 3));
            return parsed;
        }
    }
    if (const auto queue = decodedQueue(name, &parsed.prefix)) {
        parsed.queue = *queue;
        return parsed;
    }
    return std::nullopt;
}

QString readableConnectionName(const QString &name)
{
    const std::optional<BullConnectionName> parsed = parseBullConnectionName(name.toUtf8());
    if (!parsed)
        return name;
    const QString queue =
        QString::fromUtf8(parsed->prefix) + QLatin1Char(':') + QString::fromUtf8(parsed->queue);
    if (parsed->role == BullConnectionName::Role::QueueEvents)
        return QCoreApplication::translate("qs::queues", "%1 · QueueEvents").arg(queue);
    if (parsed->worker.isEmpty())
        return QCoreApplication::translate("qs::queues", "%1 · worker").arg(queue);
    return QCoreApplication::translate("qs::queues", "%1 · worker %2").arg(queue, parsed->worker);
}

std::optional<ConnectionName> readBullConnectionName(const QString &name)
{
    if (!parseBullConnectionName(name.toUtf8()))
        return std::nullopt;
    return ConnectionName{readableConnectionName(name),
                          QCoreApplication::translate(
                              "qs::queues", "BullMQ/Bull: prefix and base64 of the queue name")};
}

} // namespace qs::queues
