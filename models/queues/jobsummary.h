#pragma once

#include "queues/queueref.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace qs::jobs {

// One row of the job browser: what every framework can say about a job cheaply.
struct JobSummary
{
    QByteArray id; // BullMQ/Bull/RQ job id, Sidekiq jid, Celery task id
    QString name;  // BullMQ name, RQ description, Sidekiq class, Celery task
    QString state; // native state it was listed in
    QString queue; // the job's own queue where a set spans queues (Sidekiq retry/dead)
    qint64 createdMs = -1;
    qint64 processedMs = -1;
    qint64 finishedMs = -1;
    qint64 runAtMs = -1; // delayed/scheduled: when it is due
    qint64 attempts = -1;
    qint64 priority = -1;
    QString progress;
    QString failedReason;
    QByteArray raw;       // the exact stored member/message (Sidekiq, Celery)
    QByteArray handle;    // what an action names this job by when not its id: Sidekiq's exact
                          // member, Celery's delivery tag (reserved)
    bool missing = false; // listed, but its data is gone (dangling id)

    bool operator==(const JobSummary &) const = default;
};

// One page of one state of one queue, newest or next-to-run first (per state).
struct JobPage
{
    queues::QueueRef queue;
    QString state;
    qint64 offset = 0;
    qint64 total = -1; // jobs in the state (-1: unknown, e.g. a SCAN-based state)
    QList<JobSummary> jobs;
    QByteArray nextCursor; // SCAN-based states: where the next page starts ("0" = end)
    QString note;          // e.g. "scores are expiry times: only live entries are listed"
    QString error;
};

// How a block of the detail panel should be shown.
enum class ContentFormat { Json, Text, Binary, Pickle };

struct DetailSection
{
    QString title; // "Data", "Options", "Stack trace (attempt 2)", "Logs", ...
    QByteArray content;
    ContentFormat format = ContentFormat::Text;
    QString note; // "zlib-compressed Python pickle: not decoded (unpickling runs code)"
};

// Everything about one job, as sections the panel shows and the CLI prints.
struct JobDetail
{
    queues::QueueRef queue;
    JobSummary summary;
    QList<QPair<QString, QByteArray>> fields; // the stored fields as they are
    // Fields of which only the start was read (replylimits.h): name → full size on the server.
    QMap<QString, qint64> truncatedFields;
    QList<DetailSection> sections;
    bool found = false;
    QString error;

    QJsonObject toJson() const; // "copy as JSON"
};

} // namespace qs::jobs

Q_DECLARE_METATYPE(qs::jobs::JobPage)
Q_DECLARE_METATYPE(qs::jobs::JobDetail)
