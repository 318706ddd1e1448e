#pragma once

#include "actionsupport.h"
#include "itemfeed.h"
#include "jobsource.h"
#include "queueadapter.h"
#include "workerevents.h"
#include "workerreader.h"

#include <memory>
#include <optional>

namespace qs::queues {

// What a client's connection name (CLIENT SETNAME) says, for a framework whose clients name
// their connections in a form of their own.
struct ConnectionName
{
    QString readable;    // "bull:emails · worker mailer-1"
    QString explanation; // how the framework makes such names
};

// What one framework brings to QueueScope beyond its id and key (Framework, frameworkName()):
// each framework's folder hands out one (frameworks/<name>/<name>framework.h) and
// frameworks/registry.cpp lists them. Nothing outside the registry asks a framework for these.
struct FrameworkEntry
{
    Framework framework = Framework::BullMQ;
    QString label;            // "BullMQ": tables, legends, totals
    QByteArray defaultPrefix; // the key prefix when none is given ("" = none)
    bool fixedPrefix = false; // the framework has no prefix setting: defaultPrefix always
    std::unique_ptr<QueueAdapter> (*makeAdapter)(const QByteArray &prefix) = nullptr;
    std::unique_ptr<jobs::JobSource> (*makeJobSource)() = nullptr;
    // How the framework supports each action (the action catalog): unsupported with the reason
    // when it does not.
    jobs::ActionSupport (*actionSupport)(jobs::JobAction action) = nullptr;
    // The items of its jobs::Feed::Prepared actions (read and edited client-side); nullptr when
    // no action of the framework has such a feed.
    std::unique_ptr<jobs::ItemFeed> (*makePreparedFeed)(const jobs::ActionSupport &support,
                                                        const jobs::ActionRequest &request,
                                                        int limit, qint64 nowMs) = nullptr;
    // Reads the connection names of the framework's clients; nullopt for any other name.
    // nullptr when the framework's clients do not name their connections.
    std::optional<ConnectionName> (*readConnectionName)(const QString &name) = nullptr;
    // A reader of the framework's workers for one scan (workerreader.h); nullptr when nothing of
    // its workers is read from keys. (Celery's reads only its unacked deliveries: its workers
    // come from its event stream, workerEvents.)
    std::unique_ptr<WorkerReader> (*makeWorkerReader)(const WorkerReader::Context &context) =
        nullptr;
    // What the framework recorded of its own throughput, for the history's backfill: the reads
    // for `owner` (a queue, or an installation when owner.name is empty; none: empty) and what
    // their replies say (one per command, in order). nullptr when it keeps nothing.
    QList<redis::RedisCommand> (*pastThroughputReads)(const QueueRef &owner,
                                                      qint64 nowMs) = nullptr;
    std::optional<PastThroughput> (*readPastThroughput)(const QueueRef &owner,
                                                        const QList<redis::RedisReply> &replies,
                                                        qint64 nowMs) = nullptr;
    // The framework's worker event stream (pub/sub), when its workers announce themselves there
    // (Celery); unset otherwise.
    std::optional<WorkerEventStream> workerEvents;
};

} // namespace qs::queues
