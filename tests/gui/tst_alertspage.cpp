// The Alerts page of a server in the window, against a real redis-server: a rule that fires shows
// in the tab's title and the table, reaches the tray once (ruleAlert), and can be acknowledged
// and snoozed from the page; the screenshot is saved for a person to look at.
#include "artifactpath.h"
#include "redisserver.h"

#include "alertspage.h"
#include "serverview.h"

#include "alerts/alerteventmodel.h"
#include "alerts/alertmonitor.h"
#include "alerts/alertrules.h"
#include "session/serversession.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace qs;

class TestAlertsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString rules = alerts::AlertRules::globalPath();
        QDir().mkpath(QFileInfo(rules).absolutePath());
        QFile file(rules);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Fires on the first poll: the window's two connections are clients.
        file.write(R"({"rules": [{"id": "clients-high", "enabled": true, "above": 0,
                                  "for": 0, "severity": "critical"}]})");
    }
    void cleanupTestCase() { QFile::remove(alerts::AlertRules::globalPath()); }

    void firesAcknowledgesAndSnoozes()
    {
        test::RedisServer server;
        QVERIFY(server.start());
        core::ConnectionProfile profile = server.profile();
        profile.name = QStringLiteral("alerts-page-%1").arg(server.port());
        QFile::remove(session::SessionOptions::historyPathFor(profile));
        session::ServerSession session(profile, session::SessionOptions::window(profile));
        widgets::ServerView view(&session);
        view.resize(1100, 520);
        QVERIFY(view.alerts());
        QAbstractItemModelTester tester(view.alerts()->model());
        QSignalSpy toTray(&view, &widgets::ServerView::ruleAlert);
        session.open();
        const int tab = view.tabs()->indexOf(view.alerts());
        QTRY_COMPARE_WITH_TIMEOUT(view.tabs()->tabText(tab), QStringLiteral("A&lerts (1)"), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(toTray.size(), 1, 5'000);
        const auto notification = toTray.first().first().value<monitor::ServerNotification>();
        QCOMPARE(notification.level, monitor::ServerNotification::Level::Critical);
        QCOMPARE(notification.title, profile.name + QStringLiteral(": clients-high"));

        widgets::AlertsPage *page = view.alerts();
        QTableView *table = page->view();
        QCOMPARE(table->model()->rowCount(), 1);
        const auto cell = [&](alerts::AlertEventModel::Column column) {
            return table->model()->index(0, int(column)).data().toString();
        };
        QCOMPARE(cell(alerts::AlertEventModel::Column::State), QStringLiteral("fired"));
        QCOMPARE(cell(alerts::AlertEventModel::Column::Rule), QStringLiteral("clients-high"));
        QVERIFY(cell(alerts::AlertEventModel::Column::Message)
                    .startsWith(QLatin1String("server.connectedClients is ")));
        QCOMPARE(cell(alerts::AlertEventModel::Column::Notifier), QStringLiteral("no notifier"));
        QVERIFY(page->firingText().startsWith(QLatin1String("Firing now: clients-high")));
        QVERIFY(!page->acknowledgeButton()->isEnabled()); // nothing selected

        view.tabs()->setCurrentIndex(tab);
        table->selectRow(0);
        QVERIFY(page->acknowledgeButton()->isEnabled());
        QVERIFY(test::artifactPath(QStringLiteral("alerts-page.png")).size() > 0);
        QVERIFY(view.grab().save(test::artifactPath(QStringLiteral("alerts-page.png"))));
        page->acknowledgeButton()->click();
        QVERIFY(!cell(alerts::AlertEventModel::Column::Acknowledged).isEmpty());
        QVERIFY(!page->acknowledgeButton()->isEnabled());

        QVERIFY(page->snoozesText().isEmpty());
        page->snoozeButton()->menu()->actions().first()->trigger(); // for 1 hour
        QVERIFY2(page->snoozesText().startsWith(QLatin1String("Snoozed: clients-high until ")),
                 qPrintable(page->snoozesText()));
        QVERIFY(session.alerts()->log().isSnoozed(QStringLiteral("clients-high"), {},
                                                  QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(view.grab().save(test::artifactPath(QStringLiteral("alerts-page-acked.png"))));
        page->snoozeButton()->menu()->actions().last()->trigger(); // end it
        QVERIFY(page->snoozesText().isEmpty());
        QCOMPARE(toTray.size(), 1); // fired once: no repeat on later polls
        session.close();
    }
};

QTEST_MAIN(TestAlertsPage)
#include "tst_alertspage.moc"
