// Issue 15, must-have 2: the dashboard's charts read the history on disk. A real redis-server is
// polled and recorded by one window; a second window ("the app restarted") shows, over 24 h and
// 7 d, those polls and the days before them (a synthetic past written as a recorder would have),
// a gap where nothing was recorded, and a finer step once the user zooms in.
#include "artifactpath.h"
#include "redisserver.h"
#include "synthetichistory.h"

#include "dashboardpage.h"
#include "mainwindow.h"
#include "queuespage.h"
#include "queuestateschart.h"
#include "serverview.h"
#include "timerangedialog.h"
#include "timeserieschart.h"

#include "history/seriesbuckets.h"
#include "monitor/queuetablemodel.h"

#include "monitor/poller.h"
#include "session/serversession.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>

using namespace qs;

namespace {

constexpr qint64 kHour = 3'600'000;
constexpr qint64 kDay = 24 * kHour;

struct Drawn
{
    int values = 0; // points with a value
    int gaps = 0;   // NaN points: the line breaks there
    double low = qInf(), high = -qInf();
};

// What a plot's line holds in [fromMs, toMs).
Drawn drawn(const QCustomPlot *plot, qint64 fromMs, qint64 toMs, int line = 0)
{
    Drawn out;
    const QCPGraphDataContainer &data = *plot->graph(line)->data();
    for (auto it = data.findBegin(double(fromMs) / 1000, false);
         it != data.constEnd() && it->key < double(toMs) / 1000; ++it) {
        if (std::isnan(it->value)) {
            ++out.gaps;
        } else {
            ++out.values;
            out.low = std::min(out.low, it->value);
            out.high = std::max(out.high, it->value);
        }
    }
    return out;
}

Drawn drawn(const widgets::TimeSeriesChart *chart, qint64 fromMs, qint64 toMs)
{
    return drawn(chart->plot(), fromMs, toMs);
}

void choose(widgets::DashboardPage *dashboard, int seconds)
{
    QComboBox *window = dashboard->windowChoice();
    const int index = window->findData(seconds);
    QVERIFY2(index >= 0, qPrintable(QString::number(seconds)));
    window->setCurrentIndex(index);
}

void removeHistory(const QString &path)
{
    for (const QString suffix : {"", "-wal", "-shm"})
        QFile::remove(path + suffix);
}

} // namespace

class TestHistoryCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void afterARestartTheChartsShowThePast()
    {
        test::RedisServer server;
        QVERIFY(server.start());
        const core::ConnectionProfile profile = server.profile();
        const QString path = session::SessionOptions::historyPathFor(profile);
        removeHistory(path);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // Three days every 30 s up to 5 minutes ago, but nothing from 10 h to 8 h ago.
        const qint64 holeFrom = now - 10 * kHour, holeTo = now - 8 * kHour;
        QString error;
        QVERIFY2(test::writeSyntheticHistory(path, now - 3 * kDay, now - 5 * 60'000, 30'000,
                                             {{holeFrom, holeTo}}, &error),
                 qPrintable(error));

        // The first run of the app polls the real server and records what it sees.
        {
            widgets::MainWindow window;
            window.show();
            widgets::ServerView *view = window.openServer(profile);
            view->session()->poller()->setIntervalMs(200);
            QSignalSpy polls(view->session(), &session::ServerSession::polled);
            QTRY_VERIFY_WITH_TIMEOUT(polls.size() >= 10, 20'000);
        } // closing it writes what is pending
        const qint64 firstRunEnded = QDateTime::currentMSecsSinceEpoch();

        // "Restart": a new window on the same server. Its memory starts now.
        widgets::MainWindow window;
        window.resize(1280, 800);
        window.show();
        widgets::ServerView *view = window.openServer(profile);
        widgets::DashboardPage *dashboard = view->dashboard();
        widgets::TimeSeriesChart *clients = dashboard->chart(QStringLiteral("Clients"));
        QVERIFY(clients);

        choose(dashboard, 86'400);
        QTRY_COMPARE_WITH_TIMEOUT(clients->storedStepMs(), 60'000, 10'000); // the 1 min tier
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->chart(QStringLiteral("Memory"))->storedStepMs() > 0,
                                 10'000);
        // A day of the synthetic past (30 to 53 clients), one point a minute, less the hole.
        const Drawn day = drawn(clients, now - 23 * kHour, now - 10 * 60'000);
        QVERIFY2(day.values > 1'150 && day.values < 1'260, qPrintable(QString::number(day.values)));
        QVERIFY(day.low >= 30 && day.high <= 53);
        // The hole: no value inside it, and the line breaks at its start.
        QCOMPARE(drawn(clients, holeFrom + 2 * 60'000, holeTo - 60'000).values, 0);
        QVERIFY(drawn(clients, holeFrom - 60'000, holeFrom + 2 * 60'000).gaps >= 1);
        // The first run's polls of the real server (a few clients, not 30+): recorded, shown.
        const Drawn firstRun = drawn(clients, now - 60'000, firstRunEnded + 1);
        QVERIFY2(firstRun.values >= 1 && firstRun.high < 10,
                 qPrintable(
                     QStringLiteral("%1 values up to %2").arg(firstRun.values).arg(firstRun.high)));
        QVERIFY(dashboard->historyNote()->isHidden());
        QTest::qWait(300); // the queued replots of every chart
        QVERIFY(view->grab().save(test::artifactPath(QStringLiteral("history-24h.png"))));

        choose(dashboard, 7 * 86'400);
        QTRY_VERIFY_WITH_TIMEOUT(drawn(clients, now - 4 * kDay, now - 2 * kDay).values > 1'000,
                                 10'000);
        QCOMPARE(clients->storedStepMs(), 60'000);
        QCOMPARE(drawn(clients, now - 7 * kDay, now - 3 * kDay - 60'000).values, 0);
        QTest::qWait(300);
        QVERIFY(view->grab().save(test::artifactPath(QStringLiteral("history-7d.png"))));

        // The user zooms in on an hour two days ago: read again at the 10 s tier (the 1 s tier
        // keeps a day only), the 30 s samples one step in three, with no gap between them.
        const qint64 zoomTo = now - 2 * kDay;
        clients->plot()->xAxis->setRange(double(zoomTo - kHour) / 1000, double(zoomTo) / 1000);
        QTRY_COMPARE_WITH_TIMEOUT(clients->storedStepMs(), 10'000, 10'000);
        QVERIFY(!clients->followLive());
        const Drawn hour = drawn(clients, zoomTo - kHour, zoomTo);
        QVERIFY2(hour.values >= 115 && hour.values <= 121,
                 qPrintable(QString::number(hour.values)));
        QCOMPARE(hour.gaps, 0);
        // ...and on the first run's seconds: the 1 s tier, the real polls (every 200 ms).
        clients->plot()->xAxis->setRange(double(now - 60'000) / 1000,
                                         double(firstRunEnded + 5'000) / 1000);
        QTRY_COMPARE_WITH_TIMEOUT(clients->storedStepMs(), 1'000, 10'000);
        QVERIFY(drawn(clients, now - 1'000, firstRunEnded + 1).values >= 2);
        QTest::qWait(300);
        QVERIFY(clients->grab().save(test::artifactPath(QStringLiteral("history-zoomed.png"))));
    }

    // "Custom range…" asks for a range (OK only while "from" is before "to") and every chart
    // shows it, read from disk at the tier that fits; the list goes back to the last window.
    void aCustomRangeIsShownFromDisk()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("custom.sqlite"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QString error;
        QVERIFY2(test::writeSyntheticHistory(path, now - 2 * kDay, now - kHour, 60'000, {}, &error),
                 qPrintable(error));
        core::ConnectionProfile profile;
        profile.name = QStringLiteral("custom");
        session::SessionOptions options = session::SessionOptions::window(profile);
        options.historyPath = path;
        session::ServerSession session(profile, options); // never opened: the past only
        widgets::DashboardPage page(&session);
        page.resize(1280, 800);
        page.show();
        choose(&page, 3'600);
        widgets::TimeSeriesChart *ops = page.chart(QStringLiteral("Operations per second"));
        QVERIFY(ops);

        // Four hours yesterday, typed into the dialog: 10 s steps (1 s is kept for a day only).
        const QDateTime from = QDateTime::fromMSecsSinceEpoch(now - 30 * kHour);
        const QDateTime to = QDateTime::fromMSecsSinceEpoch(now - 26 * kHour);
        bool okWasDisabled = false;
        QTimer::singleShot(0, &page, [&] {
            auto *dialog =
                qobject_cast<widgets::TimeRangeDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            dialog->fromEdit()->setDateTime(to);
            dialog->toEdit()->setDateTime(from);
            okWasDisabled = !ok->isEnabled();
            dialog->fromEdit()->setDateTime(from);
            dialog->toEdit()->setDateTime(to);
            QVERIFY(ok->isEnabled());
            ok->click();
        });
        page.windowChoice()->setCurrentIndex(page.windowChoice()->findData(0)); // Custom range…
        QVERIFY(okWasDisabled);
        QCOMPARE(page.windowChoice()->currentData().toInt(), 3'600);
        QTRY_COMPARE_WITH_TIMEOUT(ops->storedStepMs(), 10'000, 10'000);
        QVERIFY(!ops->followLive());
        // The edits hold minutes: the range is the minutes typed.
        const double lower = ops->plot()->xAxis->range().lower;
        QVERIFY(std::abs(lower - double(from.toMSecsSinceEpoch()) / 1000) < 60);
        QVERIFY(std::abs(ops->plot()->xAxis->range().upper -
                         double(to.toMSecsSinceEpoch()) / 1000) < 60);
        const Drawn shown = drawn(ops, now - 30 * kHour + 60'000, now - 26 * kHour - 60'000);
        QVERIFY2(shown.values >= 230 && shown.values <= 240,
                 qPrintable(QString::number(shown.values)));
        QCOMPARE(shown.gaps, 0); // one sample a minute in 10 s steps is no gap
    }

    // A queue's state chart reads its past the same way: each line the sum of the framework's
    // states that mean it (RQ: "queued" is waiting), a gap where nothing was recorded, the 10 s
    // tier when zoomed in on an hour.
    void aQueuesStateChartShowsItsPast()
    {
        test::RedisServer server;
        QVERIFY(server.start());
        server.cli({"SADD", "rq:queues", "rq:queue:default"});
        server.cli({"RPUSH", "rq:queue:default", "a", "b", "c"});
        const core::ConnectionProfile profile = server.profile();
        const QString path = session::SessionOptions::historyPathFor(profile);
        removeHistory(path);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 holeFrom = now - 6 * kHour, holeTo = now - 5 * kHour;
        {
            history::HistoryStore store(path);
            QVERIFY(store.open(history::HistoryStore::Access::Write).writable);
            history::SeriesBuckets buckets;
            // Two days every 10 s: 40 queued and 2 failed jobs, nothing in the hole.
            for (qint64 at = now - 2 * kDay; at < now - 10 * 60'000; at += 10'000) {
                if (at >= holeFrom && at < holeTo)
                    continue;
                buckets.append(at, {{QStringLiteral("queue.rq/rq/default.queued"), 40, false},
                                    {QStringLiteral("queue.rq/rq/default.failed"), 2, false}});
            }
            QVERIFY(store.write(buckets.takeChanged()));
        }
        widgets::MainWindow window;
        window.resize(1280, 800);
        window.show();
        widgets::ServerView *view = window.openServer(profile);
        view->session()->poller()->setIntervalMs(250);
        auto *page = view->findChild<widgets::QueuesPage *>();
        QVERIFY(page);
        view->tabs()->setCurrentWidget(page);
        const QString id = queues::QueueRef{queues::Framework::RQ, "rq", "default"}.id();
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowOf(id) >= 0, 15'000);
        page->table()->selectRow(
            page->proxy()->mapFromSource(page->model()->index(page->model()->rowOf(id), 0)).row());
        widgets::QueueStatesChart *chart = page->chart();
        QTRY_COMPARE_WITH_TIMEOUT(chart->queueId(), id, 5'000);

        const int day = chart->windowChoice()->findData(86'400);
        QVERIFY(day >= 0);
        chart->windowChoice()->setCurrentIndex(day);
        QTRY_COMPARE_WITH_TIMEOUT(chart->storedStepMs(), 60'000, 10'000);
        const QCustomPlot *plot = chart->plot();
        QVERIFY(plot->xAxis->range().size() > 86'000); // the past fills the window
        const Drawn waiting = drawn(plot, now - 23 * kHour, now - 15 * 60'000);
        QVERIFY2(waiting.values > 1'200, qPrintable(QString::number(waiting.values)));
        QCOMPARE(waiting.low, 40.0);
        QCOMPARE(waiting.high, 40.0);
        QCOMPARE(drawn(plot, now - 23 * kHour, now - 15 * 60'000, 3).high, 2.0); // failed
        QCOMPARE(drawn(plot, holeFrom + 2 * 60'000, holeTo - 60'000).values, 0);
        QVERIFY(drawn(plot, holeFrom - 60'000, holeFrom + 2 * 60'000).gaps >= 1);
        // Now, from memory: the three jobs the real server holds.
        QTRY_VERIFY_WITH_TIMEOUT(drawn(plot, now, now + kHour).high == 3.0, 10'000);
        QTest::qWait(300);
        QVERIFY(page->grab().save(test::artifactPath(QStringLiteral("history-queue-24h.png"))));

        // Zoomed in on an hour yesterday: the 10 s tier.
        chart->plot()->xAxis->setRange(double(now - 20 * kHour) / 1000,
                                       double(now - 19 * kHour) / 1000);
        QTRY_COMPARE_WITH_TIMEOUT(chart->storedStepMs(), 10'000, 10'000);
        QVERIFY(!chart->followLive());
        QCOMPARE(drawn(plot, now - 20 * kHour, now - 19 * kHour).values, 360);
    }
};

QTEST_MAIN(TestHistoryCharts)
#include "tst_historycharts.moc"
