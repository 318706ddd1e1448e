// The Server page against a real redis-server: slow log, clients, INFO, kill with confirmation,
// read-only profiles, ACL users without permissions; on a Redis Cluster every node's clients with
// their node, and a kill sent to that node. Screenshots go to $QS_TEST_ARTIFACTS.
#include "artifactpath.h"
#include "connectionwait.h"
#include "nodeclient.h"
#include "rediscluster.h"
#include "redisserver.h"
#include "startorfail.h"

#include "monitor/clientlistmodel.h"
#include "monitor/slowlogmodel.h"
#include "redis/redisconnection.h"
#include "serverpage.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <functional>
#include <memory>

using namespace qs;
using namespace Qt::StringLiterals;
using qs::test::artifactPath;
using qs::test::RedisServer;
using qs::test::RedisServerOptions;
using qs::widgets::ServerPage;
using ClientColumn = monitor::ClientListModel::Column;
using SlowLogColumn = monitor::SlowLogModel::Column;

namespace {

enum class Tab { SlowLog, Clients, Info };

// The row (in view order) whose `column` text satisfies `match`, or -1.
int findRow(const QTableView *view, int column, const std::function<bool(const QString &)> &match)
{
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (match(model->index(row, column).data().toString()))
            return row;
    }
    return -1;
}

// Accepts the next modal message box once it is up, and keeps its text. A polling timer, not a
// sleep: QMessageBox::exec() runs its own event loop, so the test cannot wait for it directly.
void acceptNextMessageBox(QString *text)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *text = box->text();
        box->button(QMessageBox::Yes)->click();
        timer->deleteLater();
    });
    timer->start();
}

// A connected connection and a shown page on it.
struct Fixture
{
    std::unique_ptr<redis::RedisConnection> connection;
    std::unique_ptr<ServerPage> page;

    template <typename T> T *find(const char *name) const
    {
        return page->findChild<T *>(QLatin1String(name));
    }
    void showTab(Tab tab) const { page->findChild<QTabWidget *>()->setCurrentIndex(int(tab)); }
    bool screenshot(Tab tab, const QString &name) const
    {
        showTab(tab);
        return page->grab().save(artifactPath(u"serverpage-"_s + name + u".png"_s));
    }
};

