// The shapes QueueMonitor keeps instead of each queue's commands (CommandShapes): for every
// framework, filled in with a queue's name they are the commands the framework's adapter builds
// for that queue, byte for byte, whatever the name. A shape that did not fit would not be wrong
// (the monitor keeps a queue's own commands where its shape does not give them exactly), but
// its memory would be back: 840 bytes a queue.
#include "monitor/queuemonitor.h"
#include "queues/queueadapter.h"

#include <QTest>

using namespace qs;

class TestCommandShapes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyFrameworksCommandsFitTheirShape_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("plain") << QByteArray("emails");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("colons") << QByteArray("a:b:wait");
        QTest::newRow("unicode and quotes") << QByteArray("rapports-é \"q\"");
        QTest::newRow("binary") << QByteArray("x\0\r\n\xff", 5);
        QTest::newRow("long") << QByteArray(300, 'q');
    }
    void everyFrameworksCommandsFitTheirShape()
    {
        QFETCH(QByteArray, name);
        const qint64 now = 1'700'000'000'000;
        int frameworks = 0;
        for (const auto &adapter : monitor::QueueMonitor::defaultAdapters()) {
            for (const QByteArray &prefix : {QByteArray("bull"), QByteArray(), QByteArray("p:")}) {
                const queues::QueueRef queue{adapter->framework(), prefix, name};
                const monitor::CommandShapes shapes =
                    monitor::CommandShapes::of(*adapter, prefix, now);
                if (!adapter->countsUseClock()) {
                    QVERIFY(shapes.counts);
                    QCOMPARE(shapes.counts->filledIn(name).bytes(),
                             redis::EncodedCommands(adapter->countCommands(queue, now)).bytes());
                }
                QList<redis::RedisCommand> details = adapter->detailCommands(queue, now);
                const qsizetype fixed = details.size() - adapter->clockedDetailCommands();
                QVERIFY(shapes.details);
                QCOMPARE(shapes.details->filledIn(name).bytes(),
                         redis::EncodedCommands(details.first(fixed)).bytes());
                // Those that carry the clock: a shape built for a tick's clock, filled in, is
                // what the adapter builds for the queue at that clock (BullMQ and Bull: the
                // ZCOUNTs of the last minute's finished jobs).
                const auto clocked =
                    monitor::CommandShapes::clockedDetailsOf(*adapter, prefix, now);
                QCOMPARE(bool(clocked), adapter->clockedDetailCommands() > 0);
                if (clocked)
                    QCOMPARE(clocked->filledIn(name).bytes(),
                             redis::EncodedCommands(details.mid(fixed)).bytes());
            }
            ++frameworks;
        }
        QCOMPARE(frameworks, 5);
    }
    // A later tick's clocked shape differs from the first one's by the clock only: the queue's
    // commands at that tick, not the first tick's.
    void theClockedShapeFollowsTheTick()
    {
        for (const auto &adapter : monitor::QueueMonitor::defaultAdapters()) {
            if (adapter->clockedDetailCommands() == 0)
                continue;
            const queues::QueueRef queue{adapter->framework(), "bull", "emails"};
            const qint64 first = 1'700'000'000'000;
            const qint64 later = first + 10'000;
            const auto shape = monitor::CommandShapes::clockedDetailsOf(*adapter, "bull", later);
            QVERIFY(shape);
            const QList<redis::RedisCommand> built = adapter->detailCommands(queue, later);
            const QByteArray expected =
                redis::EncodedCommands(built.mid(built.size() - adapter->clockedDetailCommands()))
                    .bytes();
            QCOMPARE(shape->filledIn("emails").bytes(), expected);
            QVERIFY(expected.contains(QByteArray::number(later - 60'000)));
            QVERIFY(!expected.contains(QByteArray::number(first - 60'000)));
        }
    }
};

QTEST_GUILESS_MAIN(TestCommandShapes)
#include "tst_commandshapes.moc"
