// TimeSeriesChart offscreen: incremental refresh, NaN gaps (also through adaptive sampling),
// follow-live, pan and zoom, exports, palettes. Screenshots go to $QS_TEST_ARTIFACTS.

#include "artifactpath.h"
#include "timeserieschart.h"

#include "monitor/metrichistory.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <cmath>

using namespace qs::monitor;
using qs::test::artifactPath;
using qs::widgets::TimeSeriesChart;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 t0 = 1'710'237'600'000; // 2024-03-12 10:00:00 UTC
constexpr qint64 mebibyte = 1024 * 1024;
const QRgb usedMemoryColour = 0xff3a7bd5; // the first series colour

// One poll at second i: memory waves around 300 MiB, maxmemory 512 MiB, about 1,500 ops/s.
PollSnapshot poll(int i, qint64 t = t0)
{
    PollSnapshot s;
    s.timestampMs = t + qint64(i) * 1000;
    auto &f = s.info.fields;
    const double wave = std::sin(i / 40.0) + 0.3 * std::sin(i / 7.0);
    f[u"used_memory"_s] = QString::number(qint64((300 + 60 * wave) * mebibyte));
    f[u"used_memory_rss"_s] = QString::number(qint64((380 + 40 * wave) * mebibyte));
    f[u"maxmemory"_s] = QString::number(512 * mebibyte);
    f[u"connected_clients"_s] = QString::number(40 + i % 7);
    f[u"uptime_in_seconds"_s] = QString::number(100'000 + i);
    f[u"run_id"_s] = u"0123456789abcdef0123456789abcdef01234567"_s;
    f[u"total_commands_processed"_s] = QString::number(qint64(i) * 1500 + (i % 13) * 90);
    return s;
}

PollSnapshot failedPoll(int i, qint64 t = t0)
{
    PollSnapshot s;
    s.timestampMs = t + qint64(i) * 1000;
    s.error.kind = qs::redis::RedisError::Kind::CommandTimeout;
    return s;
}

// rows seconds of polls; the polls in [gapFrom, gapTo) fail.
void fill(MetricHistory &history, int rows, int gapFrom = -1, int gapTo = -1)
{
    for (int i = 0; i < rows; ++i)
        history.append(i >= gapFrom && i < gapTo ? failedPoll(i) : poll(i));
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xdd, 0xdd, 0xdd));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xdd, 0xdd, 0xdd));
    return p;
}

// Whether any pixel of the plot's column x inside the axis rect has the colour.
bool columnHasColour(const QImage &image, QCustomPlot *plot, int x, QRgb colour)
{
    const QRect rect = plot->axisRect()->rect();
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        if (image.pixel(x, y) == colour)
            return true;
    }
    return false;
}

void sendMouse(QWidget *target, QEvent::Type type, QPoint pos, Qt::MouseButtons buttons)
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, pos, target->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(target, &event);
}

} // namespace

