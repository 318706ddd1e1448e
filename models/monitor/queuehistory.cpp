#include "monitor/queuehistory.h"

#include "monitor/pollsnapshot.h"
#include "monitor/queuemonitor.h"

#include <QSet>

#include <cmath>
#include <limits>

namespace qs::monitor {

namespace {

constexpr double kGap = std::numeric_limits<double>::quiet_NaN();

void add(std::optional<qint64> &sum, qint64 value)
{
    sum = sum.value_or(0) + value;
}

double valueOf(const std::optional<qint64> &value)
{
    return value ? double(*value) : kGap;
}

QueueHistory::Sample gapAt(qint64 timestampMs)
{
    return {timestampMs, kGap, kGap, kGap, kGap, kGap};
}

// Adds one queue (its unknown states already counted as 0) to the server-wide total.
void accumulate(QueueHistory::Sample &total, const QueueHistory::Sample &part)
{
    total.waiting += part.waiting;
    total.active += part.active;
    total.delayed += part.delayed;
    total.failed += part.failed;
    total.completed += part.completed;
}

} // namespace

UnifiedCounts unifiedCounts(const queues::QueueCounts &counts, const queues::QueueAdapter *adapter)
{
    UnifiedCounts unified;
    if (!adapter)
        return unified;
    using queues::UnifiedState;
    for (const auto &[state, meaning] : adapter->states()) {
        const std::optional<qint64> value = counts.count(state);
        if (!value)
            continue;
        switch (meaning) {
        case UnifiedState::Waiting:
            add(unified.waiting, *value);
            break;
        case UnifiedState::Active:
            add(unified.active, *value);
            break;
        case UnifiedState::Delayed:
            add(unified.delayed, *value);
            break;
        case UnifiedState::Prioritized:
            add(unified.prioritized, *value);
            break;
        case UnifiedState::Completed:
            add(unified.completed, *value);
            break;
        case UnifiedState::Failed:
            add(unified.failed, *value);
            break;
        case UnifiedState::Other:
            break;
        }
    }
    return unified;
}

const QueueHistory::Sample &QueueHistory::Series::at(int i) const
{
    return m_samples.at((m_head + i) % m_samples.size());
}

void QueueHistory::Series::append(const Sample &sample, int capacity)
{
    if (m_samples.size() < capacity) {
        m_samples.append(sample);
        return;
    }
    m_samples[m_head] = sample;
    m_head = (m_head + 1) % int(m_samples.size());
}

QueueHistory::QueueHistory(int capacity)
    : m_capacity(qMax(1, capacity))
{
}

void QueueHistory::append(const PollSnapshot &snapshot, const QueueMonitor &monitor)
{
    const qint64 at = snapshot.timestampMs;
    if (!snapshot.ok()) {
        for (Series &series : m_series)
            series.append(gapAt(at), m_capacity);
        m_total.append(gapAt(at), m_capacity);
        return;
    }
    Sample total{at, 0, 0, 0, 0, 0};
    QSet<QString> seen;
    for (const queues::QueueCounts &counts : snapshot.queues) {
        const UnifiedCounts unified =
            unifiedCounts(counts, monitor.adapterFor(counts.queue.framework));
        const Sample sample{at,
                            valueOf(unified.waiting),
                            valueOf(unified.active),
                            valueOf(unified.delayed),
                            valueOf(unified.failed),
                            valueOf(unified.completed)};
        const QString id = counts.queue.id();
        if (seen.contains(id))
            continue;
        seen.insert(id);
        m_series[id].append(sample, m_capacity);
        // Frameworks that do not keep a state per queue (Sidekiq's completed) must not turn the
        // whole total into a gap: the total sums what the queues have.
        auto known = [](double v) { return std::isnan(v) ? 0.0 : v; };
        accumulate(total, {at, known(sample.waiting), known(sample.active), known(sample.delayed),
                           known(sample.failed), known(sample.completed)});
    }
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        if (!seen.contains(it.key()))
            it->append(gapAt(at), m_capacity);
    }
    m_total.append(total, m_capacity);
}

void QueueHistory::clear()
{
    m_series.clear();
    m_total = {};
}

const QueueHistory::Series *QueueHistory::series(const QString &queueId) const
{
    const auto it = m_series.constFind(queueId);
    return it == m_series.constEnd() ? nullptr : &*it;
}

} // namespace qs::monitor
