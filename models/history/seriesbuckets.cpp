#include "history/seriesbuckets.h"

#include "history/historytiers.h"

#include <QMap>

#include <algorithm>
#include <cmath>

namespace qs::history {

double roundedStepValue(double mean, bool wholeSamples)
{
    if (!std::isfinite(mean) || mean == std::trunc(mean))
        return mean;
    const int magnitude = int(std::floor(std::log10(std::fabs(mean))));
    const int decimals = wholeSamples ? 1 : std::clamp(3 - magnitude, 0, 6);
    const double scale = std::pow(10.0, decimals);
    return std::round(mean * scale) / scale + 0.0; // + 0.0: never -0.0
}

void SeriesBuckets::append(qint64 timestampMs, const QList<Sample> &samples)
{
    for (const Sample &sample : samples) {
        if (!std::isfinite(sample.value))
            continue; // a gap, not a point
        if (sample.atMs != 0) {
            add(sample.series, minuteTier, sample.atMs, sample.value);
            continue;
        }
        for (const Tier &tier : tiers) {
            if (tier.id >= firstQueueTier || sample.fine)
                add(sample.series, tier.id, timestampMs, sample.value);
        }
    }
}

void SeriesBuckets::add(const QString &series, int tierId, qint64 timestampMs, double value)
{
    const Tier &tier = tiers[size_t(tierId)];
    const qint64 span = tier.chunkSpanMs();
    const qint64 start = timestampMs - ((timestampMs % span) + span) % span;
    const Key key{series, tierId};
    auto it = m_open.find(key);
    if (it != m_open.end() && it->startMs != start) {
        if (start < it->startMs)
            return; // the clock went back: a sample for a chunk already finished
        m_finished.append(toChunk(key, *it));
        m_open.erase(it);
        it = m_open.end();
    }
    if (it == m_open.end())
        it = m_open.insert(key, Open{start, {}, 0, {}, false});
    const int index = int((timestampMs - start) / tier.stepMs);
    if (index < it->finished)
        return; // the clock went back within the chunk: that step is finished
    if (index > it->finished) {
        finishCurrent(*it);
        appendRun(*it, std::nan(""), index - it->finished); // steps nothing was recorded in
    }
    Step &step = it->current;
    step.sum += value;
    ++step.count;
    step.whole = step.whole && value == std::trunc(value);
    it->changed = true;
}

void SeriesBuckets::finishCurrent(Open &open)
{
    const Step step = std::exchange(open.current, {});
    appendRun(open, step.count ? roundedStepValue(step.sum / step.count, step.whole) : std::nan(""),
              1);
}

void SeriesBuckets::appendRun(Open &open, double value, int steps)
{
    if (steps <= 0)
        return;
    open.finished += steps;
    if (!open.runs.isEmpty()) {
        Run &last = open.runs.last();
        if (last.value == value || (std::isnan(last.value) && std::isnan(value))) {
            last.steps += steps;
            return;
        }
    }
    open.runs.append({value, steps});
}

Chunk SeriesBuckets::toChunk(const Key &key, const Open &open)
{
    const int points = tiers[size_t(key.second)].chunkPoints;
    ChunkValues values;
    values.reserve(points);
    for (const Run &run : open.runs) {
        for (int i = 0; i < run.steps; ++i)
            values.append(std::isnan(run.value) ? std::nullopt : std::optional(run.value));
    }
    if (open.current.count)
        values.append(roundedStepValue(open.current.sum / open.current.count, open.current.whole));
    values.resize(points); // the steps still to come: gaps
    return {key.first, key.second, open.startMs, {}, encodeChunk(values)};
}

QList<Chunk> SeriesBuckets::takeChanged()
{
    QList<Chunk> changed = std::exchange(m_finished, {});
    for (auto it = m_open.begin(); it != m_open.end(); ++it) {
        if (!it->changed)
            continue;
        changed.append(toChunk(it.key(), *it));
        it->changed = false;
    }
    return changed;
}

qsizetype SeriesBuckets::heldBytes() const
{
    qsizetype bytes = 0;
    for (const Open &open : m_open)
        bytes += sizeof(Open) + open.runs.capacity() * qsizetype(sizeof(Run));
    for (const Chunk &chunk : m_finished)
        bytes += chunk.encoded.capacity();
    return bytes;
}

QList<Chunk> chunksOfPoints(const QString &series, int tierId,
                            const QList<QPair<qint64, double>> &points, bool fillOnly)
{
    const Tier &tier = tiers[size_t(tierId)];
    const qint64 span = tier.chunkSpanMs();
    QMap<qint64, ChunkValues> byStart;
    for (const auto &[at, value] : points) {
        if (!std::isfinite(value))
            continue;
        const qint64 start = at - ((at % span) + span) % span;
        ChunkValues &values = byStart[start];
        if (values.isEmpty())
            values.resize(tier.chunkPoints);
        values[(at - start) / tier.stepMs] = value;
    }
    QList<Chunk> chunks;
    for (auto it = byStart.cbegin(); it != byStart.cend(); ++it)
        chunks.append({series, tierId, it.key(), it.value(), {}, fillOnly});
    return chunks;
}

} // namespace qs::history
