#pragma once

#include "queues/queueadapter.h"
#include "queues/queuecounts.h"
#include "redis/encodedcommands.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <variant>

namespace qs::redis {
class RedisConnection;
}
namespace qs::queues {
class QueueDiscovery;
}

namespace qs::monitor {

// How a plan carries its commands: encoded, written as they are (a standalone server), or as
// commands, which a cluster's router sends to the nodes that own their keys.
enum class PlanForm { Encoded, Commands };

// The commands one poll sends for the queues, and how to read their replies back. Captured when
// the tick is built, so a queue discovered while the poll is in flight cannot shift the replies.
struct QueueCountPlan
{
    struct Part
    {
        int adapter = -1;       // index into the monitor's adapters
        queues::QueueRef queue; // unset for server-wide parts
        bool serverWide = false;
        int commands = 0; // count commands, then
        int details = -1; // this many detail commands; -1: no details this tick
        QString id;       // queue.id(), built once per queue (not per tick)
    };
    PlanForm form = PlanForm::Commands;
    QList<redis::RedisCommand> commands; // PlanForm::Commands
    redis::EncodedCommands encoded;      // PlanForm::Encoded
    QList<Part> parts;
    qint64 nowMs = 0;
    bool allDetails = false; // every queue's details are read this tick
};

struct QueueCountResult
{
    QList<queues::QueueCounts> queues;
    QList<queues::ServerCounts> servers;
    // Reads that depend on this tick's replies (the oldest waiting job's hash, named by an id
    // read here): the poller sends them as a second pipelined step and hands their replies to
    // QueueMonitor::readDetailReads(). Empty on most ticks.
    QList<redis::RedisCommand> followUp;
    struct FollowUp
    {
        int queue = -1; // index into `queues`
        int commands = 0;
    };
    QList<FollowUp> followUpParts;
};

// The count commands and the fixed detail commands (those without the clock) of an adapter's
// queues under one prefix, as shapes the queue's name is filled into (null where the commands
// depend on the clock). QueueMonitor keeps one per framework and prefix instead of each queue's
// commands, for each queue whose commands they give exactly.
struct CommandShapes
{
    std::shared_ptr<const redis::EncodedTemplate> counts;
    std::shared_ptr<const redis::EncodedTemplate> details;

    static CommandShapes of(const queues::QueueAdapter &adapter, const QByteArray &prefix,
                            qint64 nowMs);
    // The detail commands that carry the clock (QueueAdapter::clockedDetailCommands), as a shape
    // for the clock `nowMs`: built once per tick, filled in for each queue. Null where there are
    // none.
    static std::shared_ptr<const redis::EncodedTemplate>
    clockedDetailsOf(const queues::QueueAdapter &adapter, const QByteArray &prefix, qint64 nowMs);
};

// Knows the queues of one server: runs discovery (at start, then on demand) and builds and
// reads the count commands that the Poller adds to its single pipeline.
class QueueMonitor final : public QObject
{
    Q_OBJECT
public:
    QueueMonitor(redis::RedisConnection *connection,
                 QList<std::shared_ptr<const queues::QueueAdapter>> adapters,
                 QObject *parent = nullptr);
    ~QueueMonitor() override;

    // Adapters for every framework with its default prefix ("bull", "rq", Sidekiq without a
    // namespace, Celery without a key prefix).
    static QList<std::shared_ptr<const queues::QueueAdapter>> defaultAdapters();

    void discover(); // a full discovery pass (ignored while one runs)
    bool isDiscovering() const;
    int lastScanCalls() const; // SCAN calls of the last (or current) discovery pass
    // When to look for new queues again after a pass: soon on a small server, rarely on a huge
    // one (1M keys: ~3,000 SCAN calls, ~2.4 s of Redis time). 200 ms per SCAN call of the last
    // pass, between 30 s and 10 min.
    int rediscoveryDelayMs() const;
    QList<queues::QueueRef> queues() const { return m_queues; }
    // Each queue's QueueRef::id(), in the order of queues(): built once, at discovery, and
    // shared (keying on them costs no string of its own).
    const QStringList &queueIds() const { return m_queueIds; }
    const QList<std::shared_ptr<const queues::QueueAdapter>> &adapters() const
    {
        return m_adapters;
    }
    const queues::QueueAdapter *adapterFor(queues::Framework framework) const;

    // The slower reads (QueueAdapter::detailCommands: throughput, oldest waiting) go into the
    // tick of a queue's first count and then into one tick every detailIntervalMs.
    static constexpr int DefaultDetailIntervalMs = 10'000;
    void setDetailIntervalMs(int ms) { m_detailIntervalMs = ms; }
    int detailIntervalMs() const { return m_detailIntervalMs; }
    // Off: counts only, always one round trip (the overview's light probes show no details).
    void setDetailsEnabled(bool enabled) { m_detailsEnabled = enabled; }

