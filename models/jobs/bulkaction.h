#pragma once

#include "actionsummary.h"
#include "queues/actionscript.h"
#include "queues/actionsupport.h"
#include "queues/itemfeed.h"

#include "redis/connectionstatus.h"

#include "core/limits.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace qs::redis {
class RedisConnection;
}

namespace qs::jobs {

// Runs one action as a sequence of bounded, atomic script calls on one connection: at most
// `batchSize` jobs a call, progress after every call, cancel between calls. A call whose reply
// is lost (connection dropped, timeout) is sent again once the connection is back: the scripts
// check ownership first, so a repeat can neither duplicate nor lose a job.
class BulkAction final : public QObject
{
    Q_OBJECT
public:
    BulkAction(redis::RedisConnection *connection, ActionRequest request,
               QObject *parent = nullptr);
    ~BulkAction() override;

    void setBatchSize(int jobs) { m_batchSize = qMax(1, jobs); }
    // How long to keep re-sending while the server is unreachable before giving up.
    void setOutageBudgetMs(int ms) { m_outageBudgetMs = ms; }
    void start();
    void cancel(); // stops after the call in flight
    bool isRunning() const { return m_running; }
    const ActionSummary &summary() const { return m_summary; }

    // Empty when the request is one the framework supports, else why not (for refusals).
    static QString validate(const ActionRequest &request);

Q_SIGNALS:
    void progress(const qs::jobs::ActionProgress &progress);
    void finished(const qs::jobs::ActionSummary &summary);

private:
    void nextBatch();
    void send(const FeedBatch &batch, bool withSource);
    void onReply(const FeedBatch &batch, const redis::PipelineResult &result, bool withSource);
    void retryLater(const FeedBatch &batch, const redis::RedisError &error);
    void finish(const QString &error = {},
                redis::RedisError::Kind kind = redis::RedisError::Kind::Server);
    void record(const ScriptOutcome &outcome);
    std::unique_ptr<ItemFeed> makeFeed() const;
    ScriptParams paramsFor(const FeedBatch &batch) const;

    redis::RedisConnection *m_connection = nullptr;
    ActionRequest m_request;
    ActionSupport m_support;
    std::optional<ActionScript> m_script;
    std::unique_ptr<ItemFeed> m_feed;
    ActionSummary m_summary;
    QElapsedTimer m_clock;
    QElapsedTimer m_outage; // running while calls fail for transport reasons
    qint64 m_nowMs = 0;     // fixed at start: "older than" is relative to when the operator asked
    int m_batchSize = core::limits::defaultBatchSize;
    int m_outageBudgetMs = core::limits::actionOutageBudgetMs;
    int m_idleCalls = 0; // consecutive calls that did nothing but asked for more
    bool m_running = false;
    bool m_cancelled = false;
};

} // namespace qs::jobs
