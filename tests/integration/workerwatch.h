#pragma once

// Shared by the worker tests: a server watched the way a session watches it (a connection, the
// queue monitor with every framework's adapter, the worker scanner), driven step by step.

#include "connectionwait.h"

#include "frameworks/registry.h"
#include "monitor/queuemonitor.h"
#include "monitor/workerscanner.h"

#include <QSignalSpy>

namespace qs::test {

class WorkerWatch
{
public:
    explicit WorkerWatch(const core::ConnectionProfile &profile)
        : connection(profile)
        , monitor(&connection, frameworks::adaptersFor({}))
        , scanner(&connection, &monitor, frameworks::installationsFor({}))
    {
        connection.open();
    }

    bool connected() { return waitForState(connection, redis::ConnectionState::Connected); }

    // A discovery pass (queues appear as their jobs are made), then one scan.
    bool scan(QString *error)
    {
        QSignalSpy discovered(&monitor, &monitor::QueueMonitor::discoveryFinished);
        monitor.discover();
        if (!discovered.wait(15'000)) {
            *error = QStringLiteral("discovery did not finish");
            return false;
        }
        QSignalSpy scanned(&scanner, &monitor::WorkerScanner::scanned);
        scanner.refresh();
        if (!scanned.wait(15'000)) {
            *error = QStringLiteral("no scan within 15 s");
            return false;
        }
        *error = scanner.lastError();
        return error->isEmpty();
    }

    const queues::WorkerInfo *worker(queues::Framework framework, const QString &id) const
    {
        for (const queues::WorkerInfo &worker : scanner.latest().workers) {
            if (worker.framework == framework && worker.id == id)
                return &worker;
        }
        return nullptr;
    }

    const queues::StuckJob *stuck(queues::Framework framework, const QString &id) const
    {
        for (const queues::StuckJob &job : scanner.latest().stuck) {
            if (job.framework == framework && job.id == id)
                return &job;
        }
        return nullptr;
    }

    // What the scan holds, for failure messages.
    QString describe() const
    {
        QStringList lines;
        for (const queues::WorkerInfo &worker : scanner.latest().workers)
            lines << QStringLiteral("%1 %2 %3 queues=%4 jobs=%5")
                         .arg(queues::frameworkName(worker.framework), worker.id,
                              queues::workerStateName(worker.state))
                         .arg(worker.queues.size())
                         .arg(worker.currentJobs.size());
        for (const queues::StuckJob &job : scanner.latest().stuck)
            lines << QStringLiteral("stuck %1 %2 %3")
                         .arg(queues::frameworkName(job.framework), job.id, job.reason);
        for (const auto &[framework, why] : scanner.latest().unknown)
            lines << QStringLiteral("unknown %1: %2").arg(queues::frameworkName(framework), why);
        return lines.join(QLatin1Char('\n'));
    }

    redis::RedisConnection connection;
    monitor::QueueMonitor monitor;
    monitor::WorkerScanner scanner;
};

} // namespace qs::test
