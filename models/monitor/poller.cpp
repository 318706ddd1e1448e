#include "poller.h"

#include "clustertick.h"
#include "queuemonitor.h"

#include "redis/infotopology.h"
#include "redis/redisconnection.h"
#include "redis/sentineltopology.h"

#include <QDateTime>

#include <memory>
#include <utility>

namespace qs::monitor {

Poller::Poller(redis::RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Poller::tick);
    // Through Sentinel the sentinels are asked for the replicas and the other sentinels while
    // the connection finds the master; the first poll waits for their answer (with a deadline),
    // so that its topology lists them.
    if (connection->profile().usesSentinel()) {
        m_sentinelView = new redis::SentinelViewReader(connection->profile(), 2'000, this);
        connect(m_sentinelView, &redis::SentinelViewReader::answered, this, [this] {
            if (std::exchange(m_waitingForView, false) && m_running && !m_inFlight) {
                m_timer.stop();
                tick();
            }
        });
        m_sentinelView->refresh();
        m_sinceViewAsked.start();
    }
}

bool Poller::waitsForFirstView()
{
    if (!m_sentinelView || m_sentinelView->hasAnswered())
        return false;
    const qint64 left = firstViewWaitMs - m_sinceViewAsked.elapsed();
    if (left <= 0)
        return false; // the first poll goes without the sentinels' view; a later one has it
    m_waitingForView = true;
    m_timer.start(int(left));
    return true;
}

void Poller::setIntervalMs(int ms)
{
    m_intervalMs = qBound(minIntervalMs, ms, maxIntervalMs);
    if (m_running && !m_inFlight)
        m_timer.start(m_intervalMs);
}

void Poller::setInfoSections(const QList<QByteArray> &sections)
{
    m_sections = sections;
    m_multiSectionInfo = true;
}

void Poller::start()
{
    if (m_running)
        return;
    m_running = true;
    tick();
}

void Poller::stop()
{
    m_running = false;
    m_inFlight = false;
    m_pollAgain = false;
    m_waitingForView = false;
    ++m_generation;
    m_timer.stop();
}

void Poller::pollNow()
{
    if (!m_running)
        return;
    if (m_inFlight) {
        m_pollAgain = true; // that tick's replies may predate what the caller just changed
        return;
    }
    m_timer.stop();
    tick();
}

redis::RedisCommand Poller::infoCommand() const
{
    redis::RedisCommand command{"INFO"};
    if (m_multiSectionInfo)
        command.append(m_sections);
    return command;
}

void Poller::tick()
{
    if (!m_running || m_inFlight || waitsForFirstView())
        return;
    m_waitingForView = false;
    m_tickClock.start();
    if (!m_connection->isConnected()) {
        PollSnapshot gap;
        gap.error = m_connection->status().error;
        if (gap.error.isNone())
            gap.error = {redis::RedisError::Kind::NotConnected, m_connection->status().describe()};
        finishTick(gap);
        return;
    }
    m_inFlight = true;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (m_connection->isCluster()) {
        tickCluster(m_queues ? m_queues->planCounts(nowMs, PlanForm::Commands) : QueueCountPlan{});
        return;
    }
    // A standalone server: the queues' commands as the monitor keeps them, encoded (a poll of
    // 10,000 queues neither builds, copies nor encodes 90,000 commands). The reply's closure
    // keeps only the plan's parts.
    QueueCountPlan plan;
    if (m_queues) {
        plan = m_queues->planCounts(nowMs, PlanForm::Encoded, {infoCommand()});
    } else {
        plan.form = PlanForm::Encoded;
        plan.encoded.append(infoCommand());
    }
    const redis::EncodedCommands commands = std::exchange(plan.encoded, {});
    const quint64 generation = m_generation;
    m_connection->pipeline(
        commands, this,
        [this, generation, plan = std::move(plan),
         count = commands.size()](const redis::PipelineResult &r) {
            if (generation != m_generation)
                return; // stopped (or restarted) since: this reply belongs to an older run
            PollSnapshot snapshot;
            snapshot.cost = {int(count), 1, r.bytesSent, r.bytesReceived, r.elapsedUs / 1000.0};
            if (!r.ok()) {
                snapshot.error = r.error;
            } else if (refusesInfoSections(r.replies.first()) && m_multiSectionInfo) {
                m_multiSectionInfo = false; // Redis < 7: ask again with plain INFO right away
                m_inFlight = false;
                m_timer.start(0);
                return;
            } else if (r.replies.first().isError()) {
                snapshot.error = {redis::RedisError::Kind::Server,
                                  QStringLiteral("INFO failed: %1")
                                      .arg(QString::fromUtf8(r.replies.first().string))};
            } else {
                snapshot.info = redis::parseInfo(r.replies.first().string);
                snapshot.topology = topologyOf(snapshot.info);
                readCounts(std::move(snapshot), plan, r.replies, 1);
                return;
            }
            finishTick(std::move(snapshot));
        });
}

void Poller::tickCluster(const QueueCountPlan &plan)
{
    // One pipeline per node, all at once (clustertick.h).
    auto tick = std::make_shared<const ClusterTick>(
        ClusterTick::plan(m_connection->topology(), infoCommand(), plan.commands));
    const quint64 generation = m_generation;
    m_connection->pipelineOnNodes(
        tick->commands, this, [this, generation, plan, tick](const redis::PipelineResult &r) {
            if (generation != m_generation)
                return;
            ClusterTick::Read read = tick->read(r);
            if (read.infoSyntaxError && m_multiSectionInfo) {
                m_multiSectionInfo = false; // Redis < 7: ask again with plain INFO right away
                m_inFlight = false;
                m_timer.start(0);
                return;
            }
            PollSnapshot snapshot;
            snapshot.cost = {int(tick->commands.size()), r.roundTrips, r.bytesSent, r.bytesReceived,
                             r.elapsedUs / 1000.0};
            snapshot.error = std::move(read.error);
            snapshot.topology = std::move(read.topology);
            if (!snapshot.error.isNone()) {
                finishTick(std::move(snapshot));
                return;
            }
            snapshot.info = std::move(read.info);
            readCounts(std::move(snapshot), plan, r.replies, tick->queueOffset);
        });
}

void Poller::readCounts(PollSnapshot snapshot, const QueueCountPlan &plan,
                        const QList<redis::RedisReply> &replies, qsizetype first)
{
    if (m_queues) {
        QueueCountResult counts = m_queues->readCounts(plan, replies, first);
        if (!counts.followUp.isEmpty()) {
            readFollowUp(std::move(snapshot), std::move(counts));
            return;
        }
        snapshot.queues = std::move(counts.queues);
        snapshot.queueServers = std::move(counts.servers);
    }
    finishTick(std::move(snapshot));
}

void Poller::readFollowUp(PollSnapshot snapshot, QueueCountResult counts)
{
    // A second pipelined step, only on the ticks that read queue details: reads named by the
    // first step's replies (e.g. the hash of the oldest waiting job). Its failure costs those
    // details, not the poll.
    const quint64 generation = m_generation;
    const QList<redis::RedisCommand> commands = counts.followUp;
    m_connection->pipeline(commands, this,
                           [this, generation, snapshot = std::move(snapshot),
                            counts = std::move(counts)](const redis::PipelineResult &r) mutable {
                               if (generation != m_generation)
                                   return;
                               m_queues->readDetailReads(
                                   counts, r.ok() ? r.replies : QList<redis::RedisReply>{});
                               snapshot.cost.commands += int(counts.followUp.size());
                               snapshot.cost.roundTrips += 1;
                               snapshot.cost.bytesSent += r.bytesSent;
                               snapshot.cost.bytesReceived += r.bytesReceived;
                               snapshot.cost.milliseconds += r.elapsedUs / 1000.0;
                               snapshot.queues = std::move(counts.queues);
                               snapshot.queueServers = std::move(counts.servers);
                               finishTick(std::move(snapshot));
                           });
}

void Poller::finishTick(PollSnapshot snapshot)
{
    m_inFlight = false;
    snapshot.timestampMs = QDateTime::currentMSecsSinceEpoch();
    Q_EMIT polled(snapshot);
    if (m_running) { // re-arm: the interval counts from the start of the tick that just ended
        const bool again = std::exchange(m_pollAgain, false);
        m_timer.start(again ? 0 : int(qMax<qint64>(0, m_intervalMs - m_tickClock.elapsed())));
    }
}

redis::Topology Poller::topologyOf(const redis::InfoSnapshot &info)
{
    const core::ConnectionProfile &profile = m_connection->profile();
    if (!profile.usesSentinel())
        return redis::standaloneTopology(info, profile.endpoint());
    // Through Sentinel: the master this connection reached, its replicas and the sentinels.
    return m_sentinelView->topology(info, m_connection->status().sentinelMaster);
}

} // namespace qs::monitor
