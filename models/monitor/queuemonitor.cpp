#include "queuemonitor.h"

#include "frameworks/registry.h"
#include "queues/queuediscovery.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace qs::monitor {

namespace {

std::optional<qint64> waitingOf(const queues::QueueCounts &counts,
                                const queues::QueueAdapter &adapter)
{
    std::optional<qint64> waiting;
    for (const auto &[state, meaning] : adapter.states()) {
        if (meaning != queues::UnifiedState::Waiting)
            continue;
        const std::optional<qint64> n = counts.count(state);
        if (!n)
            return std::nullopt; // a part unread: the sum would be made up
        waiting = waiting.value_or(0) + *n;
    }
    return waiting;
}

// The age of the oldest waiting job from the last details, unless the counts already tell
// (Sidekiq): 0 when nothing waits now, unknown when jobs wait but the last read found none.
void applyDetails(queues::QueueCounts &counts,
                  const std::shared_ptr<const queues::QueueDetails> &details,
                  const queues::QueueAdapter &adapter, qint64 nowMs)
{
    counts.details = details;
    if (counts.oldestWaitingAgeMs)
        return;
    const std::optional<qint64> waiting = waitingOf(counts, adapter);
    if (waiting == 0)
        counts.oldestWaitingAgeMs = 0;
    else if (waiting && details->oldestWaitingSinceMs)
        counts.oldestWaitingAgeMs = qMax<qint64>(0, nowMs - *details->oldestWaitingSinceMs);
}

// How many of a queue's `built` detail commands come before the ones that carry the clock (which
// come last and are set to each tick's clock instead of being kept as they are).
qsizetype fixedDetailCount(const queues::QueueAdapter &adapter, qsizetype built)
{
    return qMax<qsizetype>(0, built - adapter.clockedDetailCommands());
}

// Appends commands built for this tick (a clock's or a server's) in the plan's form.
void appendBuilt(QueueCountPlan &plan, const QList<redis::RedisCommand> &commands)
{
    if (plan.form == PlanForm::Encoded) {
        for (const redis::RedisCommand &command : commands)
            plan.encoded.append(command);
    } else
        plan.commands.append(commands);
}

} // namespace

QueueMonitor::QueueMonitor(redis::RedisConnection *connection,
                           QList<std::shared_ptr<const queues::QueueAdapter>> adapters,
                           QObject *parent)
    : QObject(parent)
    , m_adapters(std::move(adapters))
    , m_discovery(new queues::QueueDiscovery(connection, m_adapters, this))
{
    connect(m_discovery, &queues::QueueDiscovery::queuesFound, this,
            [this](const QList<queues::QueueRef> &found) {
                m_queues.append(found);
                m_countCache.clear();
                // Sorted by id, each id built once: a comparator building both ids made some
                // 30 million strings while 10,000 queues arrived in 100 batches.
                QList<std::pair<QString, queues::QueueRef>> byId;
                byId.reserve(m_queues.size());
                for (const queues::QueueRef &queue : std::as_const(m_queues))
                    byId.append({queue.id(), queue});
                std::sort(byId.begin(), byId.end(),
                          [](const auto &a, const auto &b) { return a.first < b.first; });
                for (qsizetype i = 0; i < byId.size(); ++i)
                    m_queues[i] = std::move(byId[i].second);
                Q_EMIT queuesChanged();
            });
    connect(m_discovery, &queues::QueueDiscovery::finished, this, &QueueMonitor::discoveryFinished);
}

QueueMonitor::~QueueMonitor() = default;

QList<std::shared_ptr<const queues::QueueAdapter>> QueueMonitor::defaultAdapters()
{
    return frameworks::adaptersFor({});
}

void QueueMonitor::discover()
{
    m_discovery->start();
}

int QueueMonitor::lastScanCalls() const
{
    return m_discovery->scanCalls();
}

int QueueMonitor::rediscoveryDelayMs() const
{
    return qBound(30'000, lastScanCalls() * 200, 600'000);
}

bool QueueMonitor::isDiscovering() const
{
    return m_discovery->isRunning();
}

const queues::QueueAdapter *QueueMonitor::adapterFor(queues::Framework framework) const
{
    for (const auto &adapter : m_adapters) {
        if (adapter->framework() == framework)
            return adapter.get();
    }
    return nullptr;
}

