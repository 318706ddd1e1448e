#include "celeryevents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace qs::queues::celeryevents {

namespace {

// Timestamps from 2001 to 2286 (epoch seconds): anything else is not a clock reading.
constexpr double minTimestamp = 1e9;
constexpr double maxTimestamp = 1e10;
constexpr double maxFreq = 86'400;
constexpr double maxCount = 9e15; // below 2^53: exact as a double, fits qint64

QString text(const QJsonObject &object, QLatin1StringView key)
{
    return object.value(key).toString();
}

// A number in [low, high], or nullopt (missing, not a number, NaN or out of range).
std::optional<double> number(const QJsonObject &object, QLatin1StringView key, double low,
                             double high)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d < low || d > high)
        return std::nullopt;
    return d;
}

std::optional<qint64> timestampMs(const QJsonObject &event)
{
    const auto seconds = number(event, QLatin1StringView("timestamp"), minTimestamp, maxTimestamp);
    if (!seconds)
        return std::nullopt;
    return qint64(std::llround(*seconds * 1000.0));
}

std::optional<WorkerEvent::Kind> workerKind(const QString &type)
{
    if (type == QLatin1String("worker-heartbeat"))
        return WorkerEvent::Kind::Heartbeat;
    if (type == QLatin1String("worker-online"))
        return WorkerEvent::Kind::Online;
    if (type == QLatin1String("worker-offline"))
        return WorkerEvent::Kind::Offline;
    return std::nullopt;
}

constexpr std::pair<const char *, TaskEvent::Kind> taskKinds[] = {
    {"task-sent", TaskEvent::Kind::Sent},       {"task-received", TaskEvent::Kind::Received},
    {"task-started", TaskEvent::Kind::Started}, {"task-succeeded", TaskEvent::Kind::Succeeded},
    {"task-failed", TaskEvent::Kind::Failed},   {"task-retried", TaskEvent::Kind::Retried},
    {"task-revoked", TaskEvent::Kind::Revoked}, {"task-rejected", TaskEvent::Kind::Rejected},
};

std::optional<TaskEvent::Kind> taskKind(const QString &type)
{
    for (const auto &[name, kind] : taskKinds) {
        if (type == QLatin1String(name))
            return kind;
    }
    return std::nullopt;
}

// One event object; false + why when it is not read.
bool readWorker(const QJsonObject &event, WorkerEvent::Kind kind, WorkerEvents &out, QString *why)
{
    WorkerEvent worker;
    worker.kind = kind;
    worker.hostname = text(event, QLatin1StringView("hostname"));
    const auto timestamp = timestampMs(event);
    if (worker.hostname.isEmpty() || !timestamp) {
        *why = QStringLiteral("a worker event without a hostname or a timestamp");
        return false;
    }
    worker.timestampMs = *timestamp;
    // celery.events.state's Worker: a heartbeat without freq counts with the default 2 s.
    worker.freq = number(event, QLatin1StringView("freq"), 0.001, maxFreq).value_or(2.0);
    worker.active = int(number(event, QLatin1StringView("active"), 0, 1e6).value_or(0));
    worker.processed =
        qint64(number(event, QLatin1StringView("processed"), 0, maxCount).value_or(0));
    for (const QJsonValue &load : event.value(QLatin1StringView("loadavg")).toArray()) {
        if (load.isDouble() && std::isfinite(load.toDouble()) && worker.loadavg.size() < 3)
            worker.loadavg.append(load.toDouble());
    }
    worker.swIdent = text(event, QLatin1StringView("sw_ident"));
    worker.swVersion = text(event, QLatin1StringView("sw_ver"));
    worker.swSystem = text(event, QLatin1StringView("sw_sys"));
    if (const auto pid = number(event, QLatin1StringView("pid"), 1, maxCount))
        worker.pid = qint64(*pid);
    out.workers.append(worker);
    return true;
}

