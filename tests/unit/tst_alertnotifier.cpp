// The notifier command: the event's JSON on stdin, a deadline that kills the command and what it
// started, bounded output, a bounded number at once; never blocks the thread that asks.
#include "alerts/alertnotifier.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qs::alerts;

namespace {

AlertEvent sample()
{
    AlertEvent event;
    event.rule = QStringLiteral("memory-high");
    event.state = AlertState::Fired;
    event.server = QStringLiteral("prod");
    event.series = QStringLiteral("server.memoryPercent");
    event.value = 85;
    event.threshold = 80;
    event.condition = QStringLiteral("above 80 for 5m");
    event.sinceMs = 1'780'000'000'000;
    event.atMs = 1'780'000'300'000;
    event.message = QStringLiteral("memory at 85% of maxmemory");
    return event;
}

// Runs one notification and returns (outcome, output).
QPair<QString, QByteArray> notifyOnce(const NotifierCommand &command, int timeoutMs = 20'000)
{
    AlertNotifier notifier;
    notifier.setCommand(command);
    QSignalSpy finished(&notifier, &AlertNotifier::finished);
    notifier.notify(sample(), 42);
    if (!finished.wait(timeoutMs))
        return {};
    return {finished.first().at(1).toString(), finished.first().at(2).toByteArray()};
}

} // namespace

class TestAlertNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theEventArrivesAsJsonOnStdin()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("event.json"));
        AlertNotifier notifier;
        notifier.setCommand({QStringLiteral("cat > '%1'").arg(file), 5'000});
        QSignalSpy finished(&notifier, &AlertNotifier::finished);
        notifier.notify(sample(), 42);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(finished.first().at(0).toLongLong(), 42);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("sent"));
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray line = written.readAll();
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // one line: easy to append to a log
        QCOMPARE(QJsonDocument::fromJson(line).object(), sample().toJson());
    }

    void failuresSayWhy()
    {
        QCOMPARE(
            notifyOnce({QStringLiteral("echo 'no route to hook' >&2; exit 7"), 5'000}),
            (QPair<QString, QByteArray>{QStringLiteral("failed: exit 7"), "no route to hook\n"}));
        QCOMPARE(notifyOnce({}).first, QStringLiteral("no notifier"));
        // A command that does not read its stdin is no failure of ours.
        QCOMPARE(notifyOnce({QStringLiteral("true"), 5'000}).first, QStringLiteral("sent"));
    }

    void aHangingCommandIsKilledWithWhatItStarted()
    {
        QTemporaryDir dir;
        const QString marker = dir.filePath(QStringLiteral("survived"));
        QElapsedTimer clock;
        clock.start();
        // The shell starts a child that would write the marker after 2 s: the whole group goes.
        const auto [outcome, output] =
            notifyOnce({QStringLiteral("(sleep 2; touch '%1') & sleep 30").arg(marker), 1'000});
        QCOMPARE(outcome, QStringLiteral("timed out after 1 s"));
        QVERIFY(clock.elapsed() < 5'000);
        QTest::qWait(2'500); // longer than the child would have needed: proving an absence
        QVERIFY(!QFile::exists(marker));
    }

    void outputIsBounded()
    {
        const auto [outcome, output] =
            notifyOnce({QStringLiteral("head -c 1000000 /dev/zero | tr '\\0' x"), 10'000});
        QCOMPARE(outcome, QStringLiteral("sent"));
        QCOMPARE(output.size(), AlertNotifier::kMaxOutputBytes);
    }

    void atMostFourAtOnceAndNothingBlocks()
    {
        QTemporaryDir dir;
        AlertNotifier notifier;
        notifier.setCommand({QStringLiteral("sleep 0.3; cat >> '%1'")
                                 .arg(dir.filePath(QStringLiteral("all.jsonl"))),
                             5'000});
        QSignalSpy finished(&notifier, &AlertNotifier::finished);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 10; ++i)
            notifier.notify(sample(), i);
        QVERIFY(clock.elapsed() < 250); // queued, not waited for
        QCOMPARE(notifier.running(), AlertNotifier::kMaxRunning);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 10, 20'000);
        QFile all(dir.filePath(QStringLiteral("all.jsonl")));
        QVERIFY(all.open(QIODevice::ReadOnly));
        QCOMPARE(all.readAll().count('\n'), 10);
    }
};

QTEST_GUILESS_MAIN(TestAlertNotifier)
#include "tst_alertnotifier.moc"
