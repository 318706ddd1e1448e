// Issue 11, must-have 7: the whole window at 1280x800 (the default) and 1920x1080, in a light
// and a dark palette, on a real server with queues of every framework, failed jobs and a
// maxmemory limit: no chart legend cut, no table column off the right edge, on every page.
// Each page is saved as a screenshot ($QS_TEST_ARTIFACTS) for a person to look at.
#include "redisserver.h"
#include "widgetfit.h"

#include "dashboardpage.h"
#include "jobspage.h"
#include "mainwindow.h"
#include "queuespage.h"
#include "serverpage.h"
#include "serverview.h"
#include "timeserieschart.h"

#include "monitor/jobtablemodel.h"
#include "monitor/poller.h"
#include "monitor/queuetablemodel.h"
#include "session/serversession.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDateTime>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace qs;

namespace {

// Queues of the five frameworks in their own layouts, BullMQ failed jobs with reasons.
const char *setupScript = R"lua(
local now = tonumber(ARGV[1])
for _, q in ipairs({'emails', 'reports', 'thumbnails'}) do
  local b = 'bull:' .. q .. ':'
  redis.call('HSET', b .. 'meta', 'version', 'bullmq:6.7.0', 'opts.maxLenEvents', '10000')
  for i = 1, 3 do
    redis.call('HSET', b .. i, 'name', 'send', 'data', '{"n":' .. i .. '}', 'opts', '{"attempts":2}',
      'timestamp', now - 300000, 'processedOn', now - 2000, 'finishedOn', now - 1000 * i,
      'failedReason', 'SMTP refused by mx.example.com: 421 too many connections (attempt 2)',
      'atm', '2')
    redis.call('ZADD', b .. 'failed', now - 1000 * i, i)
    redis.call('LPUSH', b .. 'wait', 'w' .. i)
    redis.call('HSET', b .. 'w' .. i, 'name', 'send', 'timestamp', now - 60000 * i)
    redis.call('ZADD', b .. 'completed', now - 5000 * i, 'c' .. i)
  end
  redis.call('ZADD', b .. 'prioritized', 4294967297, 'p1')
  redis.call('ZADD', b .. 'waiting-children', now, 'parent')
end
redis.call('SET', 'bull:legacy:id', '7')
redis.call('RPUSH', 'bull:legacy:wait', '1', '2')
redis.call('SADD', 'rq:queues', 'rq:queue:default', 'rq:queue:exports')
redis.call('RPUSH', 'rq:queue:default', 'a', 'b')
redis.call('SADD', 'queues', 'mailers', 'default')
redis.call('LPUSH', 'queue:mailers', '{"class":"Mailer","jid":"1","enqueued_at":' .. (now / 1000 - 42) .. '}')
redis.call('SET', 'stat:processed', '123456')
redis.call('SET', 'stat:failed', '789')
redis.call('SADD', '_kombu.binding.celery', 'celery' .. string.char(6, 22) .. string.char(6, 22) .. 'celery')
redis.call('LPUSH', 'celery', '{"headers":{"eta":null},"body":""}')
return 1)lua";

} // namespace

class TestWindowFit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanupTestCase() { test::usePalette(false); }

    void everyPageFits_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("dark");
        QTest::newRow("1280x800-light") << QSize(1280, 800) << false;
        QTest::newRow("1280x800-dark") << QSize(1280, 800) << true;
        QTest::newRow("1920x1080-light") << QSize(1920, 1080) << false;
        QTest::newRow("1920x1080-dark") << QSize(1920, 1080) << true;
    }

    void everyPageFits()
    {
        QFETCH(QSize, size);
        QFETCH(bool, dark);
        test::usePalette(dark);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());

        test::RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.logTail()));
        int exitCode = -1;
        server.cli({QStringLiteral("EVAL"), QString::fromLatin1(setupScript), QStringLiteral("0"),
                    QString::number(QDateTime::currentMSecsSinceEpoch())},
                   &exitCode);
        QCOMPARE(exitCode, 0);
        server.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"),
                    QStringLiteral("256mb")});

        widgets::MainWindow window;
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), size);
        widgets::ServerView *view = window.openServer(server.profile());
        view->session()->poller()->setIntervalMs(250);

        // Dashboard: every legend entry whole, the maxmemory line inside the value range.
        widgets::DashboardPage *dashboard = view->dashboard();
        QTRY_VERIFY_WITH_TIMEOUT(view->session()->history().size() >= 4, 15'000);
        QVERIFY(test::saveScreenshot(&window, QStringLiteral("fit-%1-dashboard.png").arg(tag)));
        for (widgets::TimeSeriesChart *chart : dashboard->charts()) {
            chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
            QVERIFY2(chart->legendFits(), qPrintable(chart->title()));
        }
        QVERIFY(dashboard->chart(QStringLiteral("Memory"))->plot()->yAxis->range().upper >=
                256.0 * 1024 * 1024);

        // Queues: every column on screen, with counts, rates and ages in it.
        view->tabs()->setCurrentIndex(1);
        auto *queues = view->findChild<widgets::QueuesPage *>();
        QTRY_COMPARE_WITH_TIMEOUT(queues->proxy()->rowCount(), 9, 15'000);
        QTRY_VERIFY_WITH_TIMEOUT(queues->frameworkTotals()->isVisible(), 15'000);
        QTest::qWait(300); // one more poll: the columns have sized to their contents
        QVERIFY(test::saveScreenshot(&window, QStringLiteral("fit-%1-queues.png").arg(tag)));
        QStringList cut = test::cutColumns(queues->table());
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QStringLiteral(", "))));

        // Jobs: the failed jobs with their reasons, every column on screen.
        view->tabs()->setCurrentIndex(2);
        widgets::JobsPage *jobs = view->jobs();
        jobs->showQueue({queues::Framework::BullMQ, "bull", "emails"}, QStringLiteral("failed"));
        QTRY_COMPARE_WITH_TIMEOUT(jobs->model()->rowCount(), 3, 15'000);
        jobs->table()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(jobs->stateBox()->currentText().startsWith(u"failed (3)"), 15'000);
        QVERIFY(test::saveScreenshot(&window, QStringLiteral("fit-%1-jobs.png").arg(tag)));
        cut = test::cutColumns(jobs->table());
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QStringLiteral(", "))));

        // Server: the client list.
        view->tabs()->setCurrentWidget(view->findChild<widgets::ServerPage *>());
        auto *tabs = view->tabs()->currentWidget()->findChild<QTabWidget *>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        auto *clients =
            view->tabs()->currentWidget()->findChild<QTableView *>(QStringLiteral("clientsView"));
        QVERIFY(clients);
        QTRY_VERIFY_WITH_TIMEOUT(clients->model()->rowCount() >= 2, 15'000);
        QVERIFY(test::saveScreenshot(&window, QStringLiteral("fit-%1-server.png").arg(tag)));
        cut = test::cutColumns(clients);
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestWindowFit)
#include "tst_windowfit.moc"
