// Issue 15, must-have 3 (first half): closing the window can keep QueueScope polling and
// recording in the tray (a setting, off where the desktop has no tray); Quit in the tray's menu
// ends it. Against a real redis-server; the offscreen platform has no tray, so the "tray shown"
// cases tell TrayIcon to act as if it had one.
#include "redisserver.h"

#include "mainwindow.h"
#include "serverview.h"
#include "trayicon.h"

#include "history/historyrecorder.h"
#include "history/historystore.h"
#include "monitor/historysamples.h"
#include "monitor/poller.h"
#include "session/serversession.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace qs;

class TestTrayRecording : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().remove(QStringLiteral("tray/keepRunning")); }
    void cleanup() { widgets::TrayIcon::setAvailableForTest(std::nullopt); }

    void withoutATrayClosingQuits()
    {
        widgets::TrayIcon::setAvailableForTest(false);
        widgets::MainWindow window;
        window.show();
        QVERIFY(!window.keepsRunningInTray()); // off by default where there is no tray
        QVERIFY(!window.keepRunningAction()->isEnabled());
        // Even when set (a settings file from a desktop with a tray): nothing could bring a
        // hidden window back, so closing closes.
        window.setKeepRunningInTray(true);
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
    }

    void theSettingIsKeptAndOnByDefaultWithATray()
    {
        widgets::TrayIcon::setAvailableForTest(true);
        {
            widgets::MainWindow window;
            QVERIFY(window.keepsRunningInTray());
            QVERIFY(window.keepRunningAction()->isEnabled());
            QVERIFY(window.keepRunningAction()->isChecked());
            window.keepRunningAction()->trigger(); // the user turns it off in the File menu
            QVERIFY(!window.keepsRunningInTray());
        }
        widgets::MainWindow again;
        QVERIFY(!again.keepsRunningInTray());
        QVERIFY(!again.keepRunningAction()->isChecked());
        QCOMPARE(QSettings().value(QStringLiteral("tray/keepRunning")).toBool(), false);
    }

    // Closed to the tray: the window hides, polls go on and are recorded on disk; the event
    // loop (the app) keeps running. Quit in the tray's menu ends it.
    void closedToTheTrayItKeepsPollingAndRecordingUntilQuit()
    {
        test::RedisServer server;
        QVERIFY(server.start());
        const QString path = session::SessionOptions::historyPathFor(server.profile());
        QFile::remove(path);
        widgets::TrayIcon::setAvailableForTest(true);
        widgets::MainWindow window;
        window.show();
        widgets::ServerView *view = window.openServer(server.profile());
        session::ServerSession *session = view->session();
        session->poller()->setIntervalMs(200);
        QSignalSpy polls(session, &session::ServerSession::polled);
        QTRY_VERIFY_WITH_TIMEOUT(polls.size() >= 2, 15'000);

        QVERIFY(!window.close()); // the close is turned into a hide
        QVERIFY(!window.isVisible());
        const qint64 hiddenAt = QDateTime::currentMSecsSinceEpoch();
        polls.clear();
        // Closing did not end the app: the event loop runs on (it would return 0 at once).
        QTimer::singleShot(1'500, qApp, [] { QCoreApplication::exit(7); });
        QCOMPARE(QApplication::exec(), 7);
        // Three seconds of polls in the tray: at least two 1 s steps recorded after the hide.
        QTRY_VERIFY_WITH_TIMEOUT(
            polls.size() >= 3 && QDateTime::currentMSecsSinceEpoch() - hiddenAt > 3'500, 15'000);
        QVERIFY(session->recorder());
        QVERIFY(session->recorder()->flush());
        history::HistoryStore store(path);
        QVERIFY2(store.open(history::HistoryStore::Access::Read).readable,
                 qPrintable(store.status().message));
        const auto clients =
            store.read(monitor::HistorySamples::serverSeries(monitor::Metric::ConnectedClients),
                       hiddenAt, QDateTime::currentMSecsSinceEpoch(), 1'000);
        QVERIFY2(clients.points.size() >= 2, "no poll recorded while the window was in the tray");
        QVERIFY(clients.points.last().second >= 1);

        // The tray's Quit ends the event loop: QueueScope quits.
        QTimer::singleShot(0, &window, [&window] { window.tray()->quitAction()->trigger(); });
        QTimer deadline;
        deadline.setSingleShot(true);
        connect(&deadline, &QTimer::timeout, qApp, [] { QCoreApplication::exit(9); });
        deadline.start(10'000);
        QCOMPARE(QApplication::exec(), 0);
        QVERIFY(!window.isVisible());
    }
};

QTEST_MAIN(TestTrayRecording)
#include "tst_trayrecording.moc"
