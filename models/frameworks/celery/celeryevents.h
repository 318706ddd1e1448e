#pragma once

#include "queues/workerevents.h"

// Celery's event stream as the Redis transport publishes it (kombu fanout on
// `<global_keyprefix>/<db>.celeryev/<routing key>`): each message is kombu's JSON envelope
// {body, content-encoding, content-type, headers, properties} whose body is base64 of the event
// JSON, or of a JSON list of events (`task.multi`: the worker buffers task events). Sans-I/O:
// bytes in, events out. Only JSON is read; a pickled (or any other) body is never decoded.
namespace qs::queues::celeryevents {

// At most this many events are read from one message (a worker sends up to 24 at once).
constexpr qsizetype kMaxEventsPerMessage = 1000;

// One published message (a pmessage payload).
WorkerEvents parseMessage(const QByteArray &payload);

// The pattern of the event channels of database `db`, with kombu's global_keyprefix
// ("" by default): "/0.celeryev/*".
QByteArray channelPattern(const QByteArray &globalKeyPrefix, int db);

QString taskEventName(TaskEvent::Kind kind); // "task-started"

} // namespace qs::queues::celeryevents
