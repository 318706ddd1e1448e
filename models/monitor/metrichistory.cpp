#include "monitor/metrichistory.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace qs::monitor {

using namespace Qt::StringLiterals;

namespace {

constexpr float gap = std::numeric_limits<float>::quiet_NaN();

// Arrays start at one hour and double: a short session stays small, a long one reallocates
// only five times on its way to 24 h.
constexpr int initialRows = 3600;

float toFloat(std::optional<qint64> value)
{
    return value ? float(*value) : gap;
}

float toFloat(std::optional<double> value)
{
    return value ? float(*value) : gap;
}

bool isReplicaRole(const QString &role)
{
    // Redis and KeyDB say "slave"; some forks say "replica".
    return role == u"slave" || role == u"replica";
}

void appendTime(QByteArray &out, qint64 ms)
{
    // std::chrono rather than QDateTime: an export of 24 h formats 86,400 times, and this
    // neither allocates nor consults the locale.
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds(ms)};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    char text[48];
    const int length = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                                     int(date.year()), unsigned(date.month()), unsigned(date.day()),
                                     int(clock.hours().count()), int(clock.minutes().count()),
                                     int(clock.seconds().count()), int(clock.subseconds().count()));
    out.append(text, std::min<int>(length, sizeof text - 1));
}

void appendValue(QByteArray &out, float value)
{
    if (!std::isfinite(value))
        return; // a gap is an empty cell
    // Shortest text that reads back as the same float, never an exponent, always '.'.
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed);
    if (result.ec == std::errc())
        out.append(text, result.ptr - text);
}

} // namespace

MetricHistory::MetricHistory(int capacity)
    : m_capacity(std::max(1, capacity))
{
}

void MetricHistory::append(const PollSnapshot &snapshot)
{
    Row row;
    row.fill(gap);
    if (snapshot.ok()) {
        const Baseline current = readBaseline(snapshot);
        readGauges(snapshot.info, row);
        computeRates(m_baseline, current, row);
        m_baseline = current;
    } else {
        // Without a baseline the next poll's rates are gaps: a delta across the outage would be
        // an average over an unknown stretch, or a spike if the server restarted meanwhile.
        m_baseline = {};
    }
    push(snapshot.timestampMs, row);
}

void MetricHistory::clear()
{
    *this = MetricHistory(m_capacity); // also releases the arrays
}

MetricHistory::Baseline MetricHistory::readBaseline(const PollSnapshot &snapshot)
{
    const redis::InfoSnapshot &info = snapshot.info;
    Baseline b;
    b.valid = true;
    b.timestampMs = snapshot.timestampMs;
    b.uptimeSeconds = info.integer(u"uptime_in_seconds"_s);
    b.runId = info.text(u"run_id"_s);
    b.counters[Commands] = info.integer(u"total_commands_processed"_s);
    b.counters[NetInBytes] = info.integer(u"total_net_input_bytes"_s);
    b.counters[NetOutBytes] = info.integer(u"total_net_output_bytes"_s);
    b.counters[EvictedKeys] = info.integer(u"evicted_keys"_s);
    b.counters[ExpiredKeys] = info.integer(u"expired_keys"_s);
    b.counters[KeyspaceHits] = info.integer(u"keyspace_hits"_s);
    b.counters[KeyspaceMisses] = info.integer(u"keyspace_misses"_s);
    const auto sys = info.real(u"used_cpu_sys"_s);
    const auto user = info.real(u"used_cpu_user"_s);
    if (sys && user)
        b.cpuSeconds = *sys + *user;
    b.ownCost = snapshot.cost;
    return b;
}

