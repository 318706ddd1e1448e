#include "bulkaction.h"

#include "frameworks/registry.h"

#include "redis/clusterslot.h"
#include "redis/redisconnection.h"
#include "redis/replyerrors.h"

#include <QDateTime>
#include <QTimer>

namespace qs::jobs {

namespace {

constexpr int maxReasons = 100;
constexpr int maxIdleCalls = 3;

// Failures after which the same call may succeed once the server is back.
bool isTransient(const redis::RedisError &error)
{
    using Kind = redis::RedisError::Kind;
    return error.kind == Kind::ConnectionLost || error.kind == Kind::CommandTimeout ||
           error.kind == Kind::Loading || error.kind == Kind::Busy ||
           error.kind == Kind::ConnectTimeout || error.kind == Kind::ConnectionRefused;
}

} // namespace

BulkAction::BulkAction(redis::RedisConnection *connection, ActionRequest request, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_request(std::move(request))
    , m_support(frameworks::actionSupport(m_request.queue.framework, m_request.action))
{
    m_summary.request = m_request;
}

BulkAction::~BulkAction() = default;

QString BulkAction::validate(const ActionRequest &request)
{
    const ActionSupport support =
        frameworks::actionSupport(request.queue.framework, request.action);
    const QString framework = queues::frameworkName(request.queue.framework);
    if (!support.supported)
        return QStringLiteral("%1 cannot %2: %3")
            .arg(framework, actionName(request.action), support.reason);
    if (!support.states.isEmpty() && !request.state.isEmpty() && !support.actsOn(request.state)) {
        QStringList names;
        for (const auto &entry : support.states)
            names << entry.first;
        return QStringLiteral("%1 %2 acts on %3, not on '%4'")
            .arg(framework, actionName(request.action), names.join(QStringLiteral(", ")),
                 request.state);
    }
    switch (support.selection) {
    case Selection::Queue:
        if (!request.ids.isEmpty())
            return QStringLiteral("%1 acts on the whole queue; it takes no job ids")
                .arg(actionName(request.action));
        break;
    case Selection::Ids:
        if (request.ids.isEmpty())
            return QStringLiteral("%1 needs the ids of the jobs (one or more)")
                .arg(actionName(request.action));
        break;
    case Selection::IdsOrAll:
        if (request.ids.isEmpty() == !request.all)
            return QStringLiteral("%1 needs either job ids or 'all'")
                .arg(actionName(request.action));
        break;
    case Selection::All:
        if (!request.ids.isEmpty())
            return QStringLiteral("%1 acts on every job of a state (optionally older than a "
                                  "given age); it takes no job ids")
                .arg(actionName(request.action));
        break;
    }
    if (request.olderThanMs < 0)
        return QStringLiteral("the age must not be negative");
    if (request.olderThanMs > 0 && !support.takesAge)
        return QStringLiteral("%1 %2 does not take an age")
            .arg(framework, actionName(request.action));
    return {};
}

void BulkAction::start()
{
    if (m_running)
        return;
    m_running = true;
    m_clock.start();
    m_nowMs = QDateTime::currentMSecsSinceEpoch();
    if (const QString why = validate(m_request); !why.isEmpty()) {
        QTimer::singleShot(0, this, [this, why] { finish(why); });
        return;
    }
    QString why;
    m_script = ActionScript::builtIn(m_support.script, &why);
    m_feed = makeFeed();
    if (!m_script || !m_feed) {
        if (why.isEmpty())
            why = QStringLiteral("no way to prepare the jobs of this action");
        QTimer::singleShot(0, this, [this, why] { finish(why); });
        return;
    }
    QTimer::singleShot(0, this, &BulkAction::nextBatch);
}

void BulkAction::cancel()
{
    m_cancelled = true;
}

std::unique_ptr<ItemFeed> BulkAction::makeFeed() const
{
    switch (m_support.feed) {
    case Feed::Ids:
        if (!m_request.all)
            return std::make_unique<IdChunks>(m_request.ids, m_batchSize);
        return std::make_unique<ScriptLoop>();
    case Feed::None:
    case Feed::Cursor:
        return std::make_unique<ScriptLoop>();
    case Feed::Prepared:
        return frameworks::makePreparedFeed(m_support, m_request, m_batchSize, m_nowMs);
    }
    return {};
}

ScriptParams BulkAction::paramsFor(const FeedBatch &batch) const
{
    ScriptParams params;
    params.mode = batch.mode;
    params.limit = m_batchSize;
    params.nowMs = m_nowMs;
    params.cutoffMs = m_nowMs - m_request.olderThanMs;
    params.reset = m_request.resetAttempts;
    params.delayed = m_request.includeDelayed;
    params.cursor = batch.cursor;
    const QString state = m_request.state.isEmpty() && !m_support.states.isEmpty()
                              ? m_support.states.first().first
                              : m_request.state;
    params.state = m_support.scriptState(state);
    return params;
}

void BulkAction::nextBatch()
{
    if (m_cancelled) {
        finish();
        return;
    }
    m_feed->next(m_connection, this, [this](const FeedBatch &batch) {
        for (const auto &rejected : batch.rejected) {
            m_summary.skipped += 1;
            if (m_summary.skippedReasons.size() < maxReasons)
                m_summary.skippedReasons.append(rejected);
        }
        if (!batch.error.isNone()) {
            m_summary.refused = batch.refused;
            finish(batch.error.message, batch.error.kind);
            return;
        }
        if (batch.finished) {
            finish();
            return;
        }
        if (batch.jobs == 0 && batch.mode == "ids") { // everything of this batch was rejected
            m_feed->accept(batch, {});
            nextBatch();
            return;
        }
        send(batch, false);
    });
}

void BulkAction::send(const FeedBatch &batch, bool withSource)
{
    const redis::RedisCommand command =
        scriptCommand(*m_script, m_request.queue, paramsFor(batch), batch.items, withSource);
    if (m_connection->isCluster() && redis::commandSlot(command) == redis::kCrossSlot) {
        // One script must run on one node: a queue whose keys span slots cannot be changed
        // atomically on a Redis Cluster. Refused before anything is sent.
        const QString prefix = QString::fromUtf8(m_request.queue.prefix);
        finish(QStringLiteral("refused: the keys of queue '%1' lie on several Redis Cluster "
                              "slots (its prefix '%2' has no {hash tag}), so '%3' cannot run "
                              "atomically on one node; nothing was changed. BullMQ documents the "
                              "fix for Redis Cluster: a hash-tagged prefix such as '{%2}', so "
                              "that all keys of a queue share one slot")
                   .arg(m_request.queue.displayName(), prefix, m_script->name),
               redis::RedisError::Kind::Server);
        return;
    }
    m_connection->pipeline({command}, this,
                           [this, batch, withSource](const redis::PipelineResult &result) {
                               onReply(batch, result, withSource);
                           });
}

void BulkAction::onReply(const FeedBatch &batch, const redis::PipelineResult &result,
                         bool withSource)
{
    if (!result.ok()) {
        if (isTransient(result.error) && !m_cancelled) {
            retryLater(batch, result.error);
            return;
        }
        finish(result.error.message, result.error.kind);
        return;
    }
    m_outage.invalidate();
    const redis::RedisReply &reply = result.replies.first();
    if (reply.isError() && reply.errorCode() == "NOSCRIPT" && !withSource) {
        send(batch, true); // EVAL loads it into the script cache for the next EVALSHA
        return;
    }
    if (reply.isError() && (reply.errorCode() == "BUSY" || reply.errorCode() == "LOADING") &&
        !m_cancelled) {
        retryLater(batch, {redis::RedisError::Kind::Busy, QString::fromUtf8(reply.string)});
        return;
    }
    if (reply.isError() && reply.errorCode() == "READONLY") {
        const redis::RedisError error = redis::readOnlyReplicaError(m_script->name);
        finish(error.message, error.kind);
        return;
    }
    const ScriptOutcome outcome = parseOutcome(*m_script, reply);
    if (!outcome.ok()) {
        finish(outcome.error);
        return;
    }
    m_summary.calls += 1;
    m_summary.slowestCallUs = qMax(m_summary.slowestCallUs, result.elapsedUs);
    record(outcome);
    m_feed->accept(batch, outcome);
    Q_EMIT progress({m_summary.done, m_summary.skipped, m_feed->total(), m_summary.calls});
    const bool idle =
        outcome.done == 0 && outcome.skipped == 0 && outcome.more && outcome.cursor == batch.cursor;
    m_idleCalls = idle ? m_idleCalls + 1 : 0;
    if (m_idleCalls >= maxIdleCalls) {
        finish(QStringLiteral("%1 made no progress in %2 calls in a row; stopped")
                   .arg(m_script->name, QString::number(maxIdleCalls)));
        return;
    }
    nextBatch();
}

void BulkAction::retryLater(const FeedBatch &batch, const redis::RedisError &error)
{
    if (!m_outage.isValid())
        m_outage.start();
    if (m_outage.elapsed() > m_outageBudgetMs) {
        finish(QStringLiteral("%1 (gave up after %2 s; what was done so far stays done, and "
                              "running the action again is safe)")
                   .arg(error.message, QString::number(m_outageBudgetMs / 1000)),
               error.kind);
        return;
    }
    m_summary.resentCalls += 1;
    QTimer::singleShot(500, this, [this, batch] {
        if (m_cancelled)
            finish();
        else
            send(batch, false);
    });
}

void BulkAction::record(const ScriptOutcome &outcome)
{
    m_summary.done += outcome.done;
    m_summary.skipped += outcome.skipped;
    m_summary.addDoneAs(outcome.doneAs);
    for (const auto &reason : outcome.skippedReasons) {
        if (m_summary.skippedReasons.size() >= maxReasons)
            break;
        m_summary.skippedReasons.append(reason);
    }
}

void BulkAction::finish(const QString &error, redis::RedisError::Kind kind)
{
    if (!m_running)
        return;
    m_running = false;
    m_summary.error = error;
    m_summary.errorKind = error.isEmpty() ? redis::RedisError::Kind::None : kind;
    m_summary.cancelled = m_cancelled && error.isEmpty();
    m_summary.elapsedMs = m_clock.elapsed();
    Q_EMIT finished(m_summary);
}

} // namespace qs::jobs
