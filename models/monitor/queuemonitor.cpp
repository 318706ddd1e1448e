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

// A queue's detail commands as `adapter` builds them, cut in two: those kept as they are, then
// those that carry the clock (which come last and are set to each tick's clock).
struct SplitDetails
{
    QList<redis::RedisCommand> fixed;
    QList<redis::RedisCommand> clocked;
};
SplitDetails splitDetails(const queues::QueueAdapter &adapter, const queues::QueueRef &queue,
                          qint64 nowMs)
{
    QList<redis::RedisCommand> built = adapter.detailCommands(queue, nowMs);
    const qsizetype fixed = qMax<qsizetype>(0, built.size() - adapter.clockedDetailCommands());
    SplitDetails split{{}, built.mid(fixed)};
    built.resize(fixed);
    split.fixed = std::move(built);
    return split;
}

// Whether `shape` with `name` filled in writes exactly `commands` (the shape is used for a queue
// only then).
bool shapeGives(const redis::EncodedTemplate *shape, const redis::EncodedCommands &commands,
                QByteArrayView name)
{
    return shape && shape->size() == commands.size() &&
           shape->filledIn(name).bytes() == commands.bytes();
}

// The queue a shape is built for: its name is bytes no queue name holds, so where they land in
// the commands is where a name goes.
QByteArray placeholderName()
{
    static const QByteArray placeholder = QByteArrayLiteral("\x1f\x1equeuescope-name\x1e\x1f");
    return placeholder;
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
            [this](const QList<queues::QueueRef> &found, const QStringList &ids) {
                m_queues.append(found);
                m_queueIds.append(ids);
                m_countCache.clear();
                // Sorted by id, with the ids discovery built (a comparator building both ids
                // made some 30 million strings while 10,000 queues arrived in 100 batches).
                QList<std::pair<QString, queues::QueueRef>> byId;
                byId.reserve(m_queues.size());
                for (qsizetype i = 0; i < m_queues.size(); ++i)
                    byId.append({m_queueIds.at(i), m_queues.at(i)});
                std::sort(byId.begin(), byId.end(),
                          [](const auto &a, const auto &b) { return a.first < b.first; });
                for (qsizetype i = 0; i < byId.size(); ++i) {
                    m_queueIds[i] = std::move(byId[i].first);
                    m_queues[i] = std::move(byId[i].second);
                }
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
    if (wanted == PlanForm::Commands) {
        kept = built;
        return;
    }
    redis::EncodedCommands mine(built);
    // The shape is kept only where it writes exactly what this queue's commands are.
    if (shapeGives(shape.get(), mine, name)) {
        kept = shape;
        return;
    }
    mine.squeeze(); // kept as long as the queue is watched: 10,000 queues on a big server
    kept = std::make_shared<const redis::EncodedCommands>(std::move(mine));
}

qsizetype QueueMonitor::KeptCommands::size() const
{
    if (const auto *commands = std::get_if<QList<redis::RedisCommand>>(&kept))
        return commands->size();
    if (const auto *shape = std::get_if<std::shared_ptr<const redis::EncodedTemplate>>(&kept))
        return (*shape)->size();
    if (const auto *own = std::get_if<std::shared_ptr<const redis::EncodedCommands>>(&kept))
        return (*own)->size();
    return 0;
}

void QueueMonitor::KeptCommands::appendTo(QueueCountPlan &plan, QByteArrayView name) const
{
    if (const auto *commands = std::get_if<QList<redis::RedisCommand>>(&kept))
        plan.commands.append(*commands);
    else if (const auto *shape = std::get_if<std::shared_ptr<const redis::EncodedTemplate>>(&kept))
        plan.encoded.append(**shape, name);
    else if (const auto *own = std::get_if<std::shared_ptr<const redis::EncodedCommands>>(&kept))
        plan.encoded.append(**own);
}

CommandShapes CommandShapes::of(const queues::QueueAdapter &adapter, const QByteArray &prefix,
                                qint64 nowMs)
{
    const QByteArray placeholder = placeholderName();
    const queues::QueueRef queue{adapter.framework(), prefix, placeholder};
    CommandShapes shapes;
    if (!adapter.countsUseClock())
        shapes.counts = std::make_shared<const redis::EncodedTemplate>(
            adapter.countCommands(queue, nowMs), placeholder);
    shapes.details = std::make_shared<const redis::EncodedTemplate>(
        splitDetails(adapter, queue, nowMs).fixed, placeholder);
    return shapes;
}

std::shared_ptr<const redis::EncodedTemplate>
CommandShapes::clockedDetailsOf(const queues::QueueAdapter &adapter, const QByteArray &prefix,
                                qint64 nowMs)
{
    if (adapter.clockedDetailCommands() == 0)
        return nullptr;
    const QByteArray placeholder = placeholderName();
    return std::make_shared<const redis::EncodedTemplate>(
        splitDetails(adapter, {adapter.framework(), prefix, placeholder}, nowMs).clocked,
        placeholder);
}

const redis::EncodedTemplate *QueueMonitor::clockedShapeFor(int adapter, const QByteArray &prefix,
                                                            qint64 nowMs) const
{
    ClockedShape &clocked = m_clockedShapes[{adapter, prefix}];
    if (!clocked.shape || clocked.nowMs != nowMs)
        clocked = {nowMs, CommandShapes::clockedDetailsOf(*m_adapters.at(adapter), prefix, nowMs)};
    return clocked.shape.get();
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
    const bool encoded = plan.form == PlanForm::Encoded;
    if (!cached.details.isBuilt(plan.form)) {
        SplitDetails built = splitDetails(adapter, queue, plan.nowMs);
        const redis::EncodedTemplate *clockedShape =
            encoded && !built.clocked.isEmpty()
                ? clockedShapeFor(cached.adapter, queue.prefix, plan.nowMs)
                : nullptr;
        cached.clockedFitsShape =
            clockedShape &&
            shapeGives(clockedShape, redis::EncodedCommands(built.clocked), queue.name);
        cached.clockedDetails =
            cached.clockedFitsShape ? QList<redis::RedisCommand>() : std::move(built.clocked);
        cached.details.keep(built.fixed, plan.form,
                            encoded ? shapesFor(cached.adapter, queue.prefix, plan.nowMs).details
                                    : nullptr,
                            queue.name);
    } else if (!cached.clockedFitsShape) {
        adapter.setDetailsClock(cached.clockedDetails, plan.nowMs);
    }
    cached.details.appendTo(plan, queue.name);
    if (cached.clockedFitsShape)
        plan.encoded.append(*clockedShapeFor(cached.adapter, queue.prefix, plan.nowMs), queue.name);
    else
        appendBuilt(plan, cached.clockedDetails);
}

QueueCountPlan QueueMonitor::planCounts(qint64 nowMs, PlanForm form,
                                        const QList<redis::RedisCommand> &lead) const
{
    if (m_countCache.size() != m_queues.size()) {
        m_countCache.clear();
        m_countCache.reserve(m_queues.size()); // one allocation of the size, not a doubling one
        for (qsizetype i = 0; i < m_queues.size(); ++i) {
            const queues::QueueRef &queue = m_queues.at(i);
            CachedCounts cached;
            cached.id = m_queueIds.at(i); // shared, not built again
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
    const redis::ReplyRun all(replies);
    qsizetype at = first;
    for (const QueueCountPlan::Part &part : plan.parts) {
        const qsizetype size = part.commands + qMax(0, part.details);
        if (replies.size() - at < size)
            break; // a short reply list: the plan no longer matches; drop the rest
        // The counts' replies and the details' apart, read in place.
        const redis::ReplyRun mine = all.mid(at, part.commands);
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
                part.queue, all.mid(detailsAt, part.details), counts, *details);
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
    const redis::ReplyRun all(replies);
    qsizetype at = 0;
    for (const QueueCountResult::FollowUp &part : result.followUpParts) {
        const redis::ReplyRun mine = all.mid(at, part.commands);
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
