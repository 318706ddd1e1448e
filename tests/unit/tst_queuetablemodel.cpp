// QueueTableModel: unified columns from native counts, merge by queue id (persistent indexes
// survive), per-minute rates from counter deltas, and blanks where a rate would be a lie.
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
        QVERIFY(cell(model, 1, Column::Completed).isEmpty()); // not read: blank, not 0

        QCOMPARE(cell(model, 2, Column::Waiting), QStringLiteral("7"));
        QCOMPARE(cell(model, 2, Column::OldestWaiting), QStringLiteral("1 min"));
        QCOMPARE(cell(model, 2, Column::Paused), QStringLiteral("paused"));
        QVERIFY(cell(model, 2, Column::Failed).isEmpty());
        QVERIFY(
            !model.data(model.index(2, int(Column::Failed)), QueueTableModel::SortRole).isValid());
        QCOMPARE(cell(model, 2, Column::Name, QueueTableModel::QueueIdRole), sidekiq.queue.id());
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

    void ratesFromDeltas()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        model.update(poll(10'000, {bullmq("q", 0, 100, 10)}), monitor);
        QVERIFY(cell(model, 0, Column::CompletedPerMinute).isEmpty()); // first poll: blank
        QVERIFY(cell(model, 0, Column::FailedPerMinute).isEmpty());

        model.update(poll(40'000, {bullmq("q", 0, 160, 13)}), monitor); // 30 s later
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("120"));
        QCOMPARE(cell(model, 0, Column::FailedPerMinute), QStringLiteral("6.0"));
        QCOMPARE(
            model.data(model.index(0, int(Column::CompletedPerMinute)), QueueTableModel::SortRole)
                .toDouble(),
            120.0);

        model.update(poll(100'000, {bullmq("q", 0, 160, 13)}), monitor); // idle minute
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("0.0"));
    }

    void counterGoingDownGivesBlankRate()
    {
        monitor::QueueMonitor monitor(nullptr, monitor::QueueMonitor::defaultAdapters());
        QueueTableModel model;
        model.update(poll(0, {bullmq("q", 0, 500, 50)}), monitor);
        model.update(poll(60'000, {bullmq("q", 0, 600, 40)}), monitor); // failed was cleaned
        QCOMPARE(cell(model, 0, Column::CompletedPerMinute), QStringLiteral("100"));
        QVERIFY(cell(model, 0, Column::FailedPerMinute).isEmpty());
        QVERIFY(!model.data(model.index(0, int(Column::FailedPerMinute)), QueueTableModel::SortRole)
                     .isValid());
        model.update(poll(120'000, {bullmq("q", 0, 600, 46)}), monitor); // counts again after
        QCOMPARE(cell(model, 0, Column::FailedPerMinute), QStringLiteral("6.0"));
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
