#pragma once

#include "monitor/counterrate.h"

#include "queues/queuecounts.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

namespace qs::monitor {

struct PollSnapshot;

// What belongs to a framework installation rather than to one of its queues (ServerCounts:
// Sidekiq's retry/schedule/dead sets, busy threads and stat counters, Celery's reserved messages,
// RQ's suspension), one line per installation, shown once under the queues table. Sidekiq's
// processed/failed rates come from its counters, measured over about a minute of polls.
class FrameworkTotals
{
    Q_DECLARE_TR_FUNCTIONS(FrameworkTotals)
public:
    // A failed poll keeps the last lines.
    void update(const PollSnapshot &snapshot);
    // e.g. "Sidekiq: 120 processed/min · 2 failed/min · busy 3 · retries 5 · dead 1 · 2 processes"
    QStringList lines() const { return m_lines; }

private:
    QStringList m_lines;
    QHash<QString, CounterRate> m_completed; // per framework + prefix
    QHash<QString, CounterRate> m_failed;
};

} // namespace qs::monitor