void MetricHistory::readGauges(const redis::InfoSnapshot &info, Row &row)
{
    row[int(Metric::UsedMemory)] = toFloat(info.integer(u"used_memory"_s));
    row[int(Metric::RssMemory)] = toFloat(info.integer(u"used_memory_rss"_s));
    row[int(Metric::MaxMemory)] = toFloat(info.integer(u"maxmemory"_s));
    row[int(Metric::ConnectedClients)] = toFloat(info.integer(u"connected_clients"_s));
    row[int(Metric::BlockedClients)] = toFloat(info.integer(u"blocked_clients"_s));
    row[int(Metric::Fragmentation)] = toFloat(info.real(u"mem_fragmentation_ratio"_s));

    const QString role = info.text(u"role"_s);
    if (isReplicaRole(role)) {
        // -1 while the link is down; then the time since it went down is how stale the data
        // is, which is what an operator watching lag wants to see grow.
        auto lag = info.integer(u"master_last_io_seconds_ago"_s);
        if (!lag || *lag < 0)
            lag = info.integer(u"master_link_down_since_seconds"_s);
        if (lag && *lag >= 0)
            row[int(Metric::ReplicationLag)] = float(*lag);
    } else if (role == u"master" && !info.replicas.isEmpty()) {
        qint64 worst = 0;
        for (const redis::ReplicaEntry &replica : info.replicas)
            worst = std::max(worst, replica.lagSeconds);
        row[int(Metric::ReplicationLag)] = float(worst);
    }
}

void MetricHistory::computeRates(const Baseline &previous, const Baseline &current, Row &row)
{
    // Every early return leaves all rates NaN: a gap is honest, a guessed value is not.
    if (!previous.valid)
        return;
    const double seconds = double(current.timestampMs - previous.timestampMs) / 1000.0;
    if (!(seconds > 0))
        return; // clock stepped back, or two polls with one timestamp
    // A restart (or a failover to another process behind the same address) starts the
    // counters again from zero.
    if (previous.uptimeSeconds && current.uptimeSeconds &&
        *current.uptimeSeconds < *previous.uptimeSeconds)
        return;
    if (!previous.runId.isEmpty() && !current.runId.isEmpty() && previous.runId != current.runId)
        return;

    // CONFIG RESETSTAT zeroes all counters at once, and one that was small may already have
    // climbed past its old value. So any counter going down voids the whole interval.
    std::array<std::optional<qint64>, CounterCount> delta{};
    for (int i = 0; i < CounterCount; ++i) {
        if (!previous.counters[i] || !current.counters[i])
            continue;
        if (*current.counters[i] < *previous.counters[i])
            return;
        delta[i] = *current.counters[i] - *previous.counters[i];
    }
    if (previous.cpuSeconds && current.cpuSeconds && *current.cpuSeconds < *previous.cpuSeconds)
        return;
    // The server counted our own previous poll too (its INFO and every queue count after it,
    // up to this INFO): take it out, so a monitor of 200 queues does not show 1,800 ops/s of
    // its own making. The rest of the traffic is the operator's.
    const auto withoutOwn = [&](Counter counter, qint64 own) {
        if (delta[counter])
            delta[counter] = std::max<qint64>(0, *delta[counter] - own);
    };
    withoutOwn(Commands, previous.ownCost.commands);
    withoutOwn(NetInBytes, previous.ownCost.bytesSent);
    withoutOwn(NetOutBytes, previous.ownCost.bytesReceived);

    const auto perSecond = [&](Counter counter, double scale) {
        return delta[counter] ? float(double(*delta[counter]) * scale / seconds) : gap;
    };
    row[int(Metric::OpsPerSec)] = perSecond(Commands, 1);
    row[int(Metric::NetInKbps)] = perSecond(NetInBytes, 8.0 / 1000.0);
    row[int(Metric::NetOutKbps)] = perSecond(NetOutBytes, 8.0 / 1000.0);
    row[int(Metric::EvictedPerSec)] = perSecond(EvictedKeys, 1);
    row[int(Metric::ExpiredPerSec)] = perSecond(ExpiredKeys, 1);
    if (previous.cpuSeconds && current.cpuSeconds) {
        const double busy = *current.cpuSeconds - *previous.cpuSeconds;
        row[int(Metric::CpuPercent)] = float(busy / seconds * 100.0);
    }
    if (delta[KeyspaceHits] && delta[KeyspaceMisses]) {
        const qint64 lookups = *delta[KeyspaceHits] + *delta[KeyspaceMisses];
        if (lookups > 0) // no lookups: no rate, rather than 0% or 100%
            row[int(Metric::HitRatePercent)] = float(double(*delta[KeyspaceHits]) * 100 / lookups);
    }
}