class TstTimeSeriesChart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }

    void memoryChart()
    {
        MetricHistory history;
        fill(history, 600, 300, 310);
        TimeSeriesChart chart(u"Memory"_s);
        chart.setValueFormat(TimeSeriesChart::ValueFormat::Bytes);
        chart.addSeries(Metric::UsedMemory);
        chart.addSeries(Metric::RssMemory);
        chart.addLimitSeries(Metric::MaxMemory, u"maxmemory"_s);
        chart.setWindow(300);
        chart.resize(900, 360);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setHistory(&history);
        chart.refresh();
        QCustomPlot *plot = chart.plot();
        plot->replot(QCustomPlot::rpImmediateRefresh);

        QCOMPARE(plot->graphCount(), 3);
        QCOMPARE(plot->graph(0)->dataCount(), 600);
        int gaps = 0;
        for (auto it = plot->graph(0)->data()->constBegin();
             it != plot->graph(0)->data()->constEnd(); ++it)
            gaps += std::isnan(it->value) ? 1 : 0;
        QCOMPARE(gaps, 10);

        // Follow-live: the newest sample sits on the right edge, the window is 300 s wide.
        QCOMPARE(plot->xAxis->range().upper, (t0 + 599'000) / 1000.0);
        QCOMPARE(plot->xAxis->range().size(), 300.0);
        // Value axis in binary units, starting at 0, high enough for the 512 MiB limit.
        QVERIFY(plot->yAxis->range().lower == 0);
        QVERIFY(plot->yAxis->range().upper >= 512.0 * mebibyte);
        const QVector<QString> labels = plot->yAxis->tickVectorLabels();
        QVERIFY(!labels.isEmpty());
        for (const QString &label : labels)
            QVERIFY2(label == u"0"_s || label.endsWith(u" MiB"_s), qPrintable(label));

        // Incremental: five more rows add five points, the right edge follows.
        for (int i = 600; i < 605; ++i)
            history.append(poll(i));
        chart.refresh();
        QCOMPARE(plot->graph(0)->dataCount(), 605);
        QCOMPARE(plot->xAxis->range().upper, (t0 + 604'000) / 1000.0);
        chart.refresh(); // nothing new: nothing added
        QCOMPARE(plot->graph(0)->dataCount(), 605);

        // Show the gap in the screenshot: the last 10 minutes.
        chart.setWindow(600);
        plot->replot(QCustomPlot::rpImmediateRefresh);
        QImage light = chart.grab().toImage();
        QVERIFY(light.save(artifactPath(u"timeserieschart.png"_s)));
        const int gapX = int(plot->xAxis->coordToPixel((t0 + 305'000) / 1000.0));
        QVERIFY(!columnHasColour(light, plot, gapX, usedMemoryColour));
        QVERIFY(columnHasColour(light, plot, gapX - 40, usedMemoryColour));

        chart.setPalette(darkPalette());
        plot->replot(QCustomPlot::rpImmediateRefresh);
        const QImage dark = chart.grab().toImage();
        QVERIFY(dark.save(artifactPath(u"timeserieschart-dark.png"_s)));
        QCOMPARE(dark.pixel(plot->axisRect()->rect().center() + QPoint(0, 1)) & 0xffffff,
                 0x1e1e1eu);

        // Tooltip for the sample under the mouse.
        const QPoint at(int(plot->xAxis->coordToPixel((t0 + 500'000) / 1000.0)),
                        plot->axisRect()->rect().center().y());
        sendMouse(plot, QEvent::MouseMove, at, Qt::NoButton);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(u"Used memory: "_s), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(u"maxmemory: 512 MiB"_s));
        QToolTip::hideText();
    }

    // Over 2 h on ~800 px every pixel holds several samples, so adaptive sampling is on: a one
    // minute gap must still be a gap, not a line drawn across it.
    void gapSurvivesAdaptiveSampling()
    {
        MetricHistory history;
        fill(history, 7200, 3600, 3660);
        TimeSeriesChart chart(u"Memory"_s);
        chart.setValueFormat(TimeSeriesChart::ValueFormat::Bytes);
        chart.addSeries(Metric::UsedMemory);
        chart.setWindow(7200);
        chart.resize(900, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setHistory(&history);
        QCustomPlot *plot = chart.plot();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(plot->graph(0)->dataCount() > 2 * plot->axisRect()->width());
        const QImage image = chart.grab().toImage();
        QVERIFY(image.save(artifactPath(u"timeserieschart-2h.png"_s)));
        const int gapX = int(plot->xAxis->coordToPixel((t0 + 3630'000) / 1000.0));
        QVERIFY(!columnHasColour(image, plot, gapX, usedMemoryColour));
        QVERIFY(columnHasColour(image, plot, gapX - 30, usedMemoryColour));
        QVERIFY(columnHasColour(image, plot, gapX + 30, usedMemoryColour));

        // Elsewhere the line is unbroken: every pixel column holds it, and each column's pixels
        // touch the next column's (the dense drawing must not leave holes or steps).
        const int beforeGap = int(plot->xAxis->coordToPixel((t0 + 3599'000) / 1000.0));
        const int afterGap = int(plot->xAxis->coordToPixel((t0 + 3660'000) / 1000.0)) + 1;
        const int first = int(plot->xAxis->coordToPixel(t0 / 1000.0));
        const int last = int(plot->xAxis->coordToPixel((t0 + 7199'000) / 1000.0));
        const QRect rect = plot->axisRect()->rect();
        int previousTop = -1, previousBottom = -1;
        for (int x = first + 1; x < last; ++x) { // the outermost ones lie on the axes
            int top = -1, bottom = -1;
            for (int y = rect.top(); y <= rect.bottom(); ++y) {
                if (image.pixel(x, y) == usedMemoryColour) {
                    top = top < 0 ? y : top;
                    bottom = y;
                }
            }
            if (x > beforeGap && x < afterGap) {
                previousTop = -1;
                continue;
            }
            QVERIFY2(top >= 0, qPrintable(u"empty column at x=%1"_s.arg(x)));
            if (previousTop >= 0) {
                QVERIFY2(top <= previousBottom + 1 && bottom >= previousTop - 1,
                         qPrintable(u"step between columns %1 and %2"_s.arg(x - 1).arg(x)));
            }
            previousTop = top;
            previousBottom = bottom;
        }
    }

    void panAndZoomTurnFollowLiveOff()
    {
        MetricHistory history;
        fill(history, 900);
        TimeSeriesChart chart(u"Operations per second"_s);
        chart.setValueFormat(TimeSeriesChart::ValueFormat::Rate);
        chart.addSeries(Metric::OpsPerSec);
        chart.resize(800, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setHistory(&history);
        QCustomPlot *plot = chart.plot();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(chart.followLive());
        QSignalSpy spy(&chart, &TimeSeriesChart::followLiveChanged);

        // Drag right by 200 px: the view moves into the past and stops following.
        const QPoint from = plot->axisRect()->rect().center();
        const double upperBefore = plot->xAxis->range().upper;
        sendMouse(plot, QEvent::MouseButtonPress, from, Qt::LeftButton);
        sendMouse(plot, QEvent::MouseMove, from + QPoint(100, 0), Qt::LeftButton);
        sendMouse(plot, QEvent::MouseMove, from + QPoint(200, 0), Qt::LeftButton);
        sendMouse(plot, QEvent::MouseButtonRelease, from + QPoint(200, 0), Qt::NoButton);
        QVERIFY(!chart.followLive());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toBool(), false);
        const QCPRange panned = plot->xAxis->range();
        QVERIFY(panned.upper < upperBefore);

        // New data no longer moves the view.
        for (int i = 900; i < 910; ++i)
            history.append(poll(i));
        chart.refresh();
        QCOMPARE(plot->xAxis->range(), panned);
        QCOMPARE(plot->graph(0)->dataCount(), 910);

        // Back to live: the newest sample is on the right edge again.
        chart.setFollowLive(true);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(plot->xAxis->range().upper, (t0 + 909'000) / 1000.0);

        // The wheel zooms the time axis only, and also takes over.
        const QCPRange valueBefore = plot->yAxis->range();
        QWheelEvent wheel(from, plot->mapToGlobal(from), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(plot, &wheel);
        QVERIFY(!chart.followLive());
        QVERIFY(plot->xAxis->range().size() < 300.0);
        QVERIFY(plot->yAxis->range().lower >= 0); // y follows the data, never the wheel
        Q_UNUSED(valueBefore);
    }

    void followsTheApplicationPalette()
    {
        QWidget window; // as in the application: the chart is a child widget
        auto &chart = *new TimeSeriesChart(u"Clients"_s, &window);
        chart.addSeries(Metric::ConnectedClients);
        chart.resize(400, 200);
        const QPalette light = QApplication::palette();
        const auto background = [&] {
            chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
            return chart.grab().toImage().pixel(chart.plot()->axisRect()->rect().center()) &
                   0xffffff;
        };
        QCOMPARE(background(), light.color(QPalette::Base).rgb() & 0xffffff);
        // The palette change reaches the widgets through the event loop: wait for it.
        QApplication::setPalette(darkPalette()); // e.g. the desktop switched to a dark theme
        QTRY_COMPARE(background(), 0x1e1e1eu);
        QApplication::setPalette(light);
        QTRY_COMPARE(background(), light.color(QPalette::Base).rgb() & 0xffffff);
    }

    void noLimitNoLegendEntry()
    {
        MetricHistory history;
        PollSnapshot s = poll(0);
        s.info.fields[u"maxmemory"_s] = u"0"_s; // Redis' default: no limit
        history.append(s);
        TimeSeriesChart chart(u"Memory"_s);
        chart.addSeries(Metric::UsedMemory);
        chart.addLimitSeries(Metric::MaxMemory, u"maxmemory"_s);
        chart.setHistory(&history);
        QCustomPlot *plot = chart.plot();
        QCOMPARE(plot->legend->itemCount(), 1);
        QVERIFY(std::isnan(plot->graph(1)->data()->constBegin()->value));

        s = poll(1);
        history.append(s); // maxmemory 512 MiB from now on
        chart.refresh();
        QCOMPARE(plot->legend->itemCount(), 2);
    }

    void rebuildsWhenTheHistoryWrapsOrIsReplaced()
    {
        MetricHistory history(100);
        TimeSeriesChart chart(u"Clients"_s);
        chart.addSeries(Metric::ConnectedClients);
        chart.setHistory(&history);
        QCustomPlot *plot = chart.plot();
        for (int i = 0; i < 150; ++i) { // steady state of a full ring: one in, one out
            history.append(poll(i));
            chart.refresh();
        }
        QCOMPARE(plot->graph(0)->dataCount(), 100);
        QCOMPARE(plot->graph(0)->data()->constBegin()->key, (t0 + 50'000) / 1000.0);

        for (int i = 150; i < 400; ++i) // more than the capacity between two refreshes
            history.append(poll(i));
        chart.refresh();
        QCOMPARE(plot->graph(0)->dataCount(), 100);
        QCOMPARE(plot->graph(0)->data()->constBegin()->key, (t0 + 300'000) / 1000.0);

        history.clear(); // reconnected to another server
        for (int i = 0; i < 20; ++i)
            history.append(poll(i, t0 + 3'600'000));
        chart.refresh();
        QCOMPARE(plot->graph(0)->dataCount(), 20);
        QCOMPARE(plot->xAxis->range().upper, (t0 + 3'600'000 + 19'000) / 1000.0);
    }

    void exports()
    {
        MetricHistory history;
        fill(history, 400, 390, 395);
        TimeSeriesChart chart(u"Memory"_s);
        chart.setValueFormat(TimeSeriesChart::ValueFormat::Bytes);
        chart.addSeries(Metric::UsedMemory);
        chart.addLimitSeries(Metric::MaxMemory, u"maxmemory"_s);
        chart.resize(640, 280);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setHistory(&history);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        const QString png = dir.filePath(u"chart.png"_s);
        QVERIFY(chart.exportPng(png));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), chart.plot()->size());
        QCOMPARE(chart.plot()->size(), QSize(640, 280));

        // The visible 5 minutes: rows 99..399 (both edges included).
        const QString csvPath = dir.filePath(u"chart.csv"_s);
        QVERIFY(chart.exportCsv(csvPath));
        QFile file(csvPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("time,usedMemory,maxMemory"));
        QCOMPARE(lines.size(), 1 + 301 + 1); // header, rows, empty after the last "\n"
        QVERIFY(lines.at(1).startsWith("2024-03-12T10:01:39.000Z,"));
        QCOMPARE(lines.at(390 - 99 + 1).split(',').value(1), QByteArray()); // row 390: a gap
        QVERIFY(lines.at(301).startsWith("2024-03-12T10:06:39.000Z,"));
        QCOMPARE(lines.at(301).split(',').value(2), QByteArray("536870912"));

        TimeSeriesChart empty(u"Nothing"_s);
        QVERIFY(!empty.exportCsv(dir.filePath(u"none.csv"_s))); // no history
    }
};

QTEST_MAIN(TstTimeSeriesChart)
#include "tst_timeserieschart.moc"
