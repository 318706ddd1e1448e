// Stored alert events: written and read back with acknowledgements and snoozes, in the server's
// history database next to the history's own tables, and in memory when the file cannot be used.
#include "alerts/alertlog.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace qs::alerts;

namespace {

AlertEvent makeEvent(const char *rule, AlertState state, qint64 atMs, const char *queue = "")
{
    AlertEvent e;
    e.rule = QLatin1String(rule);
    e.state = state;
    e.severity = Severity::Critical;
    e.server = QStringLiteral("prod");
    if (*queue)
        e.queue = QLatin1String(queue); // else null, as a server rule's
    e.series = QStringLiteral("server.evictedPerSec");
    e.value = 2.5;
    e.threshold = 0;
    e.condition = QStringLiteral("above 0");
    e.sinceMs = atMs - 1000;
    e.atMs = atMs;
    e.message = QStringLiteral("Redis is evicting keys");
    return e;
}

} // namespace

class TestAlertLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storesAndReadsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history/prod.sqlite"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        qint64 fired = 0;
        {
            AlertLog log(path);
            QVERIFY2(log.onDisk(), qPrintable(log.message()));
            fired = log.append(makeEvent("evictions", AlertState::Fired, now - 5000), "pending");
            QVERIFY(fired > 0);
            log.setNotified(fired, QStringLiteral("sent"));
            log.append(makeEvent("evictions", AlertState::Resolved, now - 1000), "sent");
            QVERIFY(log.acknowledge(fired, now));
            QVERIFY(!log.acknowledge(fired, now)); // once
            QVERIFY(!log.acknowledge(9999, now));
            log.snooze(QStringLiteral("failed-burst"), QStringLiteral("rq/rq/default"),
                       now + 3'600'000);
            QVERIFY2(log.message().isEmpty(), qPrintable(log.message()));
        }
        AlertLog reopened(path, false);
        QVERIFY(reopened.onDisk());
        const QList<StoredAlert> events = reopened.events();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).event.state, AlertState::Resolved); // newest first
        QCOMPARE(events.at(1).id, fired);
        QCOMPARE(events.at(1).notified, QStringLiteral("sent"));
        QCOMPARE(events.at(1).acknowledgedMs, now);
        QCOMPARE(events.at(1).event.toJson(),
                 makeEvent("evictions", AlertState::Fired, now - 5000).toJson());
        QCOMPARE(reopened.events(10, fired).size(), 1);
        QVERIFY(reopened.isSnoozed("failed-burst", "rq/rq/default", now));
        QVERIFY(!reopened.isSnoozed("failed-burst", "rq/rq/other", now));
        QVERIFY(!reopened.isSnoozed("failed-burst", "rq/rq/default", now + 3'600'001));
        reopened.snooze(QStringLiteral("*"), QStringLiteral("*"), now + 60'000);
        QVERIFY(reopened.isSnoozed("memory-high", "", now));
    }

    void aMissingDatabaseIsAnEmptyLogWhenOnlyReading()
    {
        QTemporaryDir dir;
        AlertLog log(dir.filePath(QStringLiteral("none.sqlite")), false);
        QVERIFY(!log.onDisk());
        QVERIFY(log.message().contains(QLatin1String("no alerts recorded yet")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("none.sqlite"))));
    }

    void aDamagedDatabaseKeepsEventsInMemory()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("damaged.sqlite"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        AlertLog log(path);
        QVERIFY(!log.onDisk());
        QVERIFY2(log.message().contains(QLatin1String("kept in memory")),
                 qPrintable(log.message()));
        const qint64 id = log.append(makeEvent("evictions", AlertState::Fired, 1000), "sent");
        QVERIFY(log.acknowledge(id, 2000));
        QCOMPARE(log.events().size(), 1);
        QCOMPARE(log.events().first().acknowledgedMs, 2000);
    }
};

QTEST_GUILESS_MAIN(TestAlertLog)
#include "tst_alertlog.moc"
