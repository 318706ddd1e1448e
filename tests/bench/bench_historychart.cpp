// Opening a 30-day chart (issue 15): the time from choosing "Last 30 days" on a server's
// dashboard to every chart drawn with the history read from disk. Goal: at most 150 ms, and the
// GUI thread free while the database is read (it is read on the HistoryReader's thread).
//
//   bench_historychart [--days 30] [--runs 15] [--path FILE]
//
// An existing --path is read as it is (writing 30 days takes about a minute here).
// A synthetic history of every server metric (one sample every 10 s, as a recorder at full speed
// would write it; the 1 min tier a 30-day chart reads is the same whatever the poll interval) is
// written first, then a dashboard (8 charts, 13 series; its session never connects) is switched
// between "Last 5 minutes" and "Last 30 days". Each run reports the wall time to the last chart's
// reply (read + decode on the reader thread, the points put into the graphs on the GUI thread) and
// to the last chart's replot, and the GUI thread's CPU time over the whole open. The first run
// reads a cold SQLite cache; medians are quoted. Runs offscreen unless QT_QPA_PLATFORM says
// otherwise.
#include "benchkit.h"
#include "synthetichistory.h"

#include "dashboardpage.h"
#include "timeserieschart.h"

#include "session/serversession.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <time.h>

using namespace qs;

namespace {

constexpr qint64 kDayMs = 86'400'000;

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

// Runs the event loop until `done` (checked whenever `wake` is called and every 50 ms) or the
// deadline; false on the deadline. It waits in the event loop, so the GUI thread's CPU time
// counts work, not polling.
template <typename Done> bool runUntil(Done done, int timeoutMs, std::function<void()> *wake)
{
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    check.start(50);
    QTimer::singleShot(timeoutMs, &loop, [&loop] { loop.exit(1); });
    *wake = [&] {
        if (done())
            loop.quit();
    };
    const bool finished = done() || loop.exec() == 0;
    *wake = [] {};
    return finished;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int days = bench::intOption(args, QStringLiteral("--days"), 30);
    const int runs = bench::intOption(args, QStringLiteral("--runs"), 15);
    QTemporaryDir dir;
    const QString path = bench::stringOption(args, QStringLiteral("--path"),
                                             dir.filePath(QStringLiteral("history.sqlite")));

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer writing;
    writing.start();
    QString error;
    const bool reuse = QFileInfo::exists(path);
    if (!reuse && !test::writeSyntheticHistory(path, now - days * kDayMs, now, 10'000, {}, &error))
        qFatal("cannot write %s: %s", qPrintable(path), qPrintable(error));
    if (reuse)
        std::printf("history: %s as it is, %.1f MB\n", qPrintable(path),
                    double(QFileInfo(path).size()) / 1e6);
    else
        std::printf("history: %d days of %d server metrics every 10 s written in %.1f s, %.1f MB "
                    "(%s)\n",
                    days, monitor::metricCount, double(writing.elapsed()) / 1000,
                    double(QFileInfo(path).size()) / 1e6, qPrintable(path));

    core::ConnectionProfile profile;
    profile.name = QStringLiteral("bench");
    session::SessionOptions options = session::SessionOptions::window(profile);
    options.historyPath = path; // the window's recorder holds the write lock, as in the app
    session::ServerSession session(profile, options); // never opened: no Redis, no polls
    widgets::DashboardPage page(&session);
    page.resize(1280, 800);
    page.show();
    QComboBox *window = page.windowChoice();
    const int shortRange = window->findData(300);
    const int longRange = window->findData(days * 86'400);
    if (longRange < 0)
        qFatal("no %d-day choice on the dashboard", days);

    const QList<widgets::TimeSeriesChart *> charts = page.charts();
    QList<qint64> storedAt(charts.size(), -1), drawnAt(charts.size(), -1);
    QElapsedTimer clock;
    bool measuring = false;
    std::function<void()> wake = [] {};
    for (qsizetype i = 0; i < charts.size(); ++i) {
        QObject::connect(charts.at(i), &widgets::TimeSeriesChart::storedRangeShown, &page, [&, i] {
            if (measuring && storedAt[i] < 0)
                storedAt[i] = clock.nsecsElapsed();
        });
        QObject::connect(charts.at(i)->plot(), &QCustomPlot::afterReplot, &page, [&, i] {
            if (measuring && storedAt[i] >= 0 && drawnAt[i] < 0) {
                drawnAt[i] = clock.nsecsElapsed();
                wake();
            }
        });
    }
    runUntil([] { return false; }, 500, &wake); // first paint, the 5-minute read

    QList<double> read, drawn, cpu;
    qsizetype points = 0;
    for (int run = 0; run < runs; ++run) {
        window->setCurrentIndex(shortRange);
        runUntil([] { return false; }, 300, &wake);
        std::fill(storedAt.begin(), storedAt.end(), -1);
        std::fill(drawnAt.begin(), drawnAt.end(), -1);
        measuring = true;
        const double cpuStart = threadCpuMs();
        clock.start();
        window->setCurrentIndex(longRange); // "the click"
        const bool done = runUntil(
            [&] {
                return std::none_of(drawnAt.begin(), drawnAt.end(), [](qint64 t) { return t < 0; });
            },
            10'000, &wake);
        const double cpuMs = threadCpuMs() - cpuStart;
        measuring = false;
        if (!done)
            qFatal("run %d: not every chart was drawn within 10 s", run);
        read.append(double(*std::max_element(storedAt.begin(), storedAt.end())) / 1e6);
        drawn.append(double(*std::max_element(drawnAt.begin(), drawnAt.end())) / 1e6);
        cpu.append(cpuMs);
        points = charts.first()->plot()->graph(0)->dataCount();
        std::printf("run %2d: replies %6.1f ms, drawn %6.1f ms, GUI thread CPU %6.1f ms\n", run,
                    read.last(), drawn.last(), cpu.last());
    }
    std::printf("points per series: %lld (step %lld s)\n", static_cast<long long>(points),
                static_cast<long long>(charts.first()->storedStepMs() / 1000));
    std::printf("first run (cold cache): drawn %.1f ms\n", drawn.first());
    std::printf("median of %d: every reply %.1f ms, every chart drawn %.1f ms (max %.1f), GUI "
                "thread CPU %.1f ms\n",
                runs, median(read), median(drawn), *std::max_element(drawn.begin(), drawn.end()),
                median(cpu));
    return 0;
}
