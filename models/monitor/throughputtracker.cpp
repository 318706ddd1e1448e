#include "monitor/throughputtracker.h"

#include "frameworks/registry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>

namespace qs::monitor {

namespace {

constexpr qint64 kMinuteMs = 60'000;

QString tr(const char *text)
{
    return QCoreApplication::translate("qs::monitor::ThroughputTracker", text);
}

QString minuteText(qint64 startMs)
{
    return QDateTime::fromMSecsSinceEpoch(startMs, QTimeZone::utc())
        .toString(QStringLiteral("HH:mm 'UTC'"));
}

QString queueOwner(const QString &queueId)
{
    return QStringLiteral("queue.") + queueId;
}

QString estimatedNote(qint64 minuteStartMs, bool shrank, bool capped)
{
    QString note = tr("Estimated from the change of the completed and failed counts in the "
                      "minute from %1.")
                       .arg(minuteText(minuteStartMs));
    if (shrank)
        note += QLatin1Char(' ') + tr("The set shrank within that minute (removeOnComplete, "
                                      "removeOnFail or a TTL removed jobs): the number is "
                                      "too low.");
    if (capped)
        note += QLatin1Char(' ') + tr("The completed set stays at its size while jobs "
                                      "finish: it is trimmed at a cap, so its changes read "
                                      "0.");
    return note;
}

// The sum of a queue's native states that mean `unified` (BullMQ completed, RQ finished);
// nullopt when the framework has none or one of them was not read.
std::optional<qint64> unifiedCount(const queues::QueueCounts &counts, queues::UnifiedState unified)
{
    static QHash<int, QList<QPair<QString, queues::UnifiedState>>> statesOf;
    auto found = statesOf.constFind(int(counts.queue.framework));
    if (found == statesOf.constEnd()) {
        const auto adapter = frameworks::makeAdapter(counts.queue);
        found = statesOf.insert(int(counts.queue.framework),
                                adapter ? adapter->states()
                                        : QList<QPair<QString, queues::UnifiedState>>{});
    }
    std::optional<qint64> sum;
    for (const auto &[state, meaning] : *found) {
        if (meaning != unified)
            continue;
        const std::optional<qint64> n = counts.count(state);
        if (!n)
            return std::nullopt;
        sum = sum.value_or(0) + *n;
    }
    return sum;
}

} // namespace

QString throughputSourceName(ThroughputSource source)
{
    switch (source) {
    case ThroughputSource::Exact:
        return QStringLiteral("exact");
    case ThroughputSource::Estimated:
        return QStringLiteral("estimated");
    case ThroughputSource::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString ThroughputTracker::completedSeries(const QString &owner)
{
    return owner + QStringLiteral(".completedPerMin");
}

QString ThroughputTracker::failedSeries(const QString &owner)
{
    return owner + QStringLiteral(".failedPerMin");
}

QString ThroughputTracker::exactSeries(const QString &owner)
{
    return owner + QStringLiteral(".throughputExact");
}

void ThroughputTracker::update(const PollSnapshot &snapshot)
{
    if (!snapshot.ok())
        return;
    if (m_queueTracks.capacity() < snapshot.queues.size())
        m_queueTracks.reserve(snapshot.queues.size()); // the room of the queues, not a doubling
    for (const queues::QueueCounts &counts : snapshot.queues)
        trackQueue(counts, snapshot.timestampMs);
    for (const queues::ServerCounts &server : snapshot.queueServers)
        trackInstallation(server, snapshot.timestampMs);
}

QueueThroughput ThroughputTracker::queue(const queues::QueueRef &queue) const
{
    return this->queue(queue.id());
}

QueueThroughput ThroughputTracker::queue(const QString &queueId) const
{
    const auto found = m_queueIndex.constFind(queueId);
    return found != m_queueIndex.cend() ? m_queueTracks.at(*found).now : QueueThroughput{};
}

ThroughputTracker::Track &ThroughputTracker::queueTrack(const QString &queueId)
{
    auto found = m_queueIndex.constFind(queueId);
    if (found == m_queueIndex.cend()) {
        found = m_queueIndex.insert(queueId, m_queueTracks.size());
        m_queueTracks.append(Track{});
    }
    return m_queueTracks[*found];
}

QueueThroughput ThroughputTracker::installation(queues::Framework framework,
                                                const QByteArray &prefix) const
{
    // Not value(): that copies the whole track (its minute counters) to read one member of it.
    const auto found = m_installations.constFind(queues::QueueRef{framework, prefix, {}}.id());
    return found != m_installations.cend() ? found->now : QueueThroughput{};
}

QList<history::Sample> ThroughputTracker::current() const
{
    QList<history::Sample> samples;
    auto add = [&samples](const QString &owner, const QueueThroughput &now) {
        // A lower bound (the finished set was trimmed, or sat at its cap, within the minute) is
        // not given to the rules: its 0 would say "throughput stopped" while jobs flow.
        if (now.atLeast)
            return;
        if (now.completedPerMin)
            samples.append({completedSeries(owner), *now.completedPerMin});
        if (now.failedPerMin)
            samples.append({failedSeries(owner), *now.failedPerMin});
    };
    for (auto it = m_queueIndex.cbegin(); it != m_queueIndex.cend(); ++it)
        add(QStringLiteral("queue.") + it.key(), m_queueTracks.at(*it).now);
    for (auto it = m_installations.cbegin(); it != m_installations.cend(); ++it)
        add(QStringLiteral("framework.") + it.key(), it->now);
    return samples;
}

void ThroughputTracker::addMinute(const QString &owner, qint64 startMs,
                                  std::optional<qint64> completed, std::optional<qint64> failed,
                                  bool exact)
{
    history::Sample sample;
    sample.atMs = startMs;
    if (completed) {
        sample.series = completedSeries(owner);
        sample.value = double(*completed);
        m_minutes.append(sample);
    }
    if (failed) {
        sample.series = failedSeries(owner);
        sample.value = double(*failed);
        m_minutes.append(sample);
    }
    if (completed || failed) {
        sample.series = exactSeries(owner);
        sample.value = exact ? 1 : 0;
        m_minutes.append(sample);
    }
}

QString ThroughputTracker::noteFor(ThroughputSource source, qint64 minuteStartMs, int flags)
{
    Note &last = m_lastNotes.at(source == ThroughputSource::Exact ? 0 : 1);
    if (last.text.isEmpty() || last.minuteStartMs != minuteStartMs || last.flags != flags) {
        last = {minuteStartMs, flags,
                source == ThroughputSource::Exact
                    ? tr("Exact: the framework's own metrics, the minute from %1.")
                          .arg(minuteText(minuteStartMs))
                    : estimatedNote(minuteStartMs, flags & 1, flags & 2)};
    }
    return last.text;
}

const QString &ThroughputTracker::fixedNote(FixedNote which)
{
    QString &note = m_fixedNotes.at(std::size_t(which));
    if (!note.isEmpty())
        return note;
    switch (which) {
    case FixedNote::AtLeastLastMinute:
        note = tr("Estimated: at least, every job of the finished set finished within the last "
                  "minute, so older ones may have been removed (removeOnComplete / "
                  "removeOnFail).");
        break;
    case FixedNote::LastMinute:
        note = tr("Estimated: the jobs of the finished sets that finished within the last "
                  "minute.");
        break;
    case FixedNote::MeasuringQueue:
        note = tr("Measuring: an estimate needs the counts of a whole minute.");
        break;
    case FixedNote::MeasuringInstallation:
        note = tr("Measuring: the counters need readings across a whole minute.");
        break;
    }
    return note;
}

void ThroughputTracker::trackQueue(const queues::QueueCounts &counts, qint64 atMs)
{
    const QString id = counts.queueId();
    Track &track = queueTrack(id);
    const queues::QueueDetails *details = counts.details.get();

    // Exact: the framework's own per-minute counts (BullMQ/Bull metrics). A worker with metrics
    // creates the failed hash at its first failure only: until then no job failed.
    const std::optional<queues::MinuteCount> completed =
        details ? details->completed.lastWholeMinute : std::nullopt;
    const std::optional<queues::MinuteCount> failed =
        details ? details->failed.lastWholeMinute : std::nullopt;
    if (completed || failed) {
        const qint64 start = qMax(completed ? completed->startMs : failed->startMs,
                                  failed ? failed->startMs : completed->startMs);
        auto of = [start](const std::optional<queues::MinuteCount> &minute) {
            if (!minute)
                return std::optional<qint64>(0);
            return minute->startMs == start ? std::optional(minute->count) : std::nullopt;
        };
        track.now = {ThroughputSource::Exact,
                     start,
                     of(completed) ? std::optional<double>(double(*of(completed))) : std::nullopt,
                     of(failed) ? std::optional<double>(double(*of(failed))) : std::nullopt,
                     false,
                     noteFor(ThroughputSource::Exact, start, 0)};
        if (start > track.lastExactStartMs) {
            addMinute(queueOwner(id), start, of(completed), of(failed), true);
            track.lastExactStartMs = start;
        }
        return;
    }

    // Estimated: what the completed and failed counts gained within each whole minute.
    std::optional<MinuteCounter::Minute> completedMinute, failedMinute;
    if (const std::optional<qint64> n = unifiedCount(counts, queues::UnifiedState::Completed))
        completedMinute = track.completed.add(atMs, *n);
    if (const std::optional<qint64> n = unifiedCount(counts, queues::UnifiedState::Failed))
        failedMinute = track.failed.add(atMs, *n);
    if (completedMinute || failedMinute) {
        track.lastCompleted = completedMinute;
        track.lastFailed = failedMinute;
        const qint64 start = completedMinute ? completedMinute->startMs : failedMinute->startMs;
        addMinute(queueOwner(id), start,
                  completedMinute ? std::optional(completedMinute->count) : std::nullopt,
                  failedMinute ? std::optional(failedMinute->count) : std::nullopt, false);
    }
    const auto &last = track.lastCompleted ? track.lastCompleted : track.lastFailed;
    if (last && atMs - last->startMs < 3 * kMinuteMs) {
        const bool shrank = (track.lastCompleted && track.lastCompleted->wentDown) ||
                            (track.lastFailed && track.lastFailed->wentDown);
        // A set kept at a cap (removeOnComplete: N) does not grow while jobs finish.
        const bool capped = details && track.lastCompleted && track.lastCompleted->count == 0 &&
                            details->completed.lastMinute.value_or(0) > 0;
        const QString note =
            noteFor(ThroughputSource::Estimated, last->startMs, int(shrank) | int(capped) << 1);
        track.now = {
            ThroughputSource::Estimated,
            last->startMs,
            track.lastCompleted ? std::optional<double>(track.lastCompleted->count) : std::nullopt,
            track.lastFailed ? std::optional<double>(track.lastFailed->count) : std::nullopt,
            shrank || capped,
            note};
        return;
    }
    // Before a whole minute was seen: the jobs of the finished sets with a finish time within
    // the minute before the read, where the framework has them.
    if (details && (details->completed.lastMinute || details->failed.lastMinute)) {
        auto value = [](const std::optional<qint64> &n) {
            return n ? std::optional<double>(double(*n)) : std::nullopt;
        };
        const bool atLeast = details->completed.atLeast || details->failed.atLeast;
        track.now = {ThroughputSource::Estimated,
                     std::nullopt,
                     value(details->completed.lastMinute),
                     value(details->failed.lastMinute),
                     atLeast,
                     fixedNote(atLeast ? FixedNote::AtLeastLastMinute : FixedNote::LastMinute)};
        return;
    }
    QString why = details ? details->completed.unknownWhy : QString();
    if (why.isEmpty())
        why = fixedNote(FixedNote::MeasuringQueue);
    track.now = {ThroughputSource::Unknown, std::nullopt, std::nullopt, std::nullopt, false, why};
}

void ThroughputTracker::trackInstallation(const queues::ServerCounts &server, qint64 atMs)
{
    if (!server.completed.total && !server.failed.total)
        return;
    const QString id = queues::QueueRef{server.framework, server.prefix, {}}.id();
    Track &track = m_installations[id];
    std::optional<MinuteCounter::Minute> completed, failed;
    if (server.completed.total)
        completed = track.completed.add(atMs, *server.completed.total);
    if (server.failed.total)
        failed = track.failed.add(atMs, *server.failed.total);
    // A counter that went down was reset (FLUSHDB, Sidekiq's Stats#reset): that minute is lost.
    if (completed && completed->wentDown)
        completed.reset();
    if (failed && failed->wentDown)
        failed.reset();
    // Sidekiq's processed counts the failed jobs too.
    if (completed && server.completed.includesFailed)
        completed =
            failed
                ? std::optional(MinuteCounter::Minute{
                      completed->startMs, qMax<qint64>(0, completed->count - failed->count), false})
                : std::nullopt;
    if (completed || failed) {
        const qint64 start = completed ? completed->startMs : failed->startMs;
        track.lastCompleted = completed;
        track.lastFailed = failed;
        addMinute(QStringLiteral("framework.") + id, start,
                  completed ? std::optional(completed->count) : std::nullopt,
                  failed ? std::optional(failed->count) : std::nullopt, true);
        auto value = [](const std::optional<MinuteCounter::Minute> &minute) {
            return minute ? std::optional<double>(double(minute->count)) : std::nullopt;
        };
        track.now = {ThroughputSource::Exact,
                     start,
                     value(completed),
                     value(failed),
                     false,
                     tr("Exact: the framework's own counters of all its queues together, the "
                        "minute from %1.")
                         .arg(minuteText(start))};
    } else if (track.now.source == ThroughputSource::Unknown) {
        track.now.note = fixedNote(FixedNote::MeasuringInstallation);
    }
}

} // namespace qs::monitor
