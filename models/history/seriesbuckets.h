#pragma once

#include "history/seriescodec.h"

#include <QHash>
#include <QList>
#include <QString>

namespace qs::history {

// One reading of one series at one moment.
struct Sample
{
    QString series; // "server.used_memory", "queue.bullmq/bull/emails.waiting"
    double value = 0;
    bool fine = false; // also kept at 1 s for a day (server metrics)
    // The value of one whole minute, the one starting here (throughput per minute): kept at the
    // 1-minute tier only, at its own time. 0: a reading at the time it is recorded with.
    qint64 atMs = 0;
};

// A chunk to store: its series, tier, start and values (see seriescodec.h). SeriesBuckets hands
// them over encoded (a few hundred bytes, not 16 per point); a chunk built by hand may give its
// values instead, and the store encodes them.
struct Chunk
{
    QString series;
    int tier = 0;
    qint64 startMs = 0;
    ChunkValues values; // used when `encoded` is empty
    QByteArray encoded; // encodeChunk() of the values
    // A backfill: its values only fill the steps the stored chunk does not hold (what was
    // recorded stays), instead of replacing them.
    bool fillOnly = false;
};

// The chunks of `tier` that hold `points` (step start, value; each at its step), one per chunk
// span, for a backfill: fillOnly as given.
QList<Chunk> chunksOfPoints(const QString &series, int tier,
                            const QList<QPair<qint64, double>> &points, bool fillOnly);

// What a step stores: the mean of its samples, kept to what a chart or a reader can use, so
// that it encodes as small decimal deltas instead of 8 bytes of noise: a mean of whole numbers
// (counts, bytes, clients) to one decimal (exact when nothing changed in the step), any other to
// 4 significant digits (a rate of 2,034 ops/s, a ratio of 1.234, 95.12 %).
double roundedStepValue(double mean, bool wholeSamples);

// Turns samples into chunks at every tier (each step the mean of the samples in it), in memory,
// without I/O: the writer takes what changed since the last time and stores it in one
// transaction. A chunk leaves memory once its span is over and it has been taken. An open chunk
// keeps its finished steps as runs of equal values, so its memory grows with how often the
// series changes, not with the points in it: a queue that barely moves costs a few dozen bytes.
class SeriesBuckets
{
public:
    void append(qint64 timestampMs, const QList<Sample> &samples);
    // Every chunk that changed since the last call: the finished ones (then forgotten) and the
    // current state of the open ones.
    QList<Chunk> takeChanged();
    int openChunks() const { return int(m_open.size()); }
    // Heap bytes the open chunks' steps hold now (for the memory benchmark).
    qsizetype heldBytes() const;

private:
    struct Step
    {
        double sum = 0;
        int count = 0;
        bool whole = true; // every sample a whole number
    };
    struct Run
    {
        double value; // NaN: a gap
        int steps;
    };
    struct Open
    {
        qint64 startMs = 0;
        QList<Run> runs;  // the finished steps, from the chunk's start
        int finished = 0; // steps the runs cover; `current` is the step after them
        Step current;
        bool changed = false;
    };
    using Key = QPair<QString, int>; // series, tier

    void add(const QString &series, int tier, qint64 timestampMs, double value);
    static void finishCurrent(Open &open);
    static void appendRun(Open &open, double value, int steps);
    static Chunk toChunk(const Key &key, const Open &open);

    QHash<Key, Open> m_open;
    QList<Chunk> m_finished;
};

} // namespace qs::history