bool open(Fixture &fixture, const core::ConnectionProfile &profile)
{
    fixture.connection = std::make_unique<redis::RedisConnection>(profile);
    fixture.connection->open();
    if (!test::waitForState(*fixture.connection, redis::ConnectionState::Connected))
        return false;
    fixture.page = std::make_unique<ServerPage>();
    fixture.page->resize(1100, 560);
    fixture.page->setConnection(fixture.connection.get());
    QSignalSpy refreshed(fixture.page.get(), &ServerPage::refreshed);
    fixture.page->show();
    return QTest::qWaitForWindowExposed(fixture.page.get()) &&
           (!refreshed.isEmpty() || refreshed.wait(10'000));
}

} // namespace

class TestServerPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsSlowLogClientsAndInfo()
    {
        RedisServerOptions options;
        options.extraArgs = {u"--slowlog-log-slower-than"_s, u"0"_s};
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        // Unicode arguments reach the table as text, neither mojibake nor \x escapes.
        server.cli({u"SET"_s, u"queue:émoji ✓"_s, u"x"_s});
        server.cli({u"DEBUG"_s, u"SLEEP"_s, u"0.05"_s});
        // A queue worker waiting for a job: blocked in BRPOP, flag 'b'.
        auto workerProfile = server.profile();
        workerProfile.commandTimeoutMs = 120'000;
        redis::TransportOptions workerOptions;
        workerOptions.clientName = u"celery-worker-1"_s;
        redis::RedisConnection worker(workerProfile, workerOptions);
        worker.open();
        QVERIFY(test::waitForState(worker, redis::ConnectionState::Connected));
        QObject workerContext;
        worker.command({"BRPOP", "celery", "0"}, &workerContext, [](auto &&...) {});

        Fixture fixture;
        QVERIFY(open(fixture, server.profile()));

        auto *slowLog = fixture.find<QTableView>("slowLogView");
        QVERIFY(slowLog);
        const int command = int(SlowLogColumn::Command);
        QTRY_VERIFY(findRow(slowLog, command,
                            [](const QString &text) { return text.contains(u"DEBUG"_s); }) >= 0);
        QVERIFY(findRow(slowLog, command, [](const QString &text) {
                    return text == u"SET \"queue:émoji ✓\" x"_s;
                }) >= 0);
        QVERIFY(fixture.find<QLabel>("slowLogBanner")->isHidden());
        // Newest first: the page's own polls come after the DEBUG SLEEP.
        const QAbstractItemModel *rows = slowLog->model();
        QVERIFY(rows->index(0, 0).data(monitor::SlowLogModel::SortRole).toLongLong() >
                rows->index(1, 0).data(monitor::SlowLogModel::SortRole).toLongLong());
        QVERIFY(fixture.screenshot(Tab::SlowLog, u"slowlog"_s));

        fixture.find<QLineEdit>("slowLogFilter")->setText(u"debug"_s);
        QCOMPARE(rows->rowCount(), 1);
        QVERIFY(rows->index(0, command).data().toString().startsWith(u"DEBUG SLEEP"_s));
        fixture.find<QLineEdit>("slowLogFilter")->clear();

        auto *clients = fixture.find<QTableView>("clientsView");
        const int ownRow = findRow(clients, int(ClientColumn::Name), [](const QString &name) {
            return name.startsWith(u"queuescope"_s);
        });
        QVERIFY(ownRow >= 0);
        QCOMPARE(clients->model()->index(ownRow, int(ClientColumn::Command)).data().toString(),
                 u"client|list"_s);
        QVERIFY(clients->model()
                    ->index(ownRow, int(ClientColumn::Flags))
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"N = no special flags"_s));
        const auto isWorker = [](const QString &name) { return name == u"celery-worker-1"_s; };
        fixture.page->refresh();
        QTRY_VERIFY(findRow(clients, int(ClientColumn::Name), isWorker) >= 0);
        const QModelIndex flags = clients->model()->index(
            findRow(clients, int(ClientColumn::Name), isWorker), int(ClientColumn::Flags));
        QTRY_COMPARE(flags.data().toString(), u"b"_s);
        QVERIFY(flags.data(Qt::ToolTipRole).toString().contains(u"waiting worker"_s));
        QVERIFY(fixture.screenshot(Tab::Clients, u"clients"_s));

        auto *info = fixture.find<QTreeWidget>("infoTree");
        const QList<QTreeWidgetItem *> version =
            info->findItems(u"redis_version"_s, Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(version.size(), 1);
        QCOMPARE(version.first()->parent()->text(0), u"Server"_s);
        QVERIFY(version.first()->text(1).startsWith(u"7."_s));
        QVERIFY(fixture.screenshot(Tab::Info, u"info"_s));
        fixture.find<QLineEdit>("infoFilter")->setText(u"used_memory_human"_s);
        int visible = 0;
        for (QTreeWidgetItemIterator it(info, QTreeWidgetItemIterator::NotHidden); *it; ++it)
            visible += (*it)->childCount() == 0 ? 1 : 0;
        QCOMPARE(visible, 1);
    }

    // Issue 11: BullMQ/Bull name their connections "<prefix>:<base64(queue)>" ("bull:ZW1haWxz"
    // is "emails"); the client list says which queue a worker serves.
    void bullWorkerNamesAreDecoded()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        const QByteArray emails = QByteArray("emails").toBase64();
        const QByteArray unicode = QStringLiteral("отчёты").toUtf8().toBase64();
        const QStringList names{u"bull:"_s + QString::fromLatin1(emails),
                                u"bull:"_s + QString::fromLatin1(emails) + u":w:mailer-1"_s,
                                u"{app}:"_s + QString::fromLatin1(unicode) + u":qe"_s,
                                u"app:main"_s};
        std::vector<std::unique_ptr<redis::RedisConnection>> clients;
        for (const QString &name : names) {
            redis::TransportOptions options;
            options.clientName = name;
            clients.push_back(std::make_unique<redis::RedisConnection>(server.profile(), options));
            clients.back()->open();
            QVERIFY(test::waitForState(*clients.back(), redis::ConnectionState::Connected));
        }
        Fixture fixture;
        QVERIFY(open(fixture, server.profile()));
        fixture.showTab(Tab::Clients);
        auto *view = fixture.find<QTableView>("clientsView");
        const int name = int(ClientColumn::Name);
        const QStringList shown{u"bull:emails · worker"_s, u"bull:emails · worker mailer-1"_s,
                                u"{app}:отчёты · QueueEvents"_s, u"app:main"_s};
        for (int i = 0; i < shown.size(); ++i) {
            const QString expected = shown.at(i);
            QTRY_VERIFY2(
                findRow(view, name, [&](const QString &text) { return text == expected; }) >= 0,
                qPrintable(expected));
            const int row =
                findRow(view, name, [&](const QString &text) { return text == expected; });
            if (i < 3)
                QVERIFY(view->model()
                            ->index(row, name)
                            .data(Qt::ToolTipRole)
                            .toString()
                            .contains(names.at(i)));
        }
        QVERIFY(fixture.screenshot(Tab::Clients, u"clients-bull-names"_s));
    }

    void refreshesWhileShownOnly()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        Fixture fixture;
        QVERIFY(open(fixture, server.profile()));
        QSignalSpy refreshed(fixture.page.get(), &ServerPage::refreshed);
        // F5 refreshes at once; then the page re-arms itself every RefreshIntervalMs.
        fixture.page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(fixture.page.get()));
        QTest::keyClick(fixture.find<QTableView>("slowLogView"), Qt::Key_F5);
        QVERIFY(refreshed.wait(2'000));
        QVERIFY(refreshed.wait(ServerPage::RefreshIntervalMs + 3'000));
        fixture.page->hide();
        refreshed.clear();
        QVERIFY(!refreshed.wait(ServerPage::RefreshIntervalMs + 1'500));
        // Shown again: refreshes at once.
        fixture.page->show();
        QVERIFY(refreshed.wait(2'000));
    }

    void killsClientAfterConfirmation()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        Fixture fixture;
        auto profile = server.profile();
        profile.name = u"staging-cache"_s;
        QVERIFY(open(fixture, profile));
        // A victim that stays down once killed (a real worker would reconnect with a new id).
        redis::TransportOptions victimOptions;
        victimOptions.clientName = u"victim-worker"_s;
        victimOptions.autoReconnect = false;
        auto victim = std::make_unique<redis::RedisConnection>(profile, victimOptions);
        victim->open();
        QVERIFY(test::waitForState(*victim, redis::ConnectionState::Connected));

        auto *clients = fixture.find<QTableView>("clientsView");
        auto *kill = fixture.find<QPushButton>("clientsAction");
        QVERIFY(!kill->isEnabled()); // nothing selected yet
        const auto isVictim = [](const QString &name) { return name == u"victim-worker"_s; };
        fixture.page->refresh();
        QTRY_VERIFY(findRow(clients, int(ClientColumn::Name), isVictim) >= 0);
        clients->selectRow(findRow(clients, int(ClientColumn::Name), isVictim));
        QVERIFY(kill->isEnabled());
        // One server: no node columns.
        QVERIFY(clients->isColumnHidden(int(ClientColumn::Node)));
        QVERIFY(fixture.find<QTableView>("slowLogView")->isColumnHidden(int(SlowLogColumn::Node)));

        QString question;
        acceptNextMessageBox(&question);
        kill->click();
        QVERIFY2(question.contains(u"victim-worker"_s) && question.contains(u"staging-cache"_s) &&
                     question.contains(server.profile().endpoint()),
                 qPrintable(question));
        QTRY_VERIFY(findRow(clients, int(ClientColumn::Name), isVictim) < 0);
        QVERIFY(fixture.find<QLabel>("clientsBanner")->isHidden());
        // The selection does not jump to the neighbouring client when the killed row goes.
        QVERIFY(!clients->selectionModel()->hasSelection());
        QVERIFY(!kill->isEnabled());
    }

    // A client on a master the page's connection does not send keyless commands to: listed with
    // its node, and the kill closes it there.
    void onAClusterClientsShowTheirNodeAndAKillGoesThere()
    {
        test::RedisCluster cluster(3, 0);
        QS_START_OR_FAIL(cluster);
        Fixture fixture;
        QVERIFY(open(fixture, cluster.profile(0)));
        const int node = cluster.masters().contains(1) ? 1 : cluster.masters().constLast();
        const QString address = u"127.0.0.1:%1"_s.arg(cluster.node(node).port());
        test::NodeClient victim;
        QVERIFY(victim.open(cluster.node(node)));
        QCOMPARE(victim.ask("CLIENT SETNAME node-victim"), QByteArray("+OK"));

        auto *clients = fixture.find<QTableView>("clientsView");
        const auto isVictim = [](const QString &name) { return name == u"node-victim"_s; };
        QTRY_VERIFY_WITH_TIMEOUT(fixture.connection->isCluster() &&
                                     fixture.connection->topology().nodes.size() == 3,
                                 15'000);
        fixture.page->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(clients, int(ClientColumn::Name), isVictim) >= 0, 10'000);
        QVERIFY(!clients->isColumnHidden(int(ClientColumn::Node)));
        const int row = findRow(clients, int(ClientColumn::Name), isVictim);
        QCOMPARE(clients->model()->index(row, int(ClientColumn::Node)).data().toString(), address);
        clients->selectRow(row);

        QString question;
        acceptNextMessageBox(&question);
        fixture.find<QPushButton>("clientsAction")->click();
        QVERIFY2(question.contains(address), qPrintable(question));
        QVERIFY(victim.closedByServer());
        QTRY_VERIFY_WITH_TIMEOUT(findRow(clients, int(ClientColumn::Name), isVictim) < 0, 10'000);
        QVERIFY(fixture.find<QLabel>("clientsBanner")->isHidden());
        QVERIFY(fixture.screenshot(Tab::Clients, u"cluster-clients"_s));
    }

    void readOnlyProfileCannotKillOrReset()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        Fixture fixture;
        auto profile = server.profile();
        profile.name = u"prod"_s;
        profile.readOnly = true;
        QVERIFY(open(fixture, profile));

        auto *clients = fixture.find<QTableView>("clientsView");
        QTRY_VERIFY(clients->model()->rowCount() > 0);
        clients->selectRow(0);
        auto *kill = fixture.find<QPushButton>("clientsAction");
        QVERIFY(!kill->isEnabled());
        QVERIFY2(kill->toolTip().contains(u"read-only"_s), qPrintable(kill->toolTip()));
        auto *reset = fixture.find<QPushButton>("slowLogAction");
        QVERIFY(!reset->isEnabled());
        QVERIFY(reset->toolTip().contains(u"read-only"_s));

        // Not only greyed out: the connection layer refuses the write, nothing is sent.
        const QByteArray ownId =
            clients->model()->index(0, int(ClientColumn::Id)).data().toString().toUtf8();
        const auto outcome = test::runCommand(*fixture.connection, {"CLIENT", "KILL", "ID", ownId});
        QVERIFY(outcome);
        QCOMPARE(outcome->error.kind, redis::RedisError::Kind::ReadOnlyRefused);
        const auto reading = test::runCommand(*fixture.connection, {"SLOWLOG", "GET", "1"});
        QVERIFY(reading && reading->error.isNone());
    }

    void aclUserWithoutSlowlogSeesInlineError()
    {
        RedisServerOptions options;
        options.aclUsers = {u"limited on >limited-pw ~* &* +@all -slowlog"_s};
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        auto profile = server.profile();
        profile.username = u"limited"_s;
        profile.password = u"limited-pw"_s;
        Fixture fixture;
        QVERIFY(open(fixture, profile));

        auto *banner = fixture.find<QLabel>("slowLogBanner");
        QTRY_VERIFY(!banner->isHidden()); // isVisible() is false on a tab not shown
        QVERIFY2(banner->text().contains(u"NOPERM"_s) && banner->text().contains(u"limited"_s) &&
                     banner->text().contains(u"SLOWLOG GET"_s),
                 qPrintable(banner->text()));
        QCOMPARE(fixture.find<QTableView>("slowLogView")->model()->rowCount(), 0);
        // The other tabs are unaffected.
        QVERIFY(fixture.find<QLabel>("clientsBanner")->isHidden());
        QVERIFY(fixture.find<QTableView>("clientsView")->model()->rowCount() > 0);
        QVERIFY(fixture.find<QTreeWidget>("infoTree")->topLevelItemCount() > 0);
        QVERIFY(fixture.screenshot(Tab::SlowLog, u"slowlog-noperm"_s));
    }

    void renamedCommandIsExplainedInItsTab()
    {
        RedisServerOptions options;
        options.extraArgs = {u"--rename-command"_s, u"CLIENT"_s, u""_s};
        RedisServer server(options);
        QS_START_OR_FAIL(server);
        Fixture fixture;
        QVERIFY(open(fixture, server.profile()));
        auto *banner = fixture.find<QLabel>("clientsBanner");
        QTRY_VERIFY(!banner->isHidden()); // isVisible() is false on a tab not shown
        QVERIFY2(banner->text().contains(u"CLIENT LIST"_s) && banner->text().contains(u"renamed"_s),
                 qPrintable(banner->text()));
        QVERIFY(fixture.find<QLabel>("slowLogBanner")->isHidden());
    }

    void survivesConnectionSwitchAndNull()
    {
        RedisServer server;
        QS_START_OR_FAIL(server);
        Fixture fixture;
        QVERIFY(open(fixture, server.profile()));
        QTRY_VERIFY(fixture.find<QTableView>("clientsView")->model()->rowCount() > 0);
        // A refresh in flight for the old connection must not land after the switch.
        QSignalSpy refreshed(fixture.page.get(), &ServerPage::refreshed);
        fixture.page->refresh();
        fixture.page->setConnection(nullptr);
        QCOMPARE(fixture.find<QTableView>("clientsView")->model()->rowCount(), 0);
        // Replies come back in order: once PING is answered, the refresh's reply has been
        // delivered (and dropped).
        QVERIFY(test::runCommand(*fixture.connection, {"PING"}));
        QCOMPARE(refreshed.size(), 0);
        QCOMPARE(fixture.find<QTableView>("clientsView")->model()->rowCount(), 0);
        fixture.page->refresh(); // no connection: nothing to do, no crash
        QCOMPARE(refreshed.size(), 0);

        // Back on a connection that is then destroyed under the page (it is not the owner).
        fixture.page->setConnection(fixture.connection.get());
        QVERIFY(refreshed.wait(10'000));
        fixture.connection.reset();
        fixture.page->refresh();
        QVERIFY(fixture.page->connection() == nullptr);
    }
};

QTEST_MAIN(TestServerPage)
#include "tst_serverpage.moc"