void QueueMonitor::KeptCommands::keep(const QList<redis::RedisCommand> &built, PlanForm wanted,
                                      const std::shared_ptr<const redis::EncodedTemplate> &shape,
                                      QByteArrayView name)
{
    form = wanted;
    this->built = true;
    commands = wanted == PlanForm::Commands ? built : QList<redis::RedisCommand>();
    encoded = {};
    this->shape.reset();
    if (wanted != PlanForm::Encoded)
        return;
    redis::EncodedCommands mine(built);
    // The shape is kept only where it writes exactly what this queue's commands are.
    if (shape && shape->size() == mine.size() && shape->filledIn(name).bytes() == mine.bytes()) {
        this->shape = shape;
        return;
    }
    encoded = std::move(mine);
    encoded.squeeze(); // kept as long as the queue is watched: 10,000 queues on a big server
}

qsizetype QueueMonitor::KeptCommands::size() const
{
    if (form == PlanForm::Commands)
        return commands.size();
    return shape ? shape->size() : encoded.size();
}

void QueueMonitor::KeptCommands::appendTo(QueueCountPlan &plan, QByteArrayView name) const
{
    if (plan.form == PlanForm::Commands)
        plan.commands.append(commands);
    else if (shape)
        plan.encoded.append(*shape, name);
    else
        plan.encoded.append(encoded);
}

CommandShapes CommandShapes::of(const queues::QueueAdapter &adapter, const QByteArray &prefix,
                                qint64 nowMs)
{
    // Bytes no queue name holds: where they land in the commands is where a name goes.
    static const QByteArray placeholder = QByteArrayLiteral("\x1f\x1equeuescope-name\x1e\x1f");
    const queues::QueueRef queue{adapter.framework(), prefix, placeholder};
    CommandShapes shapes;
    if (!adapter.countsUseClock())
        shapes.counts = std::make_shared<const redis::EncodedTemplate>(
            adapter.countCommands(queue, nowMs), placeholder);
    QList<redis::RedisCommand> details = adapter.detailCommands(queue, nowMs);
    details.resize(fixedDetailCount(adapter, details.size()));
    shapes.details = std::make_shared<const redis::EncodedTemplate>(details, placeholder);
    return shapes;
}

const CommandShapes &QueueMonitor::shapesFor(int adapter, const QByteArray &prefix,
                                             qint64 nowMs) const
{
    const QPair<int, QByteArray> key{adapter, prefix};
    if (const auto found = m_shapes.constFind(key); found != m_shapes.cend())
        return *found;
    return *m_shapes.insert(key, CommandShapes::of(*m_adapters.at(adapter), prefix, nowMs));
}

void QueueMonitor::appendDetails(CachedCounts &cached, const queues::QueueRef &queue,
                                 QueueCountPlan &plan) const
{
    const queues::QueueAdapter &adapter = *m_adapters.at(cached.adapter);
    if (!cached.details.isBuilt(plan.form)) {
        QList<redis::RedisCommand> built = adapter.detailCommands(queue, plan.nowMs);
        const qsizetype fixed = fixedDetailCount(adapter, built.size());
        cached.clockedDetails = built.mid(fixed);
        built.resize(fixed);
        cached.details.keep(built, plan.form,
                            plan.form == PlanForm::Encoded
                                ? shapesFor(cached.adapter, queue.prefix, plan.nowMs).details
                                : nullptr,
                            queue.name);
    } else {
        adapter.setDetailsClock(cached.clockedDetails, plan.nowMs);
    }
    cached.details.appendTo(plan, queue.name);
    appendBuilt(plan, cached.clockedDetails);
}

