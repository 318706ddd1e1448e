// Issue 15, must-have 2: the dashboard's charts read the history on disk. A real redis-server is
// polled and recorded by one window; a second window ("the app restarted") shows, over 24 h and
// 7 d, those polls and the days before them (a synthetic past written as a recorder would have),
// a gap where nothing was recorded, and a finer step once the user zooms in.
#include "artifactpath.h"
#include "redisserver.h"
#include "synthetichistory.h"

#include "dashboardpage.h"
#include "mainwindow.h"
#include "serverview.h"
#include "timeserieschart.h"

#include "monitor/poller.h"
#include "session/serversession.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

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

// What the chart's first line holds in [fromMs, toMs).
Drawn drawn(const widgets::TimeSeriesChart *chart, qint64 fromMs, qint64 toMs)
{
    Drawn out;
    const QCPGraphDataContainer &data = *chart->plot()->graph(0)->data();
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

void choose(widgets::DashboardPage *dashboard, int seconds)
{
    QComboBox *window = dashboard->windowChoice();
    const int index = window->findData(seconds);
    QVERIFY2(index >= 0, qPrintable(QString::number(seconds)));
    window->setCurrentIndex(index);
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
        for (const QString suffix : {"", "-wal", "-shm"})
            QFile::remove(path + suffix);
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
};

QTEST_MAIN(TestHistoryCharts)
#include "tst_historycharts.moc"