bool readTask(const QJsonObject &event, TaskEvent::Kind kind, WorkerEvents &out, QString *why)
{
    TaskEvent task;
    task.kind = kind;
    task.uuid = text(event, QLatin1StringView("uuid"));
    if (task.uuid.isEmpty()) {
        *why = QStringLiteral("a task event without a task id");
        return false;
    }
    task.hostname = text(event, QLatin1StringView("hostname"));
    task.name = text(event, QLatin1StringView("name"));
    QString queue = text(event, QLatin1StringView("queue"));
    if (queue.isEmpty())
        queue = text(event, QLatin1StringView("routing_key"));
    task.queue = queue.toUtf8();
    task.timestampMs = timestampMs(event).value_or(0);
    out.tasks.append(task);
    return true;
}

void readEvent(const QJsonValue &value, WorkerEvents &out)
{
    const QJsonObject event = value.toObject();
    const QString type = text(event, QLatin1StringView("type"));
    QString why;
    bool read = false;
    if (!value.isObject() || type.isEmpty())
        why = QStringLiteral("an event that is not an object with a type");
    else if (const auto kind = workerKind(type))
        read = readWorker(event, *kind, out, &why);
    else if (const auto kind = taskKind(type))
        read = readTask(event, *kind, out, &why);
    else
        why = QStringLiteral("an event of a type not read (%1)").arg(type.left(40));
    if (!read)
        out.ignored.append(why);
}

// The event JSON inside kombu's envelope, or nullopt + why.
std::optional<QByteArray> eventBody(const QByteArray &payload, QString *why)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        *why = QStringLiteral("a message that is not kombu's JSON envelope");
        return std::nullopt;
    }
    const QJsonObject envelope = document.object();
    const QString contentType = text(envelope, QLatin1StringView("content-type"));
    if (contentType != QLatin1String("application/json")) {
        // Pickle above all: decoding it would run code a publisher chose.
        *why = QStringLiteral("a message of content type \"%1\" (only JSON is read, nothing is "
                              "unpickled)")
                   .arg(contentType.left(60));
        return std::nullopt;
    }
    const QJsonValue body = envelope.value(QLatin1StringView("body"));
    const QString encoding = envelope.value(QLatin1StringView("properties"))
                                 .toObject()
                                 .value(QLatin1StringView("body_encoding"))
                                 .toString();
    if (!body.isString()) {
        *why = QStringLiteral("a message without a body");
        return std::nullopt;
    }
    if (encoding.isEmpty())
        return body.toString().toUtf8();
    if (encoding != QLatin1String("base64")) {
        *why = QStringLiteral("a body encoded as \"%1\"").arg(encoding.left(40));
        return std::nullopt;
    }
    auto decoded = QByteArray::fromBase64Encoding(body.toString().toLatin1(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        *why = QStringLiteral("a body that is not base64");
        return std::nullopt;
    }
    return *decoded;
}

} // namespace

WorkerEvents parseMessage(const QByteArray &payload)
{
    WorkerEvents out;
    QString why;
    const auto body = eventBody(payload, &why);
    if (!body) {
        out.ignored.append(why);
        return out;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*body, &error);
    if (error.error != QJsonParseError::NoError) {
        out.ignored.append(QStringLiteral("a body that is not JSON"));
        return out;
    }
    if (document.isObject()) {
        readEvent(document.object(), out);
        return out;
    }
    const QJsonArray events = document.array();
    if (events.isEmpty())
        out.ignored.append(QStringLiteral("an empty list of events"));
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (i == kMaxEventsPerMessage) {
            out.ignored.append(
                QStringLiteral("%1 more events in one message").arg(events.size() - i));
            break;
        }
        readEvent(events.at(i), out);
    }
    return out;
}

QByteArray channelPattern(const QByteArray &globalKeyPrefix, int db)
{
    QByteArray pattern;
    for (const char c : globalKeyPrefix) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            pattern.append('\\');
        pattern.append(c);
    }
    return pattern + '/' + QByteArray::number(db) + ".celeryev/*";
}

QString taskEventName(TaskEvent::Kind kind)
{
    for (const auto &[name, k] : taskKinds) {
        if (k == kind)
            return QString::fromLatin1(name);
    }
    return {};
}

} // namespace qs::queues::celeryevents
