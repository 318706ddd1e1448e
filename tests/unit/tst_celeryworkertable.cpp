// Celery's worker table from events recorded from a real worker (tests/fixtures/celery-events/,
// heartbeat every 1 s): alive until 2 heartbeats are missed, as celery.events.state says; busy
// with the tasks the task events name; the note when nothing is heard.
#include "fixtures.h"

#include "frameworks/celery/celeryevents.h"
#include "monitor/celeryworkertable.h"

#include <QTest>

using namespace qs::queues;
using qs::monitor::CeleryWorkerTable;

namespace {

constexpr qint64 t0 = 1'796'523'895'100; // just after the recorded heartbeat was sent

WorkerEvents fixture(const char *name)
{
    return celeryevents::parseMessage(
        qs::test::readFixture(QStringLiteral("celery-events/%1.json").arg(QLatin1String(name))));
}

WorkerScan scanAt(const CeleryWorkerTable &table, qint64 nowMs, qint64 listeningSinceMs = 0)
{
    WorkerScan scan;
    table.addTo(scan, nowMs, listeningSinceMs);
    return scan;
}

bool hasNote(const WorkerScan &scan, const char *text)
{
    for (const QString &note : scan.notes) {
        if (note.contains(QLatin1String(text)))
            return true;
    }
    return false;
}

} // namespace

class TestCeleryWorkerTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aHeartbeatListsTheWorkerIdle()
    {
        CeleryWorkerTable table;
        table.apply(fixture("worker-online"), t0 - 1'100);
        table.apply(fixture("worker-heartbeat-idle"), t0);
        const WorkerScan scan = scanAt(table, t0 + 500);
        QCOMPARE(scan.workers.size(), 1);
        const WorkerInfo &worker = scan.workers.first();
        QCOMPARE(worker.framework, Framework::Celery);
        QCOMPARE(worker.id, QStringLiteral("w2@vm"));
        QCOMPARE(worker.host, QStringLiteral("vm"));
        QCOMPARE(worker.state, WorkerState::Idle);
        QCOMPARE(worker.busy, std::optional<int>(0));
        QCOMPARE(worker.pid, std::optional<qint64>(28608));
        QCOMPARE(worker.version, QStringLiteral("5.2.6"));
        QCOMPARE(worker.lastSeenAtMs, std::optional<qint64>(t0));
        QVERIFY(worker.startedAtMs.has_value());
        QVERIFY(scan.notes.isEmpty());
    }

    void offlineAfterTwoMissedHeartbeats()
    {
        CeleryWorkerTable table;
        table.apply(fixture("worker-heartbeat-idle"), t0); // freq 1 s
        QCOMPARE(scanAt(table, t0 + 1'999).workers.first().state, WorkerState::Idle);
        const WorkerScan late = scanAt(table, t0 + 2'000);
        QCOMPARE(late.workers.first().state, WorkerState::Offline);
        QVERIFY(!late.workers.first().busy.has_value());
        // Kept a while for the operator, then forgotten.
        table.apply({}, t0 + CeleryWorkerTable::kForgetOfflineMs + 1);
        QCOMPARE(table.size(), 0);
    }

    void workerOfflineEventIsOfflineAtOnce()
    {
        CeleryWorkerTable table;
        table.apply(fixture("worker-heartbeat-idle"), t0);
        table.apply(fixture("worker-offline"), t0 + 100);
        QCOMPARE(scanAt(table, t0 + 200).workers.first().state, WorkerState::Offline);
    }

    void taskEventsNameTheCurrentJob()
    {
        CeleryWorkerTable table;
        table.apply(fixture("task-received"), t0 - 50);
        table.apply(fixture("worker-heartbeat-idle"), t0);
        table.apply(fixture("task-started"), t0 + 10);
        table.apply(fixture("worker-heartbeat-busy"), t0 + 900);
        WorkerInfo worker = scanAt(table, t0 + 1'000).workers.first();
        QCOMPARE(worker.state, WorkerState::Busy);
        QCOMPARE(worker.busy, std::optional<int>(1));
        QCOMPARE(worker.currentJobs.size(), 1);
        QCOMPARE(worker.currentJobs.first().id,
                 QStringLiteral("0f0c2faa-8cf6-444a-b667-9b21760bf7db"));
        table.apply(fixture("task-succeeded"), t0 + 1'100);
        worker = scanAt(table, t0 + 1'200).workers.first();
        QVERIFY(worker.currentJobs.isEmpty());
    }

    void busyFromHeartbeatsAloneWithoutTaskEvents()
    {
        CeleryWorkerTable table;
        table.apply(fixture("worker-heartbeat-busy"), t0);
        const WorkerInfo worker = scanAt(table, t0 + 100).workers.first();
        QCOMPARE(worker.state, WorkerState::Busy);
        QVERIFY(worker.currentJobs.isEmpty());
    }

    void silenceIsANoteNotZeroWorkers()
    {
        CeleryWorkerTable table;
        QVERIFY(scanAt(table, t0 + 1'000, t0).notes.isEmpty()); // not long enough to tell
        const WorkerScan silent = scanAt(table, t0 + 2'600, t0);
        QVERIFY(silent.workers.isEmpty());
        QVERIFY2(hasNote(silent, "no Celery heartbeat heard"), qPrintable(silent.notes.join('\n')));
        table.apply(fixture("worker-heartbeat-idle"), t0 + 2'700);
        QVERIFY(!hasNote(scanAt(table, t0 + 3'000, t0), "no Celery heartbeat heard"));
    }

    void unreadAndDroppedMessagesAreCounted()
    {
        CeleryWorkerTable table;
        table.apply(celeryevents::parseMessage("not json"), t0);
        table.noteDropped(100LL << 20);
        const WorkerScan scan = scanAt(table, t0);
        QVERIFY2(hasNote(scan, "1 not read"), qPrintable(scan.notes.join('\n')));
        QVERIFY2(hasNote(scan, "largest 100.0 MB"), qPrintable(scan.notes.join('\n')));
    }

    void workersAreBounded()
    {
        CeleryWorkerTable table;
        WorkerEvents many;
        for (qsizetype i = 0; i < CeleryWorkerTable::kMaxWorkers + 5; ++i) {
            WorkerEvent event;
            event.hostname = QStringLiteral("w%1@h").arg(i);
            event.timestampMs = t0;
            many.workers.append(event);
        }
        table.apply(many, t0);
        QCOMPARE(table.size(), CeleryWorkerTable::kMaxWorkers);
        QVERIFY(hasNote(scanAt(table, t0), "events of others not kept"));
    }
};

QTEST_GUILESS_MAIN(TestCeleryWorkerTable)
#include "tst_celeryworkertable.moc"
