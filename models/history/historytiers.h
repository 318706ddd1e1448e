#pragma once

#include <QtGlobal>

#include <array>

namespace qs::history {

// The resolutions history is kept at. Each coarser tier holds the mean of the finer steps in it.
// Why these: 1 s for a day is what the live charts show and what an incident is read at;
// 10 s for a week still shows a deploy's minute-by-minute shape; 1 min for 90 days answers
// "is this normal for a Monday". A chunk is one row: 10 min, 1 h and 1 day of points, so a
// 30-day chart reads 30 rows per series.
struct Tier
{
    int id;
    qint64 stepMs;
    qint64 retentionMs;
    int chunkPoints;
    constexpr qint64 chunkSpanMs() const { return stepMs * chunkPoints; }
};

inline constexpr qint64 kDayMs = 24 * 3600 * 1000LL;

inline constexpr std::array<Tier, 3> tiers{{
    {0, 1'000, kDayMs, 600},         // server metrics only: 1 s for 24 h
    {1, 10'000, 7 * kDayMs, 360},    // everything: 10 s for 7 days
    {2, 60'000, 90 * kDayMs, 1'440}, // everything: 1 min for 90 days
}};

// Queue counts start at the 10 s tier: a queue's count per second for a day costs more than it
// tells (the live window has it).
inline constexpr int firstQueueTier = 1;
// Values of whole minutes (throughput per minute) are kept at this tier only.
inline constexpr int minuteTier = 2;

} // namespace qs::history
