#pragma once

#include "queues/queueadapter.h"
#include "queues/queuecounts.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace qs::monitor {

struct PollSnapshot;
class QueueMonitor;

// One queue's counts in the unified vocabulary (DESIGN §4). A state the framework does not keep
// per queue, or that could not be read, is nullopt, never 0.
struct UnifiedCounts
{
    std::optional<qint64> waiting, active, delayed, prioritized, completed, failed;

    bool operator==(const UnifiedCounts &) const = default;
};

// Sums the native counts onto unified states through the adapter's states() table. Without an
// adapter every state is unknown.
UnifiedCounts unifiedCounts(const queues::QueueCounts &counts, const queues::QueueAdapter *adapter);

// A bounded history of unified counts: one ring buffer per queue id plus one server-wide total
// (the sum over every queue of a poll). A failed poll appends a gap (NaN) to every series, and so
// does a poll in which a known queue was missing, so a chart never joins across a gap.
class QueueHistory
{
public:
    struct Sample
    {
        qint64 timestampMs = 0;
        double waiting = 0, active = 0, delayed = 0, failed = 0, completed = 0; // NaN = unknown
    };

    class Series
    {
    public:
        int size() const { return int(m_samples.size()); }
        const Sample &at(int i) const; // 0 = oldest
        const Sample &latest() const { return at(size() - 1); }

    private:
        friend class QueueHistory;
        void append(const Sample &sample, int capacity);

        QList<Sample> m_samples;
        int m_head = 0; // index of the oldest sample once the buffer is full
    };

    static constexpr int DefaultCapacity = 3'600;

    explicit QueueHistory(int capacity = DefaultCapacity);

    void append(const PollSnapshot &snapshot, const QueueMonitor &monitor);
    void clear();

    int capacity() const { return m_capacity; }
    QList<QString> queueIds() const { return m_series.keys(); }
    const Series *series(const QString &queueId) const; // nullptr when never seen
    const Series &total() const { return m_total; }

private:
    int m_capacity = DefaultCapacity;
    QHash<QString, Series> m_series;
    Series m_total;
};

} // namespace qs::monitor
