// The window with a real RQ worker (tests/queues/rq_workers.py, heartbeats cut to seconds): the
// Workers tab lists it as a session scans, the Queues page counts it as the queue's consumer, a
// current or stuck job opens on the Jobs page, and kill -9 is notified once (worker offline).
#include "frameworkfixture.h"
#include "redisserver.h"

#include "jobspage.h"
#include "logpane.h"
#include "mainwindow.h"
#include "overviewpage.h"
#include "profiletile.h"
#include "queuespage.h"
#include "serverview.h"
#include "trayicon.h"
#include "workerspage.h"

#include "core/memorysecretstore.h"
#include "core/profilestore.h"
#include "monitor/poller.h"
#include "monitor/queuemonitor.h"
#include "monitor/queuetablemodel.h"
#include "monitor/stuckjobmodel.h"
#include "monitor/workerscanner.h"
#include "monitor/workertreemodel.h"
#include "session/serversession.h"

#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace qs;
using monitor::QueueTableModel;
using monitor::WorkerTreeModel;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("QS_TEST_ARTIFACTS", QDir::tempPath());
    QDir().mkpath(dir);
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name));
}

// A real RQ worker (tests/queues/rq_workers.py) consuming `queue` on `server`.
std::unique_ptr<test::FrameworkFixture> startRqWorker(const test::RedisServer &server,
                                                      const QString &queue, const QString &name)
{
    auto worker = std::make_unique<test::FrameworkFixture>(
        kPython, QStringList{test::sourcePath(QStringLiteral("tests/queues/rq_workers.py")),
                             QStringLiteral("--url"),
                             QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port()),
                             QStringLiteral("--queue"), queue, QStringLiteral("--name"), name});
    QString error;
    if (!worker->start(&error, 60'000)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return worker;
}

QString cell(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

// A cell of the first worker of the Workers page's first group (framework and host).
QString firstWorkerCell(const QAbstractItemModel *tree, WorkerTreeModel::Column column)
{
    return tree->index(0, int(column), tree->index(0, 0)).data().toString();
}

int queueRow(const QueueTableModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->row(row).queue.name == name.toUtf8())
            return row;
    }
    return -1;
}

} // namespace

class TestWorkersView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aRealWorkerInTheWindow()
    {
        if (!test::probe(kPython, {QStringLiteral("-c"), QStringLiteral("import rq")}))
            QSKIP("python3-rq is not installed (scripts/install-deps.sh installs it)");
        test::RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const std::unique_ptr<test::FrameworkFixture> worker =
            startRqWorker(server, QStringLiteral("mail"), QStringLiteral("mailer-1"));
        QVERIFY(worker);

        widgets::MainWindow window;
        window.resize(1280, 800);
        window.show();
        widgets::ServerView *view = window.openServer(server.profile());
        view->session()->poller()->setIntervalMs(500);
        view->session()->workers()->setIntervalMs(500);
        widgets::WorkersPage *page = view->workers();
        view->tabs()->setCurrentWidget(page);

        // Listed by the session's own scans, idle, with its queue.
        const QAbstractItemModel *table = page->table()->model();
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, 20'000); // one group: RQ on this host
        QCOMPARE(table->rowCount(table->index(0, 0)), 1);
        QCOMPARE(firstWorkerCell(table, WorkerTreeModel::Column::Worker), "mailer-1");
        QCOMPARE(firstWorkerCell(table, WorkerTreeModel::Column::Queues), "mail");
        QTRY_COMPARE_WITH_TIMEOUT(firstWorkerCell(table, WorkerTreeModel::Column::State), "idle",
                                  10'000);

        // A job it runs: busy with it, and the Queues page counts it as the queue's consumer.
        const std::optional<QJsonObject> slow = worker->request("slow");
        QVERIFY2(slow, qPrintable(worker->stderrTail()));
        const QString job = slow->value(QStringLiteral("job")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(firstWorkerCell(table, WorkerTreeModel::Column::CurrentJobs),
                                  "mail #" + job, 10'000);
        QCOMPARE(firstWorkerCell(table, WorkerTreeModel::Column::State), "busy");
        auto *queues = view->findChild<widgets::QueuesPage *>();
        QVERIFY(queues);
        view->session()->queues()->discover(); // the queue appeared with the job, after connect
        QTRY_VERIFY_WITH_TIMEOUT(queueRow(queues->model(), "mail") >= 0, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(queues->model(), queueRow(queues->model(), "mail"),
                                       int(QueueTableModel::Column::Workers)),
                                  "1", 10'000);
        QTest::qWait(200);
        saveScreenshot(&window, QStringLiteral("workers.png"));

        // Double-clicking the worker opens its job on the Jobs page.
        Q_EMIT page->table()->activated(table->index(0, 0, table->index(0, 0)));
        QCOMPARE(view->tabs()->currentWidget(), view->jobs());
        QCOMPARE(view->jobs()->findBox()->text(), job);
        view->tabs()->setCurrentWidget(page);

        // kill -9: offline (notified once, in the log), its job stuck as abandoned.
        QSignalSpy alerts(view, &widgets::ServerView::workerAlert);
        QVERIFY(worker->request("kill"));
        QTRY_COMPARE_WITH_TIMEOUT(firstWorkerCell(table, WorkerTreeModel::Column::State), "offline",
                                  30'000);
        QTRY_VERIFY_WITH_TIMEOUT(!alerts.isEmpty(), 5'000);
        QVERIFY2(alerts.first().at(1).toString().contains("RQ worker mailer-1"),
                 qPrintable(alerts.first().at(1).toString()));
        const QString log = window.logPane()->toPlainText();
        QVERIFY2(log.contains("worker offline: RQ worker mailer-1 on ") &&
                     log.contains(" went offline"),
                 qPrintable(log));
        const QAbstractItemModel *stuck = page->stuckTable()->model();
        QTRY_COMPARE_WITH_TIMEOUT(stuck->rowCount(), 1, 30'000);
        QCOMPARE(cell(stuck, 0, int(monitor::StuckJobModel::Column::Job)), job);
        QVERIFY(
            cell(stuck, 0, int(monitor::StuckJobModel::Column::Reason)).startsWith("abandoned"));
        QTest::qWait(1'500); // more scans: the offline worker is told of once
        int offline = 0;
        for (const QList<QVariant> &alert : alerts)
            offline += alert.at(0).toString().contains("worker offline") ? 1 : 0;
        QCOMPARE(offline, 1);
        saveScreenshot(&window, QStringLiteral("workers-offline.png"));
    }

    void theOverviewTileCountsLiveWorkers()
    {
        if (!test::probe(kPython, {QStringLiteral("-c"), QStringLiteral("import rq")}))
            QSKIP("python3-rq is not installed (scripts/install-deps.sh installs it)");
        test::RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const auto first = startRqWorker(server, QStringLiteral("mail"), QStringLiteral("w-1"));
        const auto second = startRqWorker(server, QStringLiteral("mail"), QStringLiteral("w-2"));
        QVERIFY(first && second);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        {
            core::ProfileStore store(path);
            core::ConnectionProfile profile = server.profile();
            profile.name = QStringLiteral("mailers");
            store.upsert(profile);
            QVERIFY(store.save());
        }
        core::MemorySecretStore secrets;
        widgets::MainWindow window(&secrets, path);
        window.show();
        const QList<widgets::ProfileTile *> tiles = window.overview()->tiles();
        QCOMPARE(tiles.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(tiles.first()->workersText(), "workers: 2 live", 20'000);
    }
};

QTEST_MAIN(TestWorkersView)
#include "tst_workersview.moc"
