// The Topology page of a server in the window, against a real master and its real replica: the
// master's table lists the replica with its master and lag, the summary says so; a window on the
// replica says it is one and read-only. The screenshot is saved for a person to look at.
#include "artifactpath.h"
#include "redisserver.h"

#include "dashboardpage.h"
#include "serverview.h"
#include "timeserieschart.h"
#include "topologypage.h"

#include "monitor/topologymodel.h"
#include "session/serversession.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QThread>

using namespace qs;
using namespace Qt::StringLiterals;
using Column = monitor::TopologyModel::Column;

namespace {

QString address(const test::RedisServer &server)
{
    return u"127.0.0.1:%1"_s.arg(server.port());
}

QString cell(const widgets::TopologyPage *page, int row, Column column)
{
    const QAbstractItemModel *model = page->findChild<QTableView *>()->model();
    return model->index(row, int(column)).data().toString();
}

QString summary(const widgets::TopologyPage *page)
{
    return page->findChild<QLabel *>(u"topologySummary"_s)->text();
}

} // namespace

class TestTopologyPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_master.start());
        m_replica = std::make_unique<test::RedisServer>(test::RedisServerOptions{
            .extraArgs = {u"--replicaof"_s, m_master.host(), QString::number(m_master.port())}});
        QVERIFY(m_replica->start());
        m_master.cli({u"SET"_s, u"k"_s, u"v"_s});
    }

    void masterShowsItsReplica()
    {
        core::ConnectionProfile profile = m_master.profile();
        profile.name = u"topology-master"_s;
        session::ServerSession session(profile, session::SessionOptions::window(profile));
        QFile::remove(session::SessionOptions::historyPathFor(profile));
        widgets::ServerView view(&session);
        view.resize(1100, 420);
        QAbstractItemModelTester tester(view.topology()->model());
        view.tabs()->setCurrentWidget(view.topology());
        view.show();
        session.open();
        const widgets::TopologyPage *page = view.topology();
        // Listed once its first sync is done ("online": state ok).
        QTRY_COMPARE_WITH_TIMEOUT(cell(page, 1, Column::State), u"ok"_s, 30'000);
        QCOMPARE(page->model()->rowCount(), 2);
        QCOMPARE(cell(page, 0, Column::Address), address(m_master));
        QCOMPARE(cell(page, 0, Column::Role), u"master"_s);
        QCOMPARE(cell(page, 0, Column::Keys), u"1"_s);
        QCOMPARE(cell(page, 1, Column::Address), address(*m_replica));
        QCOMPARE(cell(page, 1, Column::Role), u"replica"_s);
        QCOMPARE(cell(page, 1, Column::Master), address(m_master));
        QVERIFY2(cell(page, 1, Column::Lag).contains(u" B"_s),
                 qPrintable(cell(page, 1, Column::Lag)));
        QVERIFY2(summary(page).startsWith(u"Master with 1 replica(s): "_s + address(*m_replica)),
                 qPrintable(summary(page)));
        QTest::qWait(200);
        view.grab().save(test::artifactPath(u"topology.png"_s));
    }

    void replicaSaysItIsOne()
    {
        session::ServerSession session(m_replica->profile(), session::SessionOptions::overview());
        widgets::ServerView view(&session);
        session.open();
        const widgets::TopologyPage *page = view.topology();
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, 20'000);
        QCOMPARE(cell(page, 0, Column::Role), u"replica"_s);
        QVERIFY2(summary(page).startsWith(u"Replica of "_s + address(m_master)),
                 qPrintable(summary(page)));
        QVERIFY(summary(page).contains(u"read-only"_s));
    }

    // A failover (the replica promoted, the old master made its replica, as Sentinel does) is
    // logged and drawn across every dashboard chart of the window watching the old master.
    void failoverIsMarkedOnTheCharts()
    {
        test::RedisServer master;
        QVERIFY(master.start());
        test::RedisServer replica(test::RedisServerOptions{
            .extraArgs = {u"--replicaof"_s, master.host(), QString::number(master.port())}});
        QVERIFY(replica.start());
        core::ConnectionProfile profile = master.profile();
        profile.name = u"topology-failover"_s;
        QFile::remove(session::SessionOptions::historyPathFor(profile));
        session::ServerSession session(profile, session::SessionOptions::window(profile));
        widgets::ServerView view(&session);
        view.resize(1100, 700);
        QSignalSpy logged(&view, &widgets::ServerView::logMessage);
        session.open();
        QTRY_VERIFY_WITH_TIMEOUT(session.hasHealth(), 20'000);
        QVERIFY(view.dashboard()->charts().first()->markers().isEmpty());

        replica.cli({u"REPLICAOF"_s, u"NO"_s, u"ONE"_s});
        master.cli({u"REPLICAOF"_s, replica.host(), QString::number(replica.port())});
        QTRY_COMPARE_WITH_TIMEOUT(session.topologyChanges().size(), 1, 20'000);
        const monitor::TopologyChange change = session.topologyChanges().first();
        QVERIFY(change.failover);
        QCOMPARE(change.summary,
                 u"failover: %1 is a replica now of %2"_s.arg(address(master), address(replica)));
        for (const widgets::TimeSeriesChart *chart : view.dashboard()->charts()) {
            QCOMPARE(chart->markers().size(), 1);
            QCOMPARE(chart->markers().first().detail, change.summary);
        }
        bool inLog = false;
        for (const QList<QVariant> &args : logged)
            inLog = inLog || args.at(1).toString() == change.summary;
        QVERIFY(inLog);
        view.tabs()->setCurrentWidget(view.dashboard());
        view.show();
        for (widgets::TimeSeriesChart *chart : view.dashboard()->charts())
            chart->setWindow(30); // the marker a few seconds back from the right edge
        QTest::qWait(3'000);
        view.grab().save(test::artifactPath(u"failover-marker.png"_s));
    }

private:
    test::RedisServer m_master;
    std::unique_ptr<test::RedisServer> m_replica;
};

QTEST_MAIN(TestTopologyPage)
#include "tst_topologypage.moc"
