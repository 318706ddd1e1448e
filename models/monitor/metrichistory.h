#pragma once

#include "monitor/metric.h"
#include "monitor/pollsnapshot.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>
#include <limits>
#include <optional>
#include <vector>

namespace qs::monitor {

// The charted history of one server: one row per poll, oldest dropped when full.
//
// Stored as a struct of arrays (one qint64 timestamp array, one float array per Metric) so that
// 24 h at 1 s is 5.5 MB (5.3 MiB) per server and a chart reads one metric as (at most two)
// contiguous runs. float keeps 7 significant digits: plenty for a plot, and the rounding of byte
// counts above 16 MiB (a few bytes to a few KiB) is far below one pixel. Arrays grow on demand up
// to the capacity, so a short session does not pay for 24 h.
//
// NaN is a gap: the chart breaks the line there and the CSV leaves the cell empty. Values are
// never interpolated. Rows are indexed 0 (oldest) to size() - 1 (newest).
class MetricHistory
{
public:
    static constexpr int defaultCapacity = 86'400; // 24 h at one poll per second

    explicit MetricHistory(int capacity = defaultCapacity);

    // Adds one row at snapshot.timestampMs. A failed poll adds a row of NaN, and the rates of
    // the next successful poll are NaN too (there is no baseline to take a delta from).
    // Timestamps are kept non-decreasing (a clock stepped back is clamped to the previous row)
    // so that lowerBound() stays a binary search.
    void append(const PollSnapshot &snapshot);
    void clear();

    int size() const { return m_size; }
    int capacity() const { return m_capacity; }
    bool isEmpty() const { return m_size == 0; }

    qint64 timestampAt(int index) const; // ms since epoch, UTC
    double value(Metric metric, int index) const;
    double latest(Metric metric) const; // NaN when empty

    // The first index whose timestamp is >= fromMs; size() when there is none.
    int lowerBound(qint64 fromMs) const;

    // Heap and object bytes held by this history now (grows to its maximum when full).
    qint64 memoryBytes() const;

    // Rows with fromMs <= time < toMs as CSV: a header "time,<metricName>...", then one line
    // per row with the time in ISO 8601 UTC with milliseconds, '.' as the decimal point
    // whatever the locale, and an empty cell for a gap. Lines end in "\n". An empty `metrics`
    // exports every metric.
    QByteArray toCsv(const QList<Metric> &metrics,
                     qint64 fromMs = std::numeric_limits<qint64>::min(),
                     qint64 toMs = std::numeric_limits<qint64>::max()) const;

private:
    // The monotonic counters that rates are computed from.
    enum Counter {
        Commands,
        NetInBytes,
        NetOutBytes,
        EvictedKeys,
        ExpiredKeys,
        KeyspaceHits,
        KeyspaceMisses,
        CounterCount
    };

    // What the last successful poll read: the base of the next poll's rates.
    struct Baseline
    {
        bool valid = false;
        qint64 timestampMs = 0;
        std::optional<qint64> uptimeSeconds;
        QString runId;
        std::array<std::optional<qint64>, CounterCount> counters{};
        std::optional<double> cpuSeconds;
        PollCost ownCost; // this poll's own traffic, processed before the next INFO
    };

    using Row = std::array<float, metricCount>;

    static Baseline readBaseline(const PollSnapshot &snapshot);
    static void readGauges(const redis::InfoSnapshot &info, Row &row);
    static void computeRates(const Baseline &previous, const Baseline &current, Row &row);

    void push(qint64 timestampMs, const Row &row);
    void grow();
    int slot(int index) const;

    int m_capacity = defaultCapacity;
    int m_size = 0;
    int m_first = 0; // slot of the oldest row; 0 until the buffer is full
    std::vector<qint64> m_timestamps;
    std::array<std::vector<float>, metricCount> m_values;
    Baseline m_baseline;
};

} // namespace qs::monitor
