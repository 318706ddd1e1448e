#pragma once

#include "history/seriesbuckets.h"
#include "monitor/minutecounter.h"
#include "monitor/pollsnapshot.h"

#include <QHash>

#include <array>

namespace qs::monitor {

// Where a throughput comes from: the framework's own count (BullMQ/Bull metrics, Sidekiq's
// stat counters), or the change of the completed/failed state counts between polls, which a
// trimmed set (removeOnComplete, RQ's result TTL) makes too low.
enum class ThroughputSource { Unknown, Exact, Estimated };
QString throughputSourceName(ThroughputSource source); // "exact", "estimated", "unknown"

// Jobs completed and failed per minute of one queue (or of a framework installation, for
// Sidekiq's server-wide counters), as of the last poll.
struct QueueThroughput
{
    ThroughputSource source = ThroughputSource::Unknown;
    // The whole minute the numbers are of; nullopt: a sliding minute before the read (BullMQ's
    // finished sets counted by finish time), or nothing known.
    std::optional<qint64> minuteStartMs;
    std::optional<double> completedPerMin;
    std::optional<double> failedPerMin;
    bool atLeast = false; // a lower bound: the finished set was trimmed within the minute
    QString note;         // how it is measured, why it is estimated or unknown

    bool operator==(const QueueThroughput &) const = default;
};

// Follows every queue's throughput across polls (the session keeps one): the live numbers for
// the CLI and the tables, and one point per whole minute for the history (series
// "queue.<id>.completedPerMin", "...failedPerMin" and "...throughputExact", 1 or 0; for a
// framework installation "framework.<installation>.completedPerMin" ...). Exact where the
// framework counts (BullMQ/Bull metrics per queue, Sidekiq stat:processed/failed for all its
// queues together), else estimated from the count deltas, saying when the set was trimmed.
class ThroughputTracker
{
public:
    void update(const PollSnapshot &snapshot);

    QueueThroughput queue(const queues::QueueRef &queue) const;
    QueueThroughput queue(const QString &queueId) const; // the same by QueueRef::id()
    // A framework installation's throughput (framework + prefix): Sidekiq's counters.
    QueueThroughput installation(queues::Framework framework, const QByteArray &prefix) const;

    // The minutes that became whole since the last call, as samples of the 1-minute tier.
    QList<history::Sample> takeMinutes() { return std::exchange(m_minutes, {}); }
    // Every known throughput as of now, one sample per series, for the alert rules (each poll
    // sees "queue.<id>.completedPerMin" then, not only when a minute became whole). Not
    // recorded: the history keeps takeMinutes().
    QList<history::Sample> current() const;

    static QString completedSeries(const QString &owner); // owner: "queue.<id>", "framework.<id>"
    static QString failedSeries(const QString &owner);
    static QString exactSeries(const QString &owner);

private:
    struct Track
    {
        MinuteCounter completed;
        MinuteCounter failed;
        std::optional<MinuteCounter::Minute> lastCompleted; // the last whole minute of each
        std::optional<MinuteCounter::Minute> lastFailed;
        qint64 lastExactStartMs = 0; // the last exact minute recorded
        QueueThroughput now;
    };

    void trackQueue(const queues::QueueCounts &counts, qint64 atMs);
    // The note of an exact (flags 0) or estimated minute (flags: 1 shrank, 2 capped). The queues
    // of a poll finish the same minute: the last note of each kind is kept and shared (one
    // string for all of them, not a date and a translation per queue and poll).
    QString noteFor(ThroughputSource source, qint64 minuteStartMs, int flags);
    void trackInstallation(const queues::ServerCounts &server, qint64 atMs);
    void addMinute(const QString &owner, qint64 startMs, std::optional<qint64> completed,
                   std::optional<qint64> failed, bool exact);

    Track &queueTrack(const QString &queueId); // found, or added
    // Per queue id, its track's place in m_queueTracks: a hash of 10,000 tracks themselves kept
    // about 1.6 times their room in its spans (400 bytes a queue, 240 of them the track).
    QHash<QString, qsizetype> m_queueIndex;
    QList<Track> m_queueTracks;
    QHash<QString, Track> m_installations; // per installation id (a few)
    QList<history::Sample> m_minutes;
    struct Note
    {
        qint64 minuteStartMs = 0;
        int flags = 0;
        QString text;
    };
    std::array<Note, 2> m_lastNotes; // noteFor(): the last exact note, the last estimated one
    // Notes without a minute in them, translated once and shared by every queue that has them
    // (a translation per queue and poll kept 10,000 copies of the same sentence).
    enum class FixedNote { AtLeastLastMinute, LastMinute, MeasuringQueue, MeasuringInstallation };
    const QString &fixedNote(FixedNote which);
    std::array<QString, 4> m_fixedNotes;
};

} // namespace qs::monitor
