#pragma once

#include "history/historystore.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <memory>

namespace qs::history {

// A range of a chart's lines read from disk. A line is one series, or the sum of several (a
// queue's "waiting" is the sum of the framework's states that mean waiting). Each line's points
// hold a NaN where nothing was recorded for longer than a few steps (see breakAtGaps), so a plot
// breaks its line there.
struct RangeReply
{
    quintptr client = 0; // who asked (a chart)
    quint64 id = 0;      // the request's number
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<SeriesRange> lines; // in the order asked; an empty range when a line has no data
    QString message; // why the database could not be read (damaged...); empty when it could
                     // or when nothing was recorded yet (no lines then)
};

// Marks the gaps of a series read back from the store: a NaN point one step after the last
// value before a stretch with no value (nothing recorded: the app was closed, the server down).
// A stretch counts as a gap when it is longer than 2.5 times the usual distance between points
// (at least one step): a recorder polling every 5 s fills one 1 s step in five, and that is no
// gap. `untilMs` (optional) is where the next data starts (the memory history): a gap before it
// is marked too.
QList<QPair<qint64, double>> breakAtGaps(const SeriesRange &range, qint64 untilMs = -1);

// At most about `maxPoints` of `points` that draw the same line at the width of a chart: in each of
// maxPoints / 2 runs of consecutive points, its lowest and highest value (in time order) and every
// gap. A spike stays a spike; the points kept are values as recorded, none made up.
// The step-by-step sum of series read at one tier (queue series all start at the 10 s tier): a step
// holds a value when any series has one.
SeriesRange sumOf(const QList<SeriesRange> &parts);

QList<QPair<qint64, double>> keepEnvelope(const QList<QPair<qint64, double>> &points,
                                          int maxPoints);

// Reads history for charts off the GUI thread: a thread of its own with a read-only store of the
// database (SQLite's WAL lets it read while the recorder writes). request() returns at once; the
// reply comes through rangeRead() on the caller's thread, each series at most about maxPoints
// long (keepEnvelope: the coarsest tier, 1 min, holds 43,200 points in 30 days; a chart is a few
// hundred pixels wide, and zooming in reads again). Only a client's newest request is read:
// while the user pans, the requests the thread has not started yet are dropped. A database that
// is not there yet (nothing recorded) is opened again at the next request.
class HistoryReader final : public QObject
{
    Q_OBJECT
public:
    explicit HistoryReader(const QString &path, QObject *parent = nullptr);
    ~HistoryReader() override; // waits for a read under way (SQLite's 2 s busy timeout bounds it)

    QString path() const { return m_path; }
    // Each line is the sum of its series, step by step.
    quint64 request(quintptr client, const QList<QStringList> &lines, qint64 fromMs, qint64 toMs,
                    int maxPoints);

Q_SIGNALS:
    void rangeRead(const qs::history::RangeReply &reply);

private:
    struct Newest
    {
        QMutex mutex;
        QHash<quintptr, quint64> ids; // client -> its newest request
    };
    class Worker;

    QString m_path;
    std::shared_ptr<Newest> m_newest = std::make_shared<Newest>(); // shared with the worker
    QThread m_thread;
    Worker *m_worker = nullptr; // lives in m_thread
    quint64 m_nextId = 1;
};

} // namespace qs::history

Q_DECLARE_METATYPE(qs::history::RangeReply)
