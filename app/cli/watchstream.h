#pragma once

#include "pollgaps.h"

#include "monitor/metrichistory.h"

#include <QElapsedTimer>
#include <QTimer>

namespace qs::cli {

class HeadlessServer;

// `watch` after the first connection: one JSON line per poll, until `limit` lines (or forever).
// The server's session (SessionOptions::watch, with the same interval) reconnects by itself with
// the window's backoff (250 ms doubling to 5 s), polls at once and discovers the queues again on
// every reconnect; an outage prints one gap line when it starts and one when polls resume. A
// watchdog turns a poll that never completes into a gap.
class WatchStream
{
public:
    struct Options
    {
        int limit = -1;           // lines to print; -1: until interrupted
        bool exitOnError = false; // stop at the first failed poll (exit code by its kind)
    };

    WatchStream(HeadlessServer &server, Options options);
    int run(); // the exit code

private:
    void onPolled(const monitor::PollSnapshot &snapshot);
    void print(const QJsonObject &line);
    void armWatchdog();

    HeadlessServer &m_server;
    Options m_options;
    PollGaps m_gaps;
    monitor::MetricHistory m_history{3600};
    QTimer m_watchdog;
    int m_printed = 0;
    int m_exitCode = 0;
    bool m_done = false;
};

} // namespace qs::cli
