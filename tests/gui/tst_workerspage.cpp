// The Workers page on scans as the scanner hands them over: what an operator sees of each
// framework's workers (grouped by framework and host), what the filters leave, the colours of
// states, the banner for workers that could not be read, the job a double-click opens and the
// recovery of a stuck job.
#include "inlinebanner.h"
#include "serverview.h"
#include "statuscolors.h"
#include "workerfilter.h"
#include "workerspage.h"

#include "monitor/celeryping.h"
#include "monitor/stuckjobmodel.h"
#include "monitor/workertreemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using qs::monitor::WorkerTreeModel;
using qs::queues::Framework;
using qs::queues::WorkerInfo;
using qs::queues::WorkerScan;
using qs::queues::WorkerState;
using qs::widgets::WorkersPage;

namespace {

constexpr qint64 kNow = 1'780'000'000'000;

WorkerInfo worker(Framework framework, const QString &id, WorkerState state, const QString &host)
{
    WorkerInfo w;
    w.framework = framework;
    w.id = id;
    w.name = id;
    w.host = host;
    w.state = state;
    w.startedAtMs = kNow - 3'600'000;
    w.lastSeenAtMs = kNow - 4'000;
    return w;
}

WorkerScan sampleScan()
{
    WorkerScan scan;
    scan.scannedAtMs = kNow;
    WorkerInfo rq = worker(Framework::RQ, QStringLiteral("rq-busy"), WorkerState::Busy,
                           QStringLiteral("host-a"));
    rq.prefix = "rq";
    rq.queues = {"default", "mail"};
    rq.busy = 1;
    rq.concurrency = 1;
    rq.currentJobs = {{"mail", QStringLiteral("job-42")}};
    WorkerInfo quiet = worker(Framework::Sidekiq, QStringLiteral("host-b:12:abc"),
                              WorkerState::Quiet, QStringLiteral("host-b"));
    quiet.queues = {"critical"};
    quiet.busy = 0;
    quiet.concurrency = 10;
    WorkerInfo gone = worker(Framework::Sidekiq, QStringLiteral("host-c:13:def"),
                             WorkerState::Offline, QStringLiteral("host-c"));
    WorkerInfo idle = worker(Framework::RQ, QStringLiteral("rq-idle"), WorkerState::Idle,
                             QStringLiteral("host-a"));
    scan.workers = {rq, quiet, gone, idle};
    qs::queues::StuckJob lost;
    lost.framework = Framework::Sidekiq;
    lost.queue = "critical";
    lost.id = QStringLiteral("jid-7");
    lost.reason = QStringLiteral("lost: process offline");
    lost.outcome = QStringLiteral("Lost unless the process comes back");
    lost.sinceMs = kNow - 90'000;
    scan.stuck = {lost};
    scan.unknown = {
        {Framework::BullMQ, QStringLiteral("workers unknown: CLIENT LIST not permitted")}};
    return scan;
}

// Every worker row under the view's groups, as (group, worker) pairs in view order.
QList<QModelIndex> workerRows(const WorkersPage &page)
{
    QList<QModelIndex> rows;
    const QAbstractItemModel *model = page.table()->model();
    for (int group = 0; group < model->rowCount(); ++group) {
        const QModelIndex parent = model->index(group, 0);
        for (int row = 0; row < model->rowCount(parent); ++row)
            rows.append(model->index(row, 0, parent));
    }
    return rows;
}

QString cell(const QModelIndex &row, WorkerTreeModel::Column column)
{
    return row.siblingAtColumn(int(column)).data().toString();
}

QStringList visibleWorkers(const WorkersPage &page)
{
    QStringList names;
    for (const QModelIndex &row : workerRows(page))
        names.append(cell(row, WorkerTreeModel::Column::Worker));
    names.sort();
    return names;
}

QModelIndex rowOf(const WorkersPage &page, const QString &name)
{
    for (const QModelIndex &row : workerRows(page)) {
        if (cell(row, WorkerTreeModel::Column::Worker) == name)
            return row;
    }
    return {};
}

QStringList groups(const WorkersPage &page)
{
    QStringList labels;
    const QAbstractItemModel *model = page.table()->model();
    for (int group = 0; group < model->rowCount(); ++group)
        labels.append(model->index(group, 0).data().toString() + u'|' +
                      cell(model->index(group, 0), WorkerTreeModel::Column::Worker) + u'|' +
                      cell(model->index(group, 0), WorkerTreeModel::Column::State));
    return labels;
}

} // namespace

class TestWorkersPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsEveryFrameworksWorkersWithTheirState()
    {
        WorkersPage page;
        page.resize(1100, 600);
        page.setScan(sampleScan());
        QCOMPARE(visibleWorkers(page),
                 QStringList({"host-b:12:abc", "host-c:13:def", "rq-busy", "rq-idle"}));
        QCOMPARE(page.summary()->text(), "4 worker(s): 1 busy, 1 idle, 1 quiet, 1 offline");
        const QModelIndex busy = rowOf(page, "rq-busy");
        QCOMPARE(cell(busy, WorkerTreeModel::Column::State), "busy");
        QCOMPARE(cell(busy, WorkerTreeModel::Column::Jobs), "1 / 1");
        QCOMPARE(cell(busy, WorkerTreeModel::Column::CurrentJobs), "mail #job-42");
        QCOMPARE(cell(busy, WorkerTreeModel::Column::Queues), "default, mail");
        QCOMPARE(cell(busy, WorkerTreeModel::Column::Up), "1 h 0 min");
        QCOMPARE(cell(busy, WorkerTreeModel::Column::LastSeen), "4 s");
        // Offline in the critical colour, busy in the good one, idle in the view's own.
        QCOMPARE(rowOf(page, "host-c:13:def").data(Qt::ForegroundRole).value<QColor>(),
                 qs::widgets::levelColor(qs::widgets::HealthLevel::Critical));
        QCOMPARE(busy.data(Qt::ForegroundRole).value<QColor>(),
                 qs::widgets::levelColor(qs::widgets::HealthLevel::Good));
        QVERIFY(!rowOf(page, "rq-idle").data(Qt::ForegroundRole).isValid());
    }

    void groupsWorkersByFrameworkAndHost()
    {
        WorkersPage page;
        page.setScan(sampleScan());
        QCOMPARE(groups(page), QStringList({"RQ · host-a|2 worker(s)|1 busy, 1 idle",
                                            "Sidekiq · host-b|1 worker(s)|1 quiet",
                                            "Sidekiq · host-c|1 worker(s)|1 offline"}));
        QVERIFY(page.table()->isExpanded(page.table()->model()->index(0, 0)));
        // A group the operator folded stays folded; one that empties goes.
        page.table()->collapse(page.table()->model()->index(0, 0));
        WorkerScan next = sampleScan();
        next.scannedAtMs += 5'000;
        next.workers.removeAt(1); // host-b's only worker
        page.setScan(next);
        QCOMPARE(groups(page), QStringList({"RQ · host-a|2 worker(s)|1 busy, 1 idle",
                                            "Sidekiq · host-c|1 worker(s)|1 offline"}));
        QVERIFY(!page.table()->isExpanded(page.table()->model()->index(0, 0)));
        QVERIFY(page.table()->isExpanded(page.table()->model()->index(1, 0)));
    }

    void unreadableWorkersAreSaidSoNotCountedAsNone()
    {
        WorkersPage page;
        page.setScan(sampleScan());
        QVERIFY(
            page.banner()->text().contains("BullMQ workers unknown: CLIENT LIST not permitted"));
        WorkerScan readable = sampleScan();
        readable.unknown.clear();
        page.setScan(readable);
        QVERIFY(page.banner()->text().isEmpty());
        // A failed scan says so; the next complete one brings back what it could not read.
        page.setScan(sampleScan());
        page.setScanError("timed out");
        QVERIFY(page.banner()->text().contains("Workers could not be read: timed out"));
        page.setScanError({});
        QVERIFY(page.banner()->text().contains("CLIENT LIST not permitted"));
    }

    void recoverAsksForTheFrameworksOwnRecovery()
    {
        WorkersPage page;
        WorkerScan scan = sampleScan();
        qs::queues::StuckJob unacked;
        unacked.framework = Framework::Celery;
        unacked.queue = "reports";
        unacked.id = QStringLiteral("tag-1");
        unacked.reason = QStringLiteral("unacked: no live worker");
        unacked.sinceMs = kNow - 10'000;
        scan.stuck.append(unacked);
        page.setScan(scan);
        QVERIFY(!page.recoverButton()->isEnabled()); // nothing selected
        auto select = [&page](const QString &id) {
            const QAbstractItemModel *model = page.stuckTable()->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->index(row, int(qs::monitor::StuckJobModel::Column::Job)).data() == id)
                    page.stuckTable()->selectRow(row);
            }
        };
        // Sidekiq has no recovery of a lost job: the button says why.
        select("jid-7");
        QVERIFY(!page.recoverButton()->isEnabled());
        QVERIFY(!page.recoverButton()->toolTip().isEmpty());
        // RQ moves an abandoned job to failed, as its own registry cleanup does.
        qs::queues::StuckJob abandoned;
        abandoned.framework = Framework::RQ;
        abandoned.prefix = "rq";
        abandoned.queue = "mail";
        abandoned.id = QStringLiteral("job-9");
        scan.stuck.append(abandoned);
        page.setScan(scan);
        select("job-9");
        QCOMPARE(page.recoverButton()->text(), "Move to failed…");
        QVERIFY(page.recoverButton()->isEnabled());
        select("tag-1");
        QCOMPARE(page.recoverButton()->text(), "Restore unacked…");
        QVERIFY(page.recoverButton()->isEnabled());
        QSignalSpy asked(&page, &WorkersPage::recoverRequested);
        page.recoverButton()->click();
        QCOMPARE(asked.size(), 1);
        const auto request = asked.first().at(0).value<qs::jobs::ActionRequest>();
        QCOMPARE(request.queue, (qs::queues::QueueRef{Framework::Celery, {}, "reports"}));
        QCOMPARE(request.action, qs::jobs::JobAction::Restore);
        QCOMPARE(request.ids, QList<QByteArray>({"tag-1"}));
        // A read-only profile: no write is offered, and the button says why.
        page.setReadOnlyReason("Profile “prod” is read-only");
        QVERIFY(!page.recoverButton()->isEnabled());
        QCOMPARE(page.recoverButton()->toolTip(), "Profile “prod” is read-only");
    }

    void filtersByTextFrameworkAndOffline()
    {
        WorkersPage page;
        page.setScan(sampleScan());
        page.filterBox()->setText("host-a");
        QCOMPARE(visibleWorkers(page), QStringList({"rq-busy", "rq-idle"}));
        page.filterBox()->setText("job-42"); // a current job's id finds its worker
        QCOMPARE(visibleWorkers(page), QStringList({"rq-busy"}));
        page.filterBox()->clear();
        page.frameworkBox()->setCurrentIndex(page.frameworkBox()->findText("Sidekiq"));
        QCOMPARE(visibleWorkers(page), QStringList({"host-b:12:abc", "host-c:13:def"}));
        page.offlineBox()->setChecked(false);
        QCOMPARE(visibleWorkers(page), QStringList({"host-b:12:abc"}));
        page.frameworkBox()->setCurrentIndex(0);
        QCOMPARE(visibleWorkers(page), QStringList({"host-b:12:abc", "rq-busy", "rq-idle"}));
    }

    void selectionSurvivesTheNextScan()
    {
        WorkersPage page;
        page.setScan(sampleScan());
        page.table()->setCurrentIndex(rowOf(page, "rq-idle"));
        WorkerScan next = sampleScan();
        next.scannedAtMs += 5'000;
        next.workers[3].state = WorkerState::Busy; // rq-idle took a job
        next.workers.removeAt(2);                  // the offline one was forgotten
        page.setScan(next);
        const QModelIndexList selected = page.table()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first()
                     .siblingAtColumn(int(WorkerTreeModel::Column::Worker))
                     .data()
                     .toString(),
                 "rq-idle");
        QCOMPARE(
            selected.first().siblingAtColumn(int(WorkerTreeModel::Column::State)).data().toString(),
            "busy");
        QCOMPARE(visibleWorkers(page).size(), 3);
    }

    void pingIsOfferedWhereCeleryIsAndOnlyOnAWritableProfile()
    {
        WorkersPage page;
        page.show();
        page.setScan(sampleScan());
        QVERIFY(!page.pingButton()->isVisible()); // no Celery on this server
        page.setPingOffered(true);
        QVERIFY(page.pingButton()->isVisible());
        QVERIFY(page.pingButton()->isEnabled());
        QSignalSpy asked(&page, &WorkersPage::pingRequested);
        page.pingButton()->click();
        QCOMPARE(asked.size(), 1); // the owner confirms before anything is sent
        qs::monitor::CeleryPingResult result;
        result.answers = {{"celery@a", "pong", true, 7}, {"celery@b", "pong", true, 12}};
        const auto [text, level] = qs::widgets::describePing({result});
        QCOMPARE(text, "2 worker(s) answered: celery@a 7 ms, celery@b 12 ms");
        QCOMPARE(level, qs::widgets::HealthLevel::Good);
        page.showPingResult(text, level);
        QCOMPARE(page.pingResult()->text(), text);
        QCOMPARE(qs::widgets::describePing({qs::monitor::CeleryPingResult{}}).second,
                 qs::widgets::HealthLevel::Warning); // nobody answered
        page.setReadOnlyReason("Profile “prod” is read-only");
        QVERIFY(!page.pingButton()->isEnabled());
    }

    void aCurrentOrStuckJobOpensOnTheJobsPage()
    {
        WorkersPage page;
        page.setScan(sampleScan());
        QSignalSpy opened(&page, &WorkersPage::jobActivated);
        Q_EMIT page.table()->activated(rowOf(page, "rq-busy"));
        QCOMPARE(opened.size(), 1);
        const auto queue = opened.first().at(0).value<qs::queues::QueueRef>();
        QCOMPARE(queue, (qs::queues::QueueRef{Framework::RQ, "rq", "mail"}));
        QCOMPARE(opened.first().at(1).toString(), "job-42");
        // An idle worker runs nothing: nothing to open.
        Q_EMIT page.table()->activated(rowOf(page, "rq-idle"));
        QCOMPARE(opened.size(), 1);
        Q_EMIT page.table()->activated(page.table()->model()->index(0, 0)); // a group
        QCOMPARE(opened.size(), 1);
        Q_EMIT page.stuckTable()->activated(page.stuckTable()->model()->index(0, 0));
        QCOMPARE(opened.size(), 2);
        QCOMPARE(opened.last().at(1).toString(), "jid-7");
        QCOMPARE(page.stuckTable()
                     ->model()
                     ->index(0, int(qs::monitor::StuckJobModel::Column::Since))
                     .data()
                     .toString(),
                 "1 min");
    }
};

QTEST_MAIN(TestWorkersPage)
#include "tst_workerspage.moc"