QueueCountPlan QueueMonitor::planCounts(qint64 nowMs, PlanForm form,
                                        const QList<redis::RedisCommand> &lead) const
{
    if (m_countCache.size() != m_queues.size()) {
        m_countCache.clear();
        for (const queues::QueueRef &queue : m_queues) {
            CachedCounts cached;
            cached.id = queue.id();
            for (int i = 0; i < m_adapters.size() && cached.adapter < 0; ++i) {
                if (m_adapters.at(i)->framework() == queue.framework)
                    cached.adapter = i;
            }
            if (cached.adapter >= 0)
                cached.usesClock = m_adapters.at(cached.adapter)->countsUseClock();
            m_countCache.append(cached);
        }
    }
    QueueCountPlan plan;
    plan.nowMs = nowMs;
    plan.form = form;
    if (form == PlanForm::Encoded) // about as long as the last one: no growing copies
        plan.encoded.reserve(m_lastEncodedBytes);
    appendBuilt(plan, lead);
    const bool detailsDue =
        m_detailsEnabled &&
        (m_lastDetailsMs == 0 || nowMs - m_lastDetailsMs >= qint64(m_detailIntervalMs));
    plan.allDetails = detailsDue;
    for (qsizetype q = 0; q < m_queues.size(); ++q) {
        CachedCounts &cached = m_countCache[q];
        if (cached.adapter < 0)
            continue;
        const queues::QueueAdapter &adapter = *m_adapters.at(cached.adapter);
        const queues::QueueRef &queue = m_queues.at(q);
        int commands = 0;
        if (cached.usesClock) {
            const QList<redis::RedisCommand> built = adapter.countCommands(queue, nowMs);
            appendBuilt(plan, built);
            commands = int(built.size());
        } else {
            if (!cached.counts.isBuilt(form))
                cached.counts.keep(adapter.countCommands(queue, nowMs), form,
                                   form == PlanForm::Encoded
                                       ? shapesFor(cached.adapter, queue.prefix, nowMs).counts
                                       : nullptr,
                                   queue.name);
            cached.counts.appendTo(plan, queue.name);
            commands = int(cached.counts.size());
        }
        QueueCountPlan::Part part{cached.adapter, queue, false, commands, -1, cached.id};
        if (detailsDue || (m_detailsEnabled && !m_details.contains(cached.id))) {
            const qsizetype before = plan.commands.size() + plan.encoded.size();
            appendDetails(cached, queue, plan);
            part.details = int(plan.commands.size() + plan.encoded.size() - before);
        }
        plan.parts.append(part);
    }
    QSet<int> present; // framework-wide reads only for frameworks that have a queue here
    for (const QueueCountPlan::Part &part : plan.parts)
        present.insert(part.adapter);
    for (int i = 0; i < m_adapters.size(); ++i) {
        if (!present.contains(i))
            continue;
        const auto commands = m_adapters.at(i)->serverCountCommands(nowMs, m_lastServer.value(i));
        if (commands.isEmpty())
            continue;
        appendBuilt(plan, commands);
        plan.parts.append({i, {}, true, int(commands.size())});
    }
    m_lastEncodedBytes = qMax(m_lastEncodedBytes, plan.encoded.bytes().size());
    return plan;
}

QueueCountResult QueueMonitor::readCounts(const QueueCountPlan &plan,
                                          const QList<redis::RedisReply> &replies, qsizetype first)
{
    QueueCountResult result;
    result.queues.reserve(plan.parts.size());
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qsizetype at = first;
    for (const QueueCountPlan::Part &part : plan.parts) {
        const qsizetype size = part.commands + qMax(0, part.details);
        if (replies.size() - at < size)
            break; // a short reply list: the plan no longer matches; drop the rest
        // The counts' replies and the details' apart (one copy of each part, not of the whole).
        const QList<redis::RedisReply> mine = replies.mid(at, part.commands);
        const qsizetype detailsAt = at + part.commands;
        at += size;
        const queues::QueueAdapter &adapter = *m_adapters.at(part.adapter);
        if (part.serverWide) {
            queues::ServerCounts counts = adapter.parseServerCounts(mine);
            m_lastServer.insert(part.adapter, counts);
            result.servers.append(counts);
            continue;
        }
        queues::QueueCounts counts = adapter.parseCounts(part.queue, mine);
        const QString &id = part.id;
        counts.id = id;
        if (part.details >= 0) {
            auto details = std::make_shared<queues::QueueDetails>();
            details->readAtMs = plan.nowMs;
            const QList<redis::RedisCommand> reads = adapter.parseDetails(
                part.queue, replies.mid(detailsAt, part.details), counts, *details);
            m_details.insert(id, std::move(details));
            if (!reads.isEmpty()) {
                result.followUp.append(reads);
                result.followUpParts.append({int(result.queues.size()), int(reads.size())});
            }
        }
        if (const auto details = m_details.constFind(id); details != m_details.constEnd())
            applyDetails(counts, *details, adapter, nowMs);
        result.queues.append(std::move(counts));
    }
    if (plan.allDetails)
        m_lastDetailsMs = plan.nowMs;
    return result;
}

void QueueMonitor::readDetailReads(QueueCountResult &result,
                                   const QList<redis::RedisReply> &replies)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qsizetype at = 0;
    for (const QueueCountResult::FollowUp &part : result.followUpParts) {
        const QList<redis::RedisReply> mine = replies.mid(at, part.commands);
        at += part.commands;
        queues::QueueCounts &counts = result.queues[part.queue];
        const queues::QueueAdapter *adapter = adapterFor(counts.queue.framework);
        const auto details = m_details.find(counts.queueId());
        if (!adapter || details == m_details.end())
            continue;
        // A new read, not a change to the one the last polls' counts share.
        auto updated = std::make_shared<queues::QueueDetails>(**details);
        if (mine.size() != part.commands) {
            updated->oldestWaitingWhy = tr("The oldest waiting job could not be read.");
            *details = updated;
            continue;
        }
        adapter->parseDetailReads(counts.queue, mine, *updated);
        *details = updated;
        applyDetails(counts, *details, *adapter, nowMs);
    }
}

} // namespace qs::monitor
