#pragma once

#include <QList>
#include <QPair>

#include <optional>

namespace qs::monitor {

// A per-minute rate from a counter that only grows (BullMQ's metrics count, Sidekiq's
// stat:processed), read now and then: its change across the readings of about the last minute.
// Sidekiq flushes its counters every few seconds, so a rate over one poll interval would jump
// between 0 and bursts; over a minute it reads as what happened.
class CounterRate
{
public:
    static constexpr qint64 WindowMs = 60'000;
    static constexpr qint64 MinSpanMs = 10'000; // a shorter span says too little

    // A reading; one with the time of the last reading is the same reading again (ignored). A
    // counter that went down was reset (server restart, obliterate): measuring starts again.
    void add(qint64 readAtMs, qint64 total);
    // nullopt until two readings are at least MinSpanMs apart.
    std::optional<double> perMinute() const;

private:
    QList<QPair<qint64, qint64>> m_readings; // (time, total), oldest first
};

} // namespace qs::monitor
