#include "monitor/frameworktotals.h"

#include "frameworks/registry.h"

#include "monitor/pollsnapshot.h"
#include "monitor/units.h"

namespace qs::monitor {

namespace {

QString perMinute(const std::optional<double> &rate)
{
    if (!rate)
        return QStringLiteral("…");
    return QString::number(*rate, 'f', *rate < 10 && *rate != qint64(*rate) ? 1 : 0);
}

} // namespace

void FrameworkTotals::update(const PollSnapshot &snapshot)
{
    if (!snapshot.ok())
        return;
    QStringList lines;
    for (const queues::ServerCounts &server : snapshot.queueServers) {
        const QString key = frameworks::label(server.framework) + QLatin1Char(':') +
                            QString::fromUtf8(server.prefix);
        QStringList parts;
        if (server.completed.total) {
            CounterRate &rate = m_completed[key];
            rate.add(snapshot.timestampMs, *server.completed.total);
            parts.append(tr("%1 processed/min").arg(perMinute(rate.perMinute())));
        }
        if (server.failed.total) {
            CounterRate &rate = m_failed[key];
            rate.add(snapshot.timestampMs, *server.failed.total);
            parts.append(tr("%1 failed/min").arg(perMinute(rate.perMinute())));
        }
        for (const auto &[state, count] : server.counts)
            parts.append(QStringLiteral("%1 %2").arg(state, formatCount(count)));
        if (server.workers && !server.count(QStringLiteral("processes")))
            parts.append(tr("%n worker(s)", nullptr, int(*server.workers)));
        if (server.paused)
            parts.append(tr("suspended: no worker takes jobs"));
        if (!server.note.isEmpty())
            parts.append(server.note);
        if (parts.isEmpty())
            continue;
        const queues::FrameworkEntry &framework = frameworks::entry(server.framework);
        QString name = framework.label;
        if (!server.prefix.isEmpty() && !framework.fixedPrefix)
            name += QStringLiteral(" (%1)").arg(QString::fromUtf8(server.prefix));
        lines.append(tr("%1, all queues: %2").arg(name, parts.join(QStringLiteral(" · "))));
    }
    m_lines = lines;
}

} // namespace qs::monitor
