#include "history/seriesbuckets.h"

#include "history/historytiers.h"

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
    if (it == m_open.end()) {
        it = m_open.insert(key, Open{start, QList<Step>(tier.chunkPoints), false});
    }
    Step &step = it->steps[(timestampMs - start) / tier.stepMs];
    step.sum += value;
    ++step.count;
    step.whole = step.whole && value == std::trunc(value);
    it->changed = true;
}

Chunk SeriesBuckets::toChunk(const Key &key, const Open &open)
{
    Chunk chunk{key.first, key.second, open.startMs, {}};
    chunk.values.reserve(open.steps.size());
    for (const Step &step : open.steps)
        chunk.values.append(step.count
                                ? std::optional(roundedStepValue(step.sum / step.count, step.whole))
                                : std::nullopt);
    return chunk;
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

} // namespace qs::history