    // lead: commands the plan starts with (the poll's own INFO), so that they need no copy of
    // the plan behind them; readCounts() then starts after them.
    QueueCountPlan planCounts(qint64 nowMs, PlanForm form = PlanForm::Commands,
                              const QList<redis::RedisCommand> &lead = {}) const;
    // replies: one per command of the plan, from index `first` on (the poll's own INFO and
    // the like come before them in the same pipeline: no copy of the rest is needed).
    QueueCountResult readCounts(const QueueCountPlan &plan, const QList<redis::RedisReply> &replies,
                                qsizetype first = 0);
    // replies: one per command of result.followUp, in order (fewer when that step failed).
    void readDetailReads(QueueCountResult &result, const QList<redis::RedisReply> &replies);

Q_SIGNALS:
    void queuesChanged();
    void discoveryFinished(const QString &error);

private:
    QList<std::shared_ptr<const queues::QueueAdapter>> m_adapters;
    queues::QueueDiscovery *m_discovery = nullptr;
    QList<queues::QueueRef> m_queues;
    QStringList m_queueIds;                        // each one's id(), same order
    QHash<int, queues::ServerCounts> m_lastServer; // per adapter, for carried hints
    // Per queue id: the last detail reads, shared with the counts of the polls since.
    QHash<QString, std::shared_ptr<const queues::QueueDetails>> m_details;
    qint64 m_lastDetailsMs = 0; // plan time of the last tick that read them all
    int m_detailIntervalMs = DefaultDetailIntervalMs;
    bool m_detailsEnabled = true;
    // Commands kept in the form of the plans that send them (built again when it changes).
    // One of: nothing built yet; the commands (PlanForm::Commands); encoded, the shape of the
    // queue's framework and prefix with its name filled in (kept once per framework and prefix,
    // not per queue) when it gives exactly the commands built, else the queue's own encoded
    // commands. 32 bytes a queue, each form's members not kept beside the one in use.
    struct KeptCommands
    {
        std::variant<std::monostate, QList<redis::RedisCommand>,
                     std::shared_ptr<const redis::EncodedTemplate>,
                     std::shared_ptr<const redis::EncodedCommands>>
            kept;

        bool isBuilt(PlanForm wanted) const
        {
            return wanted == PlanForm::Commands
                       ? std::holds_alternative<QList<redis::RedisCommand>>(kept)
                       : kept.index() >= 2;
        }
        void keep(const QList<redis::RedisCommand> &built, PlanForm wanted,
                  const std::shared_ptr<const redis::EncodedTemplate> &shape, QByteArrayView name);
        qsizetype size() const;
        void appendTo(QueueCountPlan &plan, QByteArrayView name) const;
    };
    const CommandShapes &shapesFor(int adapter, const QByteArray &prefix, qint64 nowMs) const;
    mutable QHash<QPair<int, QByteArray>, CommandShapes> m_shapes;
    // The clocked detail shapes of the latest tick that read details, per adapter and prefix.
    const redis::EncodedTemplate *clockedShapeFor(int adapter, const QByteArray &prefix,
                                                  qint64 nowMs) const;
    struct ClockedShape
    {
        qint64 nowMs = 0;
        std::shared_ptr<const redis::EncodedTemplate> shape;
    };
    mutable QHash<QPair<int, QByteArray>, ClockedShape> m_clockedShapes;
    // Per queue (same order as m_queues): its adapter and, where the commands do not depend on
    // the clock, the commands themselves, kept: a tick appends them instead of building keys.
    struct CachedCounts
    {
        int adapter = -1;
        bool usesClock = false;
        // The detail commands that carry the clock: written from the tick's shape where it gives
        // this queue's exactly, else kept as commands (clockedDetails) and set to each tick's
        // clock (QueueAdapter::setDetailsClock).
        bool clockedFitsShape = false;
        QString id; // the queue's id()
        KeptCommands counts;
        // The other detail commands, built on the first tick that reads them.
        KeptCommands details;
        QList<redis::RedisCommand> clockedDetails;
    };
    void appendDetails(CachedCounts &cached, const queues::QueueRef &queue,
                       QueueCountPlan &plan) const;
    mutable QList<CachedCounts> m_countCache;
    mutable qsizetype m_lastEncodedBytes = 0; // the longest encoded plan (details included)
};

} // namespace qs::monitor
