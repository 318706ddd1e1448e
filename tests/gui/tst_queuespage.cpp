// The Queues tab against a real redis-server whose queues are made with plain redis-cli commands
// in each framework's own layout: counts, selection across polls, the filter, the empty state.
#include "redisserver.h"

#include "mainwindow.h"
#include "queuespage.h"
#include "queuestateschart.h"
#include "serverview.h"

#include "monitor/poller.h"
#include "monitor/queuetablemodel.h"
#include "session/serversession.h"

#include <QDateTime>
#include <QDir>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace qs;
using monitor::QueueTableModel;
using Column = QueueTableModel::Column;

namespace {

const QString kUnicodeName = QStringLiteral("отчёты-📊");

QString idOf(queues::Framework framework, const QByteArray &prefix, const QByteArray &name)
{
    return queues::QueueRef{framework, prefix, name}.id();
}

// The text a column shows for one queue, through the page's proxy (what the user sees).
QString shown(const widgets::QueuesPage *page, const QString &id, Column column)
{
    const QAbstractItemModel *proxy = page->proxy();
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const QModelIndex index = proxy->index(row, int(column));
        if (index.data(QueueTableModel::QueueIdRole).toString() == id)
            return index.data().toString();
    }
    return QStringLiteral("<absent>");
}

QString tipOf(const widgets::QueuesPage *page, const QString &id, Column column)
{
    const QAbstractItemModel *proxy = page->proxy();
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const QModelIndex index = proxy->index(row, int(column));
        if (index.data(QueueTableModel::QueueIdRole).toString() == id)
            return index.data(Qt::ToolTipRole).toString();
    }
    return {};
}

int proxyRowOf(const widgets::QueuesPage *page, const QString &id)
{
    for (int row = 0; row < page->proxy()->rowCount(); ++row) {
        if (page->proxy()->index(row, 0).data(QueueTableModel::QueueIdRole).toString() == id)
            return row;
    }
    return -1;
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("QS_TEST_ARTIFACTS", QDir::tempPath());
    QDir().mkpath(dir);
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name));
}

} // namespace

class TestQueuesPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void queuesOfEveryLayout()
    {
        test::RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.logTail()));
        const QString now = QString::number(QDateTime::currentSecsSinceEpoch() - 120);
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        auto msAgo = [nowMs](qint64 seconds) { return QString::number(nowMs - seconds * 1000); };
        // RQ writes enqueued_at as ISO-8601 UTC with microseconds.
        const QString rqEnqueued = QDateTime::fromMSecsSinceEpoch(nowMs - 180'000, QTimeZone::utc())
                                       .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000Z"));
        const QList<QStringList> setup{
            {"SADD", "rq:queues", "rq:queue:default"},
            {"RPUSH", "rq:queue:default", "a", "b", "c"}, // RQ pushes right, workers pop left
            {"HSET", "rq:job:a", "enqueued_at", rqEnqueued},
            {"SADD", "rq:queues", "rq:queue:" + kUnicodeName},
            {"RPUSH", "rq:queue:" + kUnicodeName, "x", "y"},
            {"HSET", "bull:emails:meta", "version", "bullmq:6.7.0", "opts.maxLenEvents", "10000"},
            // BullMQ pushes left, workers take from the right: job 1 waits longest (2 min).
            {"LPUSH", "bull:emails:wait", "1", "2"},
            {"HSET", "bull:emails:1", "name", "send", "timestamp", msAgo(125), "delay", "0"},
            {"HSET", "bull:emails:2", "name", "send", "timestamp", msAgo(5), "delay", "0"},
            {"ZADD", "bull:emails:failed", msAgo(20), "x"},
            {"ZADD", "bull:emails:prioritized", "4294967297", "p1", "8589934594", "p2"},
            {"ZADD", "bull:emails:waiting-children", msAgo(30), "parent"},
            // removeOnComplete at work: five finished within the last minute, three before.
            {"ZADD", "bull:emails:completed", msAgo(10), "c1", msAgo(20), "c2", msAgo(30), "c3",
             msAgo(40), "c4", msAgo(50), "c5", msAgo(300), "c6", msAgo(400), "c7", msAgo(500),
             "c8"},
            {"SADD", "queues", "mailers"},
            {"LPUSH", "queue:mailers", R"({"class":"X","jid":"1","enqueued_at":)" + now + "}"},
            {"SET", "stat:processed", "1000"},
            {"SET", "stat:failed", "7"},
            {"ZADD", "retry", "1", R"({"jid":"r1","queue":"mailers"})", "2",
             R"({"jid":"r2","queue":"mailers"})"},
        };
        for (const QStringList &command : setup) {
            int exitCode = -1;
            server.cli(command, &exitCode);
            QCOMPARE(exitCode, 0);
        }

        widgets::MainWindow window;
        window.resize(1400, 900);
        window.show();
        widgets::ServerView *view = window.openServer(server.profile());
        view->session()->poller()->setIntervalMs(250);
        QCOMPARE(view->tabs()->tabText(1), QStringLiteral("&Queues"));
        view->tabs()->setCurrentIndex(1);
        auto *page = view->findChild<widgets::QueuesPage *>();
        QVERIFY(page);
        QCOMPARE(view->tabs()->currentWidget(), page);

        const QString rqDefault = idOf(queues::Framework::RQ, "rq", "default");
        const QString rqUnicode = idOf(queues::Framework::RQ, "rq", kUnicodeName.toUtf8());
        const QString emails = idOf(queues::Framework::BullMQ, "bull", "emails");
        const QString mailers = idOf(queues::Framework::Sidekiq, "", "mailers");
        QTRY_COMPARE_WITH_TIMEOUT(page->proxy()->rowCount(), 4, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(shown(page, rqDefault, Column::Waiting), QStringLiteral("3"),
                                  15'000);
        QCOMPARE(shown(page, rqUnicode, Column::Waiting), QStringLiteral("2"));
        QCOMPARE(shown(page, rqUnicode, Column::Name), kUnicodeName);
        QCOMPARE(shown(page, emails, Column::Framework), QStringLiteral("BullMQ"));
        QCOMPARE(shown(page, emails, Column::Waiting), QStringLiteral("2"));
        QCOMPARE(shown(page, emails, Column::Failed), QStringLiteral("1"));
        QCOMPARE(shown(page, mailers, Column::Waiting), QStringLiteral("1"));
        QVERIFY2(shown(page, mailers, Column::OldestWaiting).endsWith(QLatin1String("min")),
                 qPrintable(shown(page, mailers, Column::OldestWaiting)));
        QVERIFY(page->summary()->text().startsWith(QLatin1String("4 queues")));
        QVERIFY(!page->emptyState()->isVisible());

        // Prioritized and waiting-children are columns of their own.
        QCOMPARE(shown(page, emails, Column::Prioritized), QStringLiteral("2"));
        QCOMPARE(shown(page, emails, Column::WaitingChildren), QStringLiteral("1"));
        // Oldest waiting for every framework that makes it knowable: BullMQ from the job at the
        // tail of wait, RQ from the head's enqueued_at.
        QTRY_COMPARE_WITH_TIMEOUT(shown(page, emails, Column::OldestWaiting),
                                  QStringLiteral("2 min"), 15'000);
        QCOMPARE(shown(page, rqDefault, Column::OldestWaiting), QStringLiteral("3 min"));
        QCOMPARE(shown(page, rqUnicode, Column::OldestWaiting), QStringLiteral("—"));
        // Throughput from the finished sets, never a false 0: five completed in the last minute
        // though the set's size does not move; the failed set holds only recent jobs, so it is a
        // lower bound; RQ cannot know and says why.
        QCOMPARE(shown(page, emails, Column::CompletedPerMinute), QStringLiteral("5"));
        QCOMPARE(shown(page, emails, Column::FailedPerMinute), QStringLiteral("≥1"));
        QCOMPARE(shown(page, rqDefault, Column::CompletedPerMinute), QStringLiteral("—"));
        QVERIFY(tipOf(page, rqDefault, Column::CompletedPerMinute).contains(QLatin1String("RQ")));
        QCOMPARE(shown(page, mailers, Column::CompletedPerMinute), QStringLiteral("—"));
        // Sidekiq's counters are server-wide: one line for all its queues, with their rates.
        QVERIFY(page->frameworkTotals()->isVisible());
        const QString totals = page->frameworkTotals()->text();
        for (const char *part :
             {"Sidekiq, all queues", "processed/min", "failed/min", "retries 2", "processed 1,000"})
            QVERIFY2(totals.contains(QLatin1String(part)), qPrintable(totals));

        // Select a queue; it stays selected while polls change its counts, a new queue appears
        // (re-sorting the rows) and the chart follows it.
        page->table()->selectRow(proxyRowOf(page, emails));
        QCOMPARE(page->selectedQueueId(), emails);
        QCOMPARE(page->chart()->queueId(), emails);
        for (int i = 0; i < 6; ++i) {
            server.cli({"LPUSH", "bull:emails:wait", QString::number(10 + i)});
            QTest::qWait(300); // let polls pass in between, so the chart shows a slope
        }
        server.cli({"SADD", "rq:queues", "rq:queue:aaa"});
        server.cli({"RPUSH", "rq:queue:aaa", "j"});
        QTest::mouseClick(page->discoverButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(page->proxy()->rowCount(), 5, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(shown(page, emails, Column::Waiting), QStringLiteral("8"),
                                  15'000);
        const int polls = page->history().total().size();
        QTRY_VERIFY_WITH_TIMEOUT(page->history().total().size() >= polls + 3, 15'000);
        QCOMPARE(page->selectedQueueId(), emails);
        QCOMPARE(page->table()->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(page->table()->selectionModel()->selectedRows().first().row(),
                 proxyRowOf(page, emails));
        QCOMPARE(page->chart()->queueId(), emails);
        QVERIFY(page->chart()->pointCount() >= 5);

        // The filter matches the framework or the name, case-insensitively.
        page->filter()->setText(QStringLiteral("sidekiq"));
        QCOMPARE(page->proxy()->rowCount(), 1);
        QVERIFY(page->selectedQueueId().isEmpty()); // emails is hidden, not replaced
        QCOMPARE(page->chart()->queueId(), emails); // and still charted
        page->filter()->setText(QStringLiteral("EMAIL"));
        QCOMPARE(page->proxy()->rowCount(), 1);
        page->filter()->setText(QStringLiteral("rq"));
        QCOMPARE(page->proxy()->rowCount(), 3);
        page->filter()->setText(QStringLiteral("отчёт"));
        QCOMPARE(page->proxy()->rowCount(), 1);
        page->filter()->clear();
        QCOMPARE(page->proxy()->rowCount(), 5);
        QCOMPARE(page->selectedQueueId(), emails);

        QTest::qWait(500);
        saveScreenshot(&window, QStringLiteral("queues.png"));
    }

    void emptyStateSaysWhatWasLookedFor()
    {
        test::RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.logTail()));
        server.cli({"SET", "unrelated", "1"});
        widgets::MainWindow window;
        window.show();
        widgets::ServerView *view = window.openServer(server.profile());
        view->session()->poller()->setIntervalMs(250);
        view->tabs()->setCurrentIndex(1);
        auto *page = view->findChild<widgets::QueuesPage *>();
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->emptyState()->isVisible() &&
                                     page->emptyState()->text().startsWith(QLatin1String(
                                         "No BullMQ, Bull, Celery, RQ or Sidekiq queues found")),
                                 15'000);
        QVERIFY2(page->emptyState()->text().contains(QLatin1String("rq:queues")),
                 qPrintable(page->emptyState()->text()));
        QVERIFY(page->discoverButton()->isEnabled());
        saveScreenshot(&window, QStringLiteral("queues-empty.png"));
    }
};

QTEST_MAIN(TestQueuesPage)
#include "tst_queuespage.moc"
