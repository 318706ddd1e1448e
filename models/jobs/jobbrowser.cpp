#include "jobbrowser.h"

#include "queues/payloadformat.h"

#include "frameworks/registry.h"
#include "redis/redisconnection.h"

#include <QDateTime>

#include <memory>

namespace qs::jobs {

JobBrowser::JobBrowser(redis::RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
}

void JobBrowser::loadPage(const queues::QueueRef &queue, const QString &state, qint64 offset,
                          int limit, const QByteArray &cursor)
{
    const quint64 generation = ++m_pageGeneration;
    std::shared_ptr<const JobSource> source = frameworks::makeJobSource(queue.framework);
    const std::optional<StateStore> store = source->store(queue, state);
    if (!store) {
        JobPage page;
        page.queue = queue;
        page.state = state;
        page.error = QStringLiteral("%1 has no state '%2' to list (states: %3)")
                         .arg(queues::frameworkName(queue.framework), state,
                              source->stateNames(queue).join(QStringLiteral(", ")));
        Q_EMIT pageLoaded(page);
        return;
    }
    const QList<redis::RedisCommand> first =
        source->pageCommands(*store, offset, limit, cursor, QDateTime::currentMSecsSinceEpoch());
    // Pages and details are for reading: a string over the data limit is kept in part and
    // noted, rather than failing the page (actions read through their own, strict requests).
    using redis::LargeStrings;
    m_connection->pipeline(
        first, this,
        [=, this](const redis::PipelineResult &result) {
            if (generation != m_pageGeneration)
                return;
            if (!result.ok()) {
                JobPage page;
                page.queue = queue;
                page.state = state;
                page.error = result.error.message;
                Q_EMIT pageLoaded(page);
                return;
            }
            JobPage page = source->readPage(queue, *store, offset, result.replies);
            const QList<redis::RedisCommand> second = source->summaryCommands(page);
            if (!page.error.isEmpty() || second.isEmpty()) {
                source->readSummaries(page, {});
                Q_EMIT pageLoaded(page);
                return;
            }
            m_connection->pipeline(
                second, this,
                [=, this](const redis::PipelineResult &details) mutable {
                    if (generation != m_pageGeneration)
                        return;
                    if (!details.ok())
                        page.error = details.error.message;
                    else
                        source->readSummaries(page, details.replies);
                    Q_EMIT pageLoaded(page);
                },
                LargeStrings::Truncate);
        },
        LargeStrings::Truncate);
}

void JobBrowser::loadDetail(const queues::QueueRef &queue, const JobSummary &job)
{
    const quint64 generation = ++m_detailGeneration;
    std::shared_ptr<const JobSource> source = frameworks::makeJobSource(queue.framework);
    const QList<redis::RedisCommand> commands = source->detailCommands(queue, job);
    if (commands.isEmpty()) {
        Q_EMIT detailLoaded(source->readDetail(queue, job, {}));
        return;
    }
    m_connection->pipeline(
        commands, this,
        [=, this](const redis::PipelineResult &result) {
            if (generation != m_detailGeneration)
                return;
            if (!result.ok()) {
                JobDetail detail;
                detail.queue = queue;
                detail.summary = job;
                detail.error = result.error.message;
                Q_EMIT detailLoaded(detail);
                return;
            }
            JobDetail detail = source->readDetail(queue, job, result.replies);
            noteTruncation(detail, result.replies);
            Q_EMIT detailLoaded(detail);
        },
        redis::LargeStrings::Truncate);
}

void JobBrowser::find(const queues::QueueRef &queue, const QByteArray &id)
{
    const quint64 generation = ++m_findGeneration;
    std::shared_ptr<const JobSource> source = frameworks::makeJobSource(queue.framework);
    const QList<redis::RedisCommand> commands = source->locateCommands(queue, id);
    if (commands.isEmpty()) {
        Q_EMIT located(
            id, {}, false,
            QStringLiteral("'%1' cannot be looked up by id here").arg(QString::fromUtf8(id)));
        return;
    }
    m_connection->pipeline(commands, this, [=, this](const redis::PipelineResult &result) {
        if (generation != m_findGeneration)
            return;
        if (!result.ok()) {
            Q_EMIT located(id, {}, false, result.error.message);
            return;
        }
        const std::optional<JobSummary> job = source->readLocation(queue, id, result.replies);
        Q_EMIT located(id, job.value_or(JobSummary{}), job.has_value(), {});
    });
}

} // namespace qs::jobs
