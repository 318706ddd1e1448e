// QueueTableModel: unified columns from native counts, merge by queue id (persistent indexes
// survive), per-minute rates from the queue's details (a framework counter over about a minute,
// else the jobs finished in the last minute, "≥" when the set may be trimmed, "—" with a reason
// where no rate is knowable), never from the deltas of the finished sets' sizes.
#include "monitor/counterrate.h"
#include "monitor/pollsnapshot.h"
#include "monitor/queuehistory.h"
#include "monitor/queuemonitor.h"
#include "monitor/queuetablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace qs;
using monitor::QueueTableModel;
using Column = QueueTableModel::Column;

namespace {

queues::QueueCounts bullmq(const QByteArray &name, qint64 waiting, qint64 completed, qint64 failed)
{
    queues::QueueCounts counts;
    counts.queue = {queues::Framework::BullMQ, "bull", name};
    counts.set(QStringLiteral("waiting"), waiting);
    counts.set(QStringLiteral("active"), 1);
    counts.set(QStringLiteral("delayed"), 2);
    counts.set(QStringLiteral("prioritized"), 3);
    counts.set(QStringLiteral("completed"), completed);
    counts.set(QStringLiteral("failed"), failed);
    counts.set(QStringLiteral("waiting-children"), 4);
    return counts;
}

// Details as the BullMQ adapter reads them: its metrics counter (when enabled) and the jobs of
// the completed/failed sets that finished within the last minute.
queues::QueueCounts withDetails(queues::QueueCounts counts, qint64 readAtMs,
                                std::optional<qint64> completedTotal,
                                std::optional<qint64> completedLastMinute, bool atLeast,
                                std::optional<qint64> failedLastMinute)
{
    queues::QueueDetails details;
    details.readAtMs = readAtMs;
    details.completed.total = completedTotal;
    details.completed.lastMinute = completedLastMinute;
    details.completed.atLeast = atLeast;
    details.failed.lastMinute = failedLastMinute;
    counts.details = std::make_shared<const queues::QueueDetails>(details);
    return counts;
}

monitor::PollSnapshot poll(qint64 timestampMs, const QList<queues::QueueCounts> &queues)
{
    monitor::PollSnapshot snapshot;
    snapshot.timestampMs = timestampMs;
    snapshot.queues = queues;
    return snapshot;
}

QString cell(const QueueTableModel &model, int row, Column column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, int(column)), role).toString();
}

} // namespace

class TestQueueTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unifiedColumnsAndTooltip()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        queues::QueueCounts rq;
        rq.queue = {queues::Framework::RQ, "rq", "default"};
        rq.set(QStringLiteral("queued"), 1234);
        rq.set(QStringLiteral("started"), 2);
        rq.set(QStringLiteral("scheduled"), 5);
        rq.set(QStringLiteral("deferred"), 9);
        rq.workers = 3;
        queues::QueueCounts sidekiq;
        sidekiq.queue = {queues::Framework::Sidekiq, "", "mailers"};
        sidekiq.set(QStringLiteral("enqueued"), 7);
        sidekiq.oldestWaitingAgeMs = 90'000;
        sidekiq.paused = true;
        model.update(poll(1000, {bullmq("emails", 10, 100, 5), rq, sidekiq}), monitor);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), QueueTableModel::ColumnCount);

        QCOMPARE(cell(model, 0, Column::Framework), QStringLiteral("BullMQ"));
        QCOMPARE(cell(model, 0, Column::Name), QStringLiteral("emails"));
        QCOMPARE(cell(model, 0, Column::Waiting), QStringLiteral("10"));
        QCOMPARE(cell(model, 0, Column::Active), QStringLiteral("1"));
        QCOMPARE(cell(model, 0, Column::Delayed), QStringLiteral("2"));
        QCOMPARE(cell(model, 0, Column::Failed), QStringLiteral("5"));
        QCOMPARE(cell(model, 0, Column::Completed), QStringLiteral("100"));
        QCOMPARE(cell(model, 0, Column::Prioritized), QStringLiteral("3"));
        QCOMPARE(cell(model, 0, Column::WaitingChildren), QStringLiteral("4"));
        QCOMPARE(model.headerData(int(Column::Prioritized), Qt::Horizontal).toString(),
                 QStringLiteral("Prioritized"));
        QVERIFY(!model.headerData(int(Column::WaitingChildren), Qt::Horizontal, Qt::ToolTipRole)
                     .toString()
                     .isEmpty());
        const QString tip = cell(model, 0, Column::Name, Qt::ToolTipRole);
        for (const char *line : {"waiting: 10", "prioritized: 3", "waiting-children: 4",
                                 "completed: 100", "Key prefix: bull"})
            QVERIFY2(tip.contains(QLatin1String(line)), qPrintable(tip));

        QCOMPARE(cell(model, 1, Column::Waiting), QStringLiteral("1,234"));
        QCOMPARE(model.data(model.index(1, int(Column::Waiting)), QueueTableModel::SortRole),
                 QVariant::fromValue(qint64(1234)));
        QCOMPARE(cell(model, 1, Column::Active), QStringLiteral("2"));
        QCOMPARE(cell(model, 1, Column::Delayed), QStringLiteral("5"));
        QCOMPARE(cell(model, 1, Column::Workers), QStringLiteral("3"));
        QVERIFY(cell(model, 1, Column::Completed).isEmpty());   // not read: blank, not 0
        QVERIFY(cell(model, 1, Column::Prioritized).isEmpty()); // RQ has no priorities

        QCOMPARE(cell(model, 2, Column::Waiting), QStringLiteral("7"));
        QCOMPARE(cell(model, 2, Column::OldestWaiting), QStringLiteral("1 min"));
        QCOMPARE(cell(model, 2, Column::Paused), QStringLiteral("paused"));
        QVERIFY(cell(model, 2, Column::Failed).isEmpty());
        QVERIFY(
            !model.data(model.index(2, int(Column::Failed)), QueueTableModel::SortRole).isValid());
        QCOMPARE(cell(model, 2, Column::Name, QueueTableModel::QueueIdRole), sidekiq.queue.id());
    }

    void serverDataIsShownVisibly()
    {
        // A queue name and a note with a clear-screen, a C1 CSI and a bidi override: the table
        // shows escapes, never the raw controls (no invisible reordering of a cell).
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        queues::QueueCounts evil = bullmq("a\xe2\x80\xae"
                                          "b\x1b[2J",
                                          1, 1, 1);
        evil.note = QString::fromUtf8("note\x1b]0;t\x07\xc2\x9b\n2");
        model.update(poll(1000, {evil}), monitor);
        QCOMPARE(cell(model, 0, Column::Name), QStringLiteral("a\\u202eb\\x1b[2J"));
        QCOMPARE(cell(model, 0, Column::Note), QStringLiteral("note\\x1b]0;t\\x07\\u009b\\x0a2"));
        const QString tip = cell(model, 0, Column::Name, Qt::ToolTipRole);
        QVERIFY2(!tip.contains(QChar(0x1b)) && !tip.contains(QChar(0x202e)) &&
                     !tip.contains(QChar(0x9b)),
                 qPrintable(tip));
    }

    void mergeKeepsPersistentIndexes()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.update(poll(1000, {bullmq("a", 1, 0, 0), bullmq("b", 2, 0, 0), bullmq("c", 3, 0, 0)}),
                     monitor);
        const QPersistentModelIndex c(model.index(2, int(Column::Waiting)));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // "a" goes, "c" changes, "d" arrives.
        model.update(
            poll(2000, {bullmq("b", 2, 0, 0), bullmq("c", 30, 0, 0), bullmq("d", 4, 0, 0)}),
            monitor);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QVERIFY(changed.count() >= 1);
        QVERIFY(c.isValid());
        QCOMPARE(c.row(), 1);
        QCOMPARE(c.data().toString(), QStringLiteral("30"));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 2, Column::Name), QStringLiteral("d"));

        // A failed poll changes nothing (no rows vanish while the server is away).
        monitor::PollSnapshot failed = poll(3000, {});
        failed.error =
            redis::RedisError{redis::RedisError::Kind::ConnectionLost, QStringLiteral("gone")};
        model.update(failed, monitor);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(c.data().toString(), QStringLiteral("30"));
    }

    void ratesFromTheFinishedSets()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Before the first detail read: blank, not 0.
        model.update(poll(1'000, {bullmq("q", 0, 2000, 10)}), monitor);
        QVERIFY(cell(model, 0, Column::CompletedPerMinute).isEmpty());

        // removeOnComplete keeps the set at 2,000 while jobs complete: its size does not move,
        // but 45 jobs of it finished within the last minute, 3 of the failed ones too.
        model.update(
            poll(2'000, {withDetails(bullmq("q", 0, 2000, 10), 2'000, std::nullopt, 45, false, 3)}),
            monitor);
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("45"));
        QCOMPARE(cell(model, 0, Column::FailedPerMinute), QStringLiteral("3"));
        QVERIFY2(cell(model, 0, Column::CompletedPerMinute, Qt::ToolTipRole)
                     .contains(QLatin1String("last minute")),
                 qPrintable(cell(model, 0, Column::CompletedPerMinute, Qt::ToolTipRole)));
        QCOMPARE(
            model.data(model.index(0, int(Column::CompletedPerMinute)), QueueTableModel::SortRole)
                .toDouble(),
            45.0);

        // Every job of the set finished within the minute: the cap may have dropped some.
        model.update(poll(12'000, {withDetails(bullmq("q", 0, 2000, 10), 12'000, std::nullopt, 2000,
                                               true, 0)}),
                     monitor);
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("≥2000"));
        QVERIFY(cell(model, 0, Column::CompletedPerMinute, Qt::ToolTipRole)
                    .startsWith(QLatin1String("At least")));
        QCOMPARE(cell(model, 0, Column::FailedPerMinute), QStringLiteral("0"));
    }

    void ratesFromAFrameworkCounter()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        // BullMQ metrics: a counter that only grows; the rate needs two readings 10 s apart.
        model.update(poll(0, {withDetails(bullmq("q", 0, 50, 0), 0, 1000, 50, true, 0)}), monitor);
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("≥50"));
        // The same reading carried on later polls counts once.
        model.update(poll(1'000, {withDetails(bullmq("q", 0, 50, 0), 0, 1000, 50, true, 0)}),
                     monitor);
        model.update(poll(30'000, {withDetails(bullmq("q", 0, 50, 0), 30'000, 1060, 50, true, 0)}),
                     monitor);
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("120"));
        QVERIFY(cell(model, 0, Column::CompletedPerMinute, Qt::ToolTipRole)
                    .contains(QLatin1String("counter")));
        // A counter that went down was reset: measuring starts again (the set's count shows).
        model.update(poll(40'000, {withDetails(bullmq("q", 0, 50, 0), 40'000, 5, 7, false, 0)}),
                     monitor);
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("7"));
    }

    void unknownRatesSayWhy()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        queues::QueueCounts rq;
        rq.queue = {queues::Framework::RQ, "rq", "default"};
        rq.set(QStringLiteral("queued"), 4);
        rq.set(QStringLiteral("finished"), 100);
        queues::QueueDetails details;
        details.readAtMs = 1'000;
        details.completed.unknownWhy = QStringLiteral("RQ keeps no count of finished jobs");
        details.failed.unknownWhy = details.completed.unknownWhy;
        details.oldestWaitingWhy = QStringLiteral("not knowable here");
        rq.details = std::make_shared<const queues::QueueDetails>(details);
        model.update(poll(1'000, {rq}), monitor);
        model.update(poll(31'000, {rq}), monitor);
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("—"));
        QCOMPARE(cell(model, 0, Column::FailedPerMinute), QStringLiteral("—"));
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute, Qt::ToolTipRole),
                 details.completed.unknownWhy);
        QVERIFY(
            !model.data(model.index(0, int(Column::CompletedPerMinute)), QueueTableModel::SortRole)
                 .isValid());
        QCOMPARE(cell(model, 0, Column::OldestWaiting), QStringLiteral("—"));
        QCOMPARE(cell(model, 0, Column::OldestWaiting, Qt::ToolTipRole),
                 QStringLiteral("not knowable here"));
    }

    void counterRateOverAboutAMinute()
    {
        monitor::CounterRate rate;
        QVERIFY(!rate.perMinute());
        rate.add(0, 100);
        rate.add(5'000, 100);       // Sidekiq flushes its counters every few seconds
        QVERIFY(!rate.perMinute()); // 5 s say too little
        rate.add(10'000, 130);
        QCOMPARE(*rate.perMinute(), 180.0);
        for (qint64 t = 15'000; t <= 120'000; t += 5'000)
            rate.add(t, 130 + (t - 10'000) / 1000); // 60 per minute from here on
        QCOMPARE(*rate.perMinute(), 60.0);          // the burst at the start left the window
        rate.add(125'000, 3);                       // reset
        QVERIFY(!rate.perMinute());
    }

    void historyIsBoundedWithGaps()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        monitor::QueueHistory history(3);
        for (int i = 0; i < 5; ++i)
            history.append(poll(i * 1000, {bullmq("q", i, 0, 0)}), monitor);
        const QString id = bullmq("q", 0, 0, 0).queue.id();
        QVERIFY(history.series(id));
        QCOMPARE(history.series(id)->size(), 3);
        QCOMPARE(history.series(id)->at(0).waiting, 2.0);
        QCOMPARE(history.series(id)->latest().waiting, 4.0);
        QCOMPARE(history.total().latest().delayed, 2.0);

        monitor::PollSnapshot failed = poll(5000, {});
        failed.error =
            redis::RedisError{redis::RedisError::Kind::ConnectionLost, QStringLiteral("gone")};
        history.append(failed, monitor);
        QVERIFY(std::isnan(history.series(id)->latest().waiting));
        QVERIFY(std::isnan(history.total().latest().waiting));
        QCOMPARE(history.series(id)->latest().timestampMs, qint64(5000));
    }
};

QTEST_MAIN(TestQueueTableModel)
#include "tst_queuetablemodel.moc"
