#include "stopsignal.h"

#include <QTimer>

#include <atomic>
#include <csignal>

namespace qs::cli {

namespace {

std::atomic<int> g_stopSignal{0};

void onStopSignal(int signal)
{
    g_stopSignal = signal;
}

} // namespace

void runUntilStopped(QEventLoop &loop, const std::optional<qint64> &durationMs)
{
    g_stopSignal = 0;
    const auto previousInt = std::signal(SIGINT, onStopSignal);
    const auto previousTerm = std::signal(SIGTERM, onStopSignal);
    QTimer stopCheck;
    QObject::connect(&stopCheck, &QTimer::timeout, &loop, [&loop] {
        if (g_stopSignal)
            loop.quit();
    });
    stopCheck.start(100);
    if (durationMs)
        QTimer::singleShot(*durationMs, &loop, &QEventLoop::quit);
    loop.exec();
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
}

} // namespace qs::cli
