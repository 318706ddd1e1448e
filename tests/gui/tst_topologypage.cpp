// The Topology page of a server in the window, against a real master and its real replica: the
// master's table lists the replica with its master and lag, the summary says so; a window on the
// replica says it is one and read-only. The screenshot is saved for a person to look at.
#include "artifactpath.h"
#include "redisserver.h"

#include "dashboardpage.h"
#include "kpitile.h"
#include "nodecharts.h"
#include "serverview.h"
#include "timeserieschart.h"
#include "topologypage.h"

#include "monitor/topologymodel.h"
#include "session/serversession.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
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

    // A cluster's polls (synthetic topologies replayed through the session: the page above the
    // transport): a chart line per node, replicas labelled, the slots column, a failover marked.
    void clusterNodesAreCharted()
    {
        core::ConnectionProfile profile;
        profile.name = u"topology-cluster"_s;
        session::ServerSession session(profile, session::SessionOptions::commandLine());
        widgets::ServerView view(&session);
        view.resize(1200, 760);
        const widgets::TopologyPage *page = view.topology();
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - 60'000;
        for (int i = 0; i < 40; ++i) {
            const bool failedOver = i >= 20; // node 7003 takes over from 7001
            monitor::PollSnapshot poll;
            poll.timestampMs = start + i * 1'000;
            poll.topology.mode = redis::TopologyMode::Cluster;
            poll.topology.clusterState = u"ok"_s;
            poll.topology.slotsCovered = 16384;
            const QList<std::pair<int, redis::SlotRange>> masters{
                {failedOver ? 7003 : 7001, {0, 8191}}, {7002, {8192, 16383}}};
            for (const auto &[port, range] : masters) {
                redis::TopologyNode node;
                node.address = u"10.0.0.1:%1"_s.arg(port);
                node.role = u"master"_s;
                node.state = u"ok"_s;
                node.slotRanges = {range};
                node.usedMemory = 1'000'000 * (port - 7000) + i * 10'000;
                node.opsPerSec = 100 * (port - 7000) + i;
                poll.topology.nodes.append(node);
            }
            redis::TopologyNode replica;
            replica.address = u"10.0.0.1:%1"_s.arg(failedOver ? 7001 : 7003);
            replica.role = u"replica"_s;
            replica.state = u"ok"_s;
            replica.masterAddress = poll.topology.nodes.first().address;
            replica.usedMemory = 900'000;
            replica.opsPerSec = 5;
            poll.topology.nodes.append(replica);
            session.applyPoll(poll);
        }
        QCOMPARE(session.topologyChanges().size(), 2); // 7003 promoted, 7001 demoted
        QVERIFY(!page->nodeCharts()->isHidden());
        QCOMPARE(page->nodeCharts()->lineCount(), 3);
        QVERIFY(page->nodeCharts()->lineNames().contains(u"10.0.0.1:7001 (replica)"_s));
        QVERIFY(page->nodeCharts()->lineNames().contains(u"10.0.0.1:7003"_s));
        // One poll saw both: one marker, both sentences in its tooltip.
        QCOMPARE(page->nodeCharts()->markers().size(), 1);
        const widgets::ChartMarker marker = page->nodeCharts()->markers().first();
        QCOMPARE(marker.label, u"failover"_s);
        QCOMPARE(marker.detail, session.topologyChanges().at(0).summary + u'\n' +
                                    session.topologyChanges().at(1).summary);
        QCOMPARE(page->model()->rowCount(), 3);
        QStringList slotCells;
        for (int row = 0; row < 3; ++row)
            slotCells << cell(page, row, Column::Address) + u' ' + cell(page, row, Column::Slots);
        QVERIFY2(slotCells.contains(u"10.0.0.1:7003 8192 (0-8191)"_s),
                 qPrintable(slotCells.join(u'|')));
        QVERIFY(!page->findChild<QTableView *>()->isColumnHidden(int(Column::Slots)));
        // The dashboard's Replication tile speaks for the whole cluster: 10.0.0.1:7002 has no
        // replica, so no failover could save its slots.
        const auto *replication =
            view.dashboard()->findChild<widgets::KpiTile *>(u"tile-replication"_s);
        QVERIFY(replication);
        QCOMPARE(replication->value(), u"cluster"_s);
        QCOMPARE(replication->detail(),
                 u"2 master(s), 1 replica(s); 1 master(s) without a replica"_s);
        QCOMPARE(replication->level(), widgets::KpiTile::Level::Warning);
        QVERIFY2(
            summary(page).startsWith(u"Cluster, 3 nodes (2 master(s), 1 replica(s)), state ok, "
                                     "16384/16384 slots"_s),
            qPrintable(summary(page)));
        view.tabs()->setCurrentWidget(view.topology());
        view.show();
        QTest::qWait(300);
        view.grab().save(test::artifactPath(u"topology-cluster.png"_s));
    }

private:
    test::RedisServer m_master;
    std::unique_ptr<test::RedisServer> m_replica;
};

QTEST_MAIN(TestTopologyPage)
#include "tst_topologypage.moc"
