#pragma once

#include "history/seriesbuckets.h"

#include <QLockFile>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace qs::history {

// A series read back for a chart: the tier chosen for the range, and the steps that hold a value
// (a missing step is a gap: nothing was recorded then).
struct SeriesRange
{
    qint64 stepMs = 0;
    QList<QPair<qint64, double>> points; // step start (epoch ms), value
};

// One server's history on disk: an SQLite database (Qt's QSQLITE driver) in WAL mode, one row per
// chunk (series, tier, start -> blob). Not thread-safe: one thread owns a store (the recorder's
// writer thread, or a reader). One writer per database: writing takes `<file>.lock` (a crashed
// writer's stale lock is taken over); a second writer opens read-only and says who writes.
// Nothing here throws or crashes on a bad file: a damaged, locked, read-only or full database
// is reported in status() and the caller keeps its history in memory.
class HistoryStore
{
public:
    enum class Access { Read, Write };
    struct Status
    {
        bool readable = false;
        bool writable = false;
        QString message; // what the operator should know; empty when all is well
    };

    explicit HistoryStore(QString path);
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    const Status &open(Access access);
    const Status &status() const { return m_status; }
    QString path() const { return m_path; }

    // Stores the chunks in one transaction (a chunk replaces the stored one of the same start).
    // false, with status().message saying why, when the database refused (disk full, read-only):
    // the caller keeps the chunks and offers them again.
    bool write(const QList<Chunk> &chunks);
    // Drops the chunks every tier keeps no longer; returns how many went.
    int purge(qint64 nowMs);

    // The finest tier that still holds `fromMs` and gives at most `maxPoints` over the range.
    SeriesRange read(const QString &series, qint64 fromMs, qint64 toMs, int maxPoints) const;
    QStringList seriesNames() const;

    // Lets the database grow by `pages` at the most (SQLite max_page_count): a full disk, for
    // tests.
    void limitGrowthForTest(int pages);

private:
    bool exec(const QString &statement, QString *error = nullptr) const;
    std::optional<qint64> seriesId(const QString &name, bool create) const;
    void fail(const QString &message);

    QString m_path;
    QString m_connectionName;
    std::unique_ptr<QLockFile> m_lock;
    Status m_status;
    mutable QHash<QString, qint64> m_seriesIds; // name -> id, as stored
    // Chunks this store wrote first (nothing was stored before): written again without reading
    // them back, since nothing on disk can fill their gaps. Cleared when it grows past a bound.
    struct ChunkKey
    {
        qint64 series;
        int tier;
        qint64 startMs;
        friend bool operator==(const ChunkKey &, const ChunkKey &) = default;
        friend size_t qHash(const ChunkKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.series, key.tier, key.startMs);
        }
    };
    QSet<ChunkKey> m_firstWritten;
};

} // namespace qs::history
