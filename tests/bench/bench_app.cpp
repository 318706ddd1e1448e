// The whole window, measured: time from main() to the first paint, resident memory with one
// server and 1 h of 1 s history on the dashboard, and CPU while polling an idle server at 1 s.
//
//   bench_app [--idle-seconds N]     (default 30; runs offscreen unless QT_QPA_PLATFORM is set)

#include "benchkit.h"
#include "connectionwait.h"
#include "redisserver.h"

#include "dashboardpage.h"
#include "mainwindow.h"
#include "serverview.h"

#include "monitor/poller.h"
#include "session/serversession.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>

#include <sys/resource.h>

#include <cstdio>

using namespace qs;

namespace {

QElapsedTimer g_sinceMain;

class FirstPaint : public QObject
{
public:
    qint64 atMs = -1;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && atMs < 0)
            atMs = g_sinceMain.elapsed();
        return QObject::eventFilter(watched, event);
    }
};

qint64 statusKb(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// An hour of plausible polls derived from one real INFO reply: counters rise, memory wobbles.
void replayHour(session::ServerSession *session, const redis::InfoSnapshot &real)
{
    const qint64 end = QDateTime::currentMSecsSinceEpoch();
    qint64 commands = real.integerOr(QStringLiteral("total_commands_processed"), 0);
    for (int i = 0; i < 3600; ++i) {
        monitor::PollSnapshot poll;
        poll.timestampMs = end - (3600 - i) * 1000LL;
        poll.info = real;
        commands += 800 + (i * 37) % 400;
        poll.info.fields.insert(QStringLiteral("total_commands_processed"),
                                QString::number(commands));
        poll.info.fields.insert(QStringLiteral("used_memory"),
                                QString::number(50'000'000 + (i % 600) * 20'000));
        poll.cost = {1, 1, 121, 4800, 0.4};
        session->applyPoll(poll);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    g_sinceMain.start();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const int idleSeconds = bench::intOption(app.arguments(), QStringLiteral("--idle-seconds"), 30);

    widgets::MainWindow window;
    FirstPaint firstPaint;
    window.installEventFilter(&firstPaint);
    window.show();
    while (firstPaint.atMs < 0 && g_sinceMain.elapsed() < 10'000)
        app.processEvents(QEventLoop::AllEvents, 10);
    const qint64 rssEmptyKb = statusKb("VmRSS:");

    test::RedisServer server;
    bench::startOrDie(server);
    widgets::ServerView *view = window.openServer(server.profile());
    session::ServerSession *session = view->session();
    if (!QTest::qWaitFor([&] { return session->history().size() >= 1; }, 15'000))
        qFatal("no poll arrived");
    session->poller()->stop();
    QElapsedTimer replay;
    replay.start();
    replayHour(session, session->latest().info);
    QTest::qWait(500); // queued replots
    const double replayMs = replay.elapsed();
    const qint64 rssHourKb = statusKb("VmRSS:");

    session->poller()->setIntervalMs(1000);
    session->poller()->start();
    QTest::qWait(2'000); // settle
    const double cpuBefore = cpuSeconds();
    QElapsedTimer idle;
    idle.start();
    QTest::qWait(idleSeconds * 1000);
    const double cpuPercent = (cpuSeconds() - cpuBefore) / (idle.elapsed() / 1000.0) * 100.0;

    std::printf("time to first paint of the main window:      %6lld ms   (goal < 300 ms)\n",
                static_cast<long long>(firstPaint.atMs));
    std::printf("RSS, empty window:                            %6.1f MB\n", rssEmptyKb / 1024.0);
    std::printf("RSS, one server, 1 h of 1 s history charted:  %6.1f MB   (goal <= 80 MB)\n",
                rssHourKb / 1024.0);
    std::printf("peak RSS (VmHWM):                             %6.1f MB\n",
                statusKb("VmHWM:") / 1024.0);
    std::printf("replaying 3,600 polls into history + charts:  %6.0f ms\n", replayMs);
    std::printf(
        "CPU polling an idle server at 1 s, %d s:      %6.2f %% of one core (goal < 2 %%)\n",
        idleSeconds, cpuPercent);
    return 0;
}
