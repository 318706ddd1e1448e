#pragma once

// Shared by the real-framework queue tests (BullMQ/Bull, Celery, RQ, Sidekiq): a read-only
// monitor user, discovery and counting through the adapters the way the poller does them, and
// which commands a round sent (INFO commandstats), so a test can show that counting writes
// nothing.

#include "connectionwait.h"
#include "frameworkfixture.h"
#include "redisserver.h"

#include "queues/queueadapter.h"
#include "redis/redisconnection.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>

namespace qs::test {

using Adapters = QList<std::shared_ptr<const queues::QueueAdapter>>;

// A server with the ACL user "monitor" that may only read, and a profile of that user.
RedisServerOptions readOnlyMonitorOptions();
core::ConnectionProfile readOnlyMonitorProfile(const RedisServer &server);

// What a real-framework test starts from: a server with the read-only monitor user, a fixture
// script's jobs in it (the script still running) and the monitor's connection.
struct FrameworkRun
{
    // Starts the server, `program tests/queues/<script> --url ... <options> --queues ...` and
    // connects as the monitor; false and the error when a step failed.
    bool start(const QString &program, const QString &script, const QStringList &options,
               const QList<QByteArray> &queues, QString *error);
    QString url() const;

    RedisServer server{readOnlyMonitorOptions()};
    std::unique_ptr<FrameworkFixture> fixture;
    std::unique_ptr<redis::RedisConnection> monitor;
};

// One full discovery pass (30 s at the most); error set when it did not finish cleanly.
QList<queues::QueueRef> discover(redis::RedisConnection &connection, const Adapters &adapters,
                                 QString *error);
QSet<QByteArray> namesOf(const QList<queues::QueueRef> &refs);
// "framework/name", sorted: "bull/legacy", "bullmq/emails".
QStringList qualifiedNames(const QList<queues::QueueRef> &refs);

struct CountRound
{
    QList<queues::QueueCounts> queues; // in the order of the refs
    queues::ServerCounts server;
    QString error; // transport failure
};

// Counts every queue (with the adapter of its framework) in ONE pipeline, as the poller does,
// with the details of every queue (a second pipeline for the reads that depend on the first).
// The server-wide states are read too when there is one adapter.
CountRound countAll(redis::RedisConnection &connection, const Adapters &adapters,
                    const QList<queues::QueueRef> &refs, const queues::ServerCounts &previous = {});

// Calls per command from INFO commandstats ("llen", "client|setname", ...).
QHash<QString, qint64> commandCalls(redis::RedisConnection &admin);

struct CommandUse
{
    QStringList grown;  // the commands whose call counts grew, sorted
    QStringList writes; // of those, the ones Redis flags "write" (or whose flags did not read)
    QString error;      // what went wrong around them (no admin connection, a failed round)
};

// The commands `round` made the server run (read through `admin`, whose own INFO calls count).
CommandUse commandsUsedBy(redis::RedisConnection &admin, const std::function<void()> &round);

// The commands one countAll() round on `monitor` made `server` run (read through a connection
// of the server's default user).
CommandUse commandsOfCounting(const RedisServer &server, redis::RedisConnection &monitor,
                              const Adapters &adapters, const QList<queues::QueueRef> &refs,
                              const queues::ServerCounts &previous = {});

} // namespace qs::test
