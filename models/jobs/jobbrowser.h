#pragma once

#include "queues/jobsource.h"
#include "queues/jobsummary.h"

#include <QObject>

namespace qs::redis {
class RedisConnection;
}

namespace qs::jobs {

// Loads pages of jobs, one job's detail, and finds a job by id, asynchronously (at most two
// round trips each, bounded: a page never reads a whole set). A newer request of a kind
// supersedes an older one: its late answer is dropped, never shown for the wrong queue.
class JobBrowser final : public QObject
{
    Q_OBJECT
public:
    explicit JobBrowser(redis::RedisConnection *connection, QObject *parent = nullptr);

    void loadPage(const queues::QueueRef &queue, const QString &state, qint64 offset, int limit,
                  const QByteArray &cursor = {});
    void loadDetail(const queues::QueueRef &queue, const JobSummary &job);
    void find(const queues::QueueRef &queue, const QByteArray &id);

Q_SIGNALS:
    void pageLoaded(const qs::jobs::JobPage &page);
    void detailLoaded(const qs::jobs::JobDetail &detail);
    // found = false: no such job in this queue (or the framework cannot look it up by id).
    void located(const QByteArray &id, const qs::jobs::JobSummary &job, bool found,
                 const QString &error);

private:
    redis::RedisConnection *m_connection = nullptr;
    quint64 m_pageGeneration = 0;
    quint64 m_detailGeneration = 0;
    quint64 m_findGeneration = 0;
};

} // namespace qs::jobs
