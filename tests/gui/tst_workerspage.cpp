// The Workers page on scans as the scanner hands them over: what an operator sees of each
// framework's workers, what the filters leave, the colours of states, the banner for workers
// that could not be read, and the job a double-click opens.
#include "inlinebanner.h"
#include "statuscolors.h"
#include "workerfilter.h"
#include "workerspage.h"

#include "monitor/stuckjobmodel.h"
#include "monitor/workertablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using qs::monitor::WorkerTableModel;
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

QStringList visibleWorkers(const WorkersPage &page)
{
    QStringList names;
    const QAbstractItemModel *model = page.table()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->index(row, int(WorkerTableModel::Column::Worker)).data().toString());
    names.sort();
    return names;
}

int rowOf(const WorkersPage &page, const QString &name)
{
    const QAbstractItemModel *model = page.table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, int(WorkerTableModel::Column::Worker)).data().toString() == name)
            return row;
    }
    return -1;
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
        const QAbstractItemModel *model = page.table()->model();
        const int busy = rowOf(page, "rq-busy");
        QCOMPARE(model->index(busy, int(WorkerTableModel::Column::State)).data().toString(),
                 "busy");
        QCOMPARE(model->index(busy, int(WorkerTableModel::Column::Jobs)).data().toString(),
                 "1 / 1");
        QCOMPARE(model->index(busy, int(WorkerTableModel::Column::CurrentJobs)).data().toString(),
                 "mail #job-42");
        QCOMPARE(model->index(busy, int(WorkerTableModel::Column::Queues)).data().toString(),
                 "default, mail");
        QCOMPARE(model->index(busy, int(WorkerTableModel::Column::Up)).data().toString(),
                 "1 h 0 min");
        QCOMPARE(model->index(busy, int(WorkerTableModel::Column::LastSeen)).data().toString(),
                 "4 s");
        // Offline in the critical colour, busy in the good one, idle in the view's own.
        const int offline = rowOf(page, "host-c:13:def");
        QCOMPARE(model->index(offline, 0).data(Qt::ForegroundRole).value<QColor>(),
                 qs::widgets::levelColor(qs::widgets::HealthLevel::Critical));
        QCOMPARE(model->index(busy, 0).data(Qt::ForegroundRole).value<QColor>(),
                 qs::widgets::levelColor(qs::widgets::HealthLevel::Good));
        QVERIFY(!model->index(rowOf(page, "rq-idle"), 0).data(Qt::ForegroundRole).isValid());
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
        page.table()->selectRow(rowOf(page, "rq-idle"));
        WorkerScan next = sampleScan();
        next.scannedAtMs += 5'000;
        next.workers[3].state = WorkerState::Busy; // rq-idle took a job
        next.workers.removeAt(2);                  // the offline one was forgotten
        page.setScan(next);
        const QModelIndexList selected = page.table()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first()
                     .siblingAtColumn(int(WorkerTableModel::Column::Worker))
                     .data()
                     .toString(),
                 "rq-idle");
        QCOMPARE(selected.first()
                     .siblingAtColumn(int(WorkerTableModel::Column::State))
                     .data()
                     .toString(),
                 "busy");
        QCOMPARE(visibleWorkers(page).size(), 3);
    }

    void aCurrentOrStuckJobOpensOnTheJobsPage()
    {
        WorkersPage page;
        page.setScan(sampleScan());
        QSignalSpy opened(&page, &WorkersPage::jobActivated);
        Q_EMIT page.table()->activated(page.table()->model()->index(rowOf(page, "rq-busy"), 0));
        QCOMPARE(opened.size(), 1);
        const auto queue = opened.first().at(0).value<qs::queues::QueueRef>();
        QCOMPARE(queue, (qs::queues::QueueRef{Framework::RQ, "rq", "mail"}));
        QCOMPARE(opened.first().at(1).toString(), "job-42");
        // An idle worker runs nothing: nothing to open.
        Q_EMIT page.table()->activated(page.table()->model()->index(rowOf(page, "rq-idle"), 0));
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
