#include "jobtablemodel.h"

#include <QDateTime>
#include <QTimeZone>

namespace qs::monitor {

namespace {

using jobs::JobSummary;
using Spec = core::ColumnSpec<JobSummary>;
using J = const JobSummary &;

// Today's times without the date, so that three time columns and the failed reason fit next
// to the detail pane; the full time is in the cell's tooltip.
QString localTime(qint64 ms)
{
    if (ms < 0)
        return {};
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    return time.toString(time.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss")
                                                             : QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString fullTime(qint64 ms)
{
    return ms < 0 ? QString()
                  : QDateTime::fromMSecsSinceEpoch(ms).toString(
                        QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString number(qint64 value)
{
    return value < 0 ? QString() : QString::number(value);
}

// A time column: the local time, sorted by the instant, the full time in the tooltip.
Spec timeColumn(const QString &header, qint64 JobSummary::*ms)
{
    return {.header = header,
            .display = [ms](J job) { return localTime(job.*ms); },
            .sortKey = [ms](J job) { return job.*ms; },
            .toolTip = [ms](J job) { return fullTime(job.*ms); }};
}

// A text column sorts by what it shows.
Spec textColumn(const QString &header, QVariant (*text)(J))
{
    return {.header = header, .display = text, .sortKey = [text](J job) {
                return core::displayValue(text(job));
            }};
}

// The first line of the failed reason; the tooltip has the whole of it (within reason).
Spec reasonColumn()
{
    Spec spec = textColumn(JobTableModel::tr("Failed reason"), [](J job) -> QVariant {
        return job.failedReason.section(QLatin1Char('\n'), 0, 0).left(300);
    });
    spec.toolTip = [](J job) {
        return core::displayText(job.failedReason.left(2000), core::DisplayMode::Block);
    };
    return spec;
}

} // namespace

QList<core::ColumnSpec<jobs::JobSummary>> JobTableModel::columns()
{
    return {
        {.header = tr("Id"),
         .display = [](J job) { return core::displayBytes(job.id, core::DisplayMode::Identifier); },
         .sortKey =
             [](J job) {
                 bool numeric = false;
                 const qlonglong id = job.id.toLongLong(&numeric);
                 return numeric ? QVariant(id) : QVariant(QString::fromUtf8(job.id));
             }},
        textColumn(tr("Name"),
                   [](J job) -> QVariant { return job.missing ? tr("(data missing)") : job.name; }),
        reasonColumn(),
        timeColumn(tr("Created"), &JobSummary::createdMs),
        timeColumn(tr("Processed"), &JobSummary::processedMs),
        timeColumn(tr("Finished"), &JobSummary::finishedMs),
        timeColumn(tr("Runs at"), &JobSummary::runAtMs),
        {.header = tr("Attempts"),
         .display = [](J job) { return number(job.attempts); },
         .sortKey = [](J job) { return job.attempts; }},
        {.header = tr("Priority"),
         .display = [](J job) { return number(job.priority); },
         .sortKey = [](J job) { return job.priority; }},
        textColumn(tr("Progress"), [](J job) -> QVariant { return job.progress; }),
    };
}

JobTableModel::JobTableModel(QObject *parent)
    : RowTableModel(columns(), parent)
{
}

void JobTableModel::setPage(const jobs::JobPage &page)
{
    const bool samePage = page.queue == m_page.queue && page.state == m_page.state &&
                          page.offset == m_page.offset && page.nextCursor.isEmpty();
    if (!samePage) {
        m_page = page;
        m_page.jobs.clear();
        resetRows(page.jobs);
        return;
    }
    m_page.total = page.total;
    m_page.note = page.note;
    m_page.error = page.error;
    mergeRows(page.jobs, [](J job) { return job.id + '\n' + job.raw; });
}

jobs::JobPage JobTableModel::page() const
{
    jobs::JobPage page = m_page;
    page.jobs = rows();
    return page;
}

} // namespace qs::monitor
