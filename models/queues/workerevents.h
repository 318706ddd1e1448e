#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace qs::queues {

// Workers that announce themselves on pub/sub instead of keeping a registry in Redis (Celery's
// event stream): what one published message says. The framework parses (FrameworkEntry::
// workerEvents); monitor/celeryeventwatcher keeps the table.

// worker-online / worker-heartbeat / worker-offline.
struct WorkerEvent
{
    enum class Kind { Online, Heartbeat, Offline };
    Kind kind = Kind::Heartbeat;
    QString hostname;     // "celery@host" (the worker's node name)
    double freq = 2.0;    // seconds between heartbeats (--heartbeat-interval), > 0
    int active = 0;       // tasks running now
    qint64 processed = 0; // tasks received since it started
    QList<double> loadavg;
    QString swIdent; // "py-celery"
    QString swVersion;
    QString swSystem;
    qint64 timestampMs = 0; // when it was sent, epoch ms (the worker's clock)
    std::optional<qint64> pid;
};

// task-sent / received / started / succeeded / failed / retried / revoked / rejected.
struct TaskEvent
{
    enum class Kind { Sent, Received, Started, Succeeded, Failed, Retried, Revoked, Rejected };
    Kind kind = Kind::Received;
    QString uuid;
    QString hostname;       // the worker's node name (the client's for task-sent)
    QString name;           // the task's name, when the event carries it (sent, received)
    QByteArray queue;       // the queue or routing key, when the event carries it
    qint64 timestampMs = 0; // 0 when the event has none
};

struct WorkerEvents
{
    QList<WorkerEvent> workers;
    QList<TaskEvent> tasks;
    // Why a message, or an event in it, was not read (one entry each): the caller counts them.
    QStringList ignored;
};

// How a framework's event stream is read: the channels to PSUBSCRIBE and one message's parse.
struct WorkerEventStream
{
    // The pattern of the event channels for the framework's prefix and database `db`.
    QByteArray (*channelPattern)(const QByteArray &prefix, int db) = nullptr;
    // One published message (sans-I/O).
    WorkerEvents (*parseMessage)(const QByteArray &payload) = nullptr;
};

} // namespace qs::queues
