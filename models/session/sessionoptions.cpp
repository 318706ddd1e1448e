#include "sessionoptions.h"

#include "history/historyrecorder.h"

namespace qs::session {

SessionOptions SessionOptions::window(const core::ConnectionProfile &profile)
{
    SessionOptions options;
    options.pollClientName = QStringLiteral("queuescope-poller");
    options.intervalMs = profile.pollIntervalMs;
    options.startPollingOnConnect = true;
    options.discovery = Discovery::FirstConnect;
    options.rediscover = true;
    options.keepHistory = true;
    options.workers = true;
    options.historyPath = historyPathFor(profile);
    options.alerts = true;
    return options;
}

SessionOptions SessionOptions::overview()
{
    SessionOptions options;
    options.clientName = QStringLiteral("queuescope-overview");
    // Light: only what a tile shows.
    options.infoSections = {"server", "clients", "memory", "stats", "persistence", "replication"};
    options.intervalMs = overviewIntervalMs;
    options.details = false; // a tile shows counts only: one round trip per poll
    options.startPollingOnConnect = true;
    options.discovery = Discovery::WhileNoQueues;
    options.pollAfterDiscovery = true;
    options.workers = true; // live / seen workers on the tile, on a slow cadence
    options.workersIntervalMs = overviewWorkersIntervalMs;
    return options;
}

SessionOptions SessionOptions::commandLine(bool resume)
{
    SessionOptions options;
    options.clientName = QStringLiteral("queuescope-cli");
    // A first connect that fails is final all the same: the command reports it at once.
    options.reconnect = resume;
    return options;
}

SessionOptions SessionOptions::watch(int intervalMs)
{
    SessionOptions options = commandLine(true);
    options.intervalMs = intervalMs;
    options.discovery = Discovery::EveryReconnect;
    options.rediscover = true;
    options.workers = true; // each queue's live workers, read on their own 5 s cadence
    return options;
}

SessionOptions SessionOptions::record(const core::ConnectionProfile &profile)
{
    SessionOptions options = commandLine(true);
    options.clientName = QStringLiteral("queuescope-recorder");
    options.intervalMs = profile.pollIntervalMs;
    options.startPollingOnConnect = true;
    options.discovery = Discovery::FirstConnect;
    options.rediscover = true;
    options.historyPath = historyPathFor(profile);
    options.alerts = true;
    return options;
}

SessionOptions SessionOptions::exporter(int intervalMs)
{
    SessionOptions options = commandLine(true);
    options.clientName = QStringLiteral("queuescope-exporter");
    options.intervalMs = intervalMs;
    options.startPollingOnConnect = true;
    options.discovery = Discovery::FirstConnect;
    options.rediscover = true;
    options.rediscoverMinMs = exporterRediscoverMinMs;
    options.workers = true;
    options.workersIntervalMs = exporterWorkersIntervalMs;
    options.consumers = false;
    options.ownIoThreads = false;
    options.detailIntervalMs = exporterDetailIntervalMs;
    return options;
}

QString SessionOptions::historyPathFor(const core::ConnectionProfile &profile)
{
    return history::HistoryRecorder::defaultPath(profile.name.isEmpty() ? profile.displayUrl()
                                                                        : profile.name);
}

} // namespace qs::session
