// One voice per server: a window and a recorder of the same server evaluate the same rules, but
// only the process holding the alerts lock stores an event and runs the notifier; the other picks
// the stored event up. Synthetic polls (fakes above the transport), a real notifier command.
#include "alerts/alertmonitor.h"
#include "alerts/alertrules.h"
#include "monitor/historysamples.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace qs;

namespace {

monitor::PollSnapshot memoryAt(int percent, qint64 atMs)
{
    monitor::PollSnapshot snapshot;
    snapshot.timestampMs = atMs;
    snapshot.info = redis::parseInfo(
        QStringLiteral("# Memory\r\nused_memory:%1\r\nmaxmemory:100\r\n").arg(percent).toUtf8());
    return snapshot;
}

int lines(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? int(file.readAll().count('\n')) : 0;
}

} // namespace

class TestAlertMonitor : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QDir().mkpath(QFileInfo(alerts::AlertRules::globalPath()).absolutePath());
        QFile rules(alerts::AlertRules::globalPath());
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write(QStringLiteral(R"({"notify": "cat >> '%1'",
            "rules": [{"id": "memory-high", "for": 0, "clear": 0}]})")
                        .arg(m_dir.filePath(QStringLiteral("notified.jsonl")))
                        .toUtf8());
    }
    void cleanupTestCase() { QFile::remove(alerts::AlertRules::globalPath()); }

    void onlyOneOfTwoWatchersNotifies()
    {
        const QString log = m_dir.filePath(QStringLiteral("history/prod.sqlite"));
        alerts::AlertMonitor window(QStringLiteral("prod"), QStringLiteral("prod"), log);
        alerts::AlertMonitor recorder(QStringLiteral("prod"), QStringLiteral("prod"), log);
        QVERIFY(window.isVoice());
        QVERIFY(!recorder.isVoice());
        QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));
        QSignalSpy windowEvents(&window, &alerts::AlertMonitor::eventsAdded);
        QSignalSpy recorderEvents(&recorder, &alerts::AlertMonitor::eventsAdded);
        QSignalSpy notified(&window, &alerts::AlertMonitor::notified);
        monitor::HistorySamples windowSamples, recorderSamples;
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
        for (const auto &[percent, at] : {std::pair{50, t0}, std::pair{90, t0 + 1000}}) {
            const monitor::PollSnapshot poll = memoryAt(percent, at);
            const monitor::HealthReport health = monitor::evaluateHealth(poll.info);
            window.evaluate(poll, windowSamples.take(poll), health, nullptr);
            recorder.evaluate(poll, recorderSamples.take(poll), health, nullptr);
        }
        // Both see it fire; one stored event, one notification.
        QCOMPARE(window.engine().firing().size(), 1);
        QCOMPARE(recorder.engine().firing().size(), 1);
        QCOMPARE(windowEvents.size(), 1);
        QCOMPARE(recorderEvents.size(), 1);
        const auto stored = recorderEvents.first().first().value<QList<alerts::StoredAlert>>();
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().event.rule, QStringLiteral("memory-high"));
        QVERIFY(notified.wait(10'000));
        QCOMPARE(notified.first().at(1).toString(), QStringLiteral("sent"));
        QCOMPARE(lines(m_dir.filePath(QStringLiteral("notified.jsonl"))), 1);
        QCOMPARE(window.log().events().size(), 1);
        QCOMPARE(window.log().events().first().notified, QStringLiteral("sent"));
    }
};

QTEST_GUILESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