void MetricHistory::push(qint64 timestampMs, const Row &row)
{
    if (m_size > 0)
        timestampMs = std::max(timestampMs, timestampAt(m_size - 1));
    if (m_size < m_capacity) {
        if (m_timestamps.size() == m_timestamps.capacity())
            grow();
        m_timestamps.push_back(timestampMs);
        for (int m = 0; m < metricCount; ++m)
            m_values[m].push_back(row[m]);
        ++m_size;
        return;
    }
    // Full: overwrite the oldest row, which makes the next one the oldest.
    m_timestamps[m_first] = timestampMs;
    for (int m = 0; m < metricCount; ++m)
        m_values[m][m_first] = row[m];
    if (++m_first == m_capacity)
        m_first = 0;
}

void MetricHistory::grow()
{
    // reserve() allocates exactly what it is asked for, so the arrays never exceed capacity.
    const qsizetype rows =
        std::min<qsizetype>(m_capacity, std::max<qsizetype>(initialRows, 2 * m_timestamps.size()));
    m_timestamps.reserve(rows);
    for (std::vector<float> &values : m_values)
        values.reserve(rows);
}

int MetricHistory::slot(int index) const
{
    Q_ASSERT(index >= 0 && index < m_size);
    const int s = m_first + index;
    return s >= m_capacity ? s - m_capacity : s;
}

qint64 MetricHistory::timestampAt(int index) const
{
    return m_timestamps[slot(index)];
}

double MetricHistory::value(Metric metric, int index) const
{
    Q_ASSERT(metric != Metric::Count);
    return m_values[int(metric)][slot(index)];
}

double MetricHistory::latest(Metric metric) const
{
    return m_size > 0 ? value(metric, m_size - 1) : double(gap);
}

int MetricHistory::lowerBound(qint64 fromMs) const
{
    int low = 0;
    int high = m_size;
    while (low < high) {
        const int middle = low + (high - low) / 2;
        if (timestampAt(middle) < fromMs)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

qint64 MetricHistory::memoryBytes() const
{
    qint64 bytes = sizeof(*this) + qint64(m_timestamps.capacity() * sizeof(qint64));
    for (const std::vector<float> &values : m_values)
        bytes += qint64(values.capacity() * sizeof(float));
    return bytes + m_baseline.runId.capacity() * qint64(sizeof(QChar));
}

QByteArray MetricHistory::toCsv(const QList<Metric> &metrics, qint64 fromMs, qint64 toMs) const
{
    QList<Metric> columns;
    for (const Metric metric : metrics) {
        if (int(metric) >= 0 && int(metric) < metricCount) // Metric::Count is not a column
            columns.append(metric);
    }
    if (metrics.isEmpty()) {
        for (int m = 0; m < metricCount; ++m)
            columns.append(Metric(m));
    }
    const int first = lowerBound(fromMs);
    const int last = std::max(first, lowerBound(toMs));

    QByteArray out;
    out.reserve(qsizetype(last - first + 1) * (26 + 12 * columns.size()));
    out += "time";
    for (const Metric metric : columns)
        out += ',' + metricName(metric).toUtf8();
    out += '\n';
    for (int i = first; i < last; ++i) {
        const int s = slot(i);
        appendTime(out, m_timestamps[s]);
        for (const Metric metric : columns) {
            out += ',';
            appendValue(out, m_values[int(metric)][s]);
        }
        out += '\n';
    }
    return out;
}

} // namespace qs::monitor
