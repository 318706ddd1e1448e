#pragma once

#include <QtGlobal>

#include <optional>

namespace qs::monitor {

// Turns readings of a count into jobs per whole minute: what a counter that only grows
// (Sidekiq's stat:processed, RQ's worker counters) or a set's size (completed/failed counts,
// estimated) gained within each minute. The increments between two readings count for the
// minute of the later one, so a minute is whole once a reading of the minute before preceded
// it: the first minute after a start or after a minute without a reading is not reported. The
// sum of the reported minutes is the counter's whole growth over them.
class MinuteCounter
{
public:
    struct Minute
    {
        qint64 startMs = 0;
        qint64 count = 0;      // the increments within the minute
        bool wentDown = false; // a reading below the previous one within it (reset or trim)
    };

    // A reading; a reading no later than the last one is ignored (the same details carried by
    // several polls). Returns the minute this reading completed, if it was whole.
    std::optional<Minute> add(qint64 readAtMs, qint64 total);

private:
    qint64 m_minute = 0;
    qint64 m_lastAtMs = 0;
    qint64 m_last = 0;
    qint64 m_increments = 0;
    bool m_started = false; // the flags together: 40 bytes, not 48 (two per watched queue)
    bool m_whole = false;
    bool m_wentDown = false;
};

qint64 minuteStartOf(qint64 ms); // the start of the UTC minute that holds `ms`

} // namespace qs::monitor
