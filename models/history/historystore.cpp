#include "history/historystore.h"

#include "history/historytiers.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace qs::history {

namespace {

constexpr int kSchemaVersion = 1;
// Chunk keys remembered as first written by this store (~40 bytes each): two days of 200 queues'
// open chunks at every tier.
constexpr qsizetype kMaxRememberedChunks = 200'000;

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    // A rowid table, not WITHOUT ROWID: a chunk's blob (often 0.5-2 KB) then stays on its leaf
    // page; in an index b-tree anything over ~1 KB spills to an overflow page of its own, which
    // left pages half empty (a database 2.2x its data; now 1.1x).
    ("CREATE TABLE IF NOT EXISTS chunks(series INTEGER NOT NULL, tier INTEGER NOT NULL, "
     "start_ms INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE(series, tier, start_ms))"),
};

void fillGaps(ChunkValues &values, const ChunkValues &before)
{
    if (values.size() < before.size())
        values.resize(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        if (!values.at(i))
            values[i] = before.at(i);
    }
}

QString describe(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.trimmed();
}

} // namespace

HistoryStore::HistoryStore(QString path)
    : m_path(std::move(path))
    , m_connectionName(QStringLiteral("queuescope-history-%1").arg(quintptr(this), 0, 16))
{
}

HistoryStore::~HistoryStore()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

void HistoryStore::fail(const QString &message)
{
    m_status = {false, false, message};
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::database(m_connectionName, false).close();
    m_lock.reset();
}

bool HistoryStore::exec(const QString &statement, QString *error) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (query.exec(statement))
        return true;
    if (error)
        *error = describe(query.lastError());
    return false;
}

const HistoryStore::Status &HistoryStore::open(Access access)
{
    m_status = {};
    QString note;
    if (access == Access::Write && !QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        fail(QStringLiteral("cannot create the history folder %1: history is kept in memory only")
                 .arg(QFileInfo(m_path).absolutePath()));
        return m_status;
    }
    if (access == Access::Write) {
        m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(0); // only a dead holder's lock is stale, however old
        if (!m_lock->tryLock(0)) {
            qint64 pid = 0;
            QString host, app;
            m_lock->getLockInfo(&pid, &host, &app);
            note = QStringLiteral("history is being recorded by %1 (pid %2 on %3): this one only "
                                  "reads it")
                       .arg(app.isEmpty() ? QStringLiteral("another QueueScope") : app)
                       .arg(pid)
                       .arg(host);
            m_lock.reset();
            access = Access::Read;
        }
    }
    if (access == Access::Read && !QFileInfo::exists(m_path)) {
        m_status = {false, false,
                    note.isEmpty() ? QStringLiteral("no history recorded yet") : note};
        return m_status;
    }
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
                          ? QSqlDatabase::database(m_connectionName, false)
                          : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!db.isValid()) {
        fail(QStringLiteral("history needs Qt's SQLite driver (package libqt6sql6-sqlite): "
                            "history is kept in memory only"));
        return m_status;
    }
    db.setDatabaseName(m_path);
    db.setConnectOptions(access == Access::Read
                             ? QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000")
                             : QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
    const QString inMemory = QStringLiteral(": history is kept in memory only");
    if (!db.open()) {
        fail(QStringLiteral("cannot open history %1 (%2)").arg(m_path, describe(db.lastError())) +
             inMemory);
        return m_status;
    }
    QString error;
    // A writer checks every page once (quick_check reads the whole file: ~0.5 s per 100 MB, on
    // the writer's thread); a reader only that the file is a history, so that a chart opens in
    // milliseconds: a damaged page it meets later fails that read, not the program.
    QSqlQuery check(db);
    const bool checked = access == Access::Write
                             ? check.exec(QStringLiteral("PRAGMA quick_check"))
                             : check.exec(QStringLiteral("SELECT 'ok' FROM sqlite_schema WHERE "
                                                         "name = 'chunks'"));
    if (!checked || !check.next()) {
        fail(QStringLiteral("history %1 is not readable (%2)")
                 .arg(m_path,
                      checked ? QStringLiteral("no history in it") : describe(check.lastError())) +
             inMemory);
        return m_status;
    }
    const QString verdict = check.value(0).toString();
    check.finish(); // its read transaction would keep the journal mode from changing
    if (verdict != QLatin1String("ok")) {
        fail(QStringLiteral("history %1 is damaged (%2); move it away to start a new one")
                 .arg(m_path, verdict.left(200)) +
             inMemory);
        return m_status;
    }
    if (access == Access::Write) {
        bool ready = exec(QStringLiteral("PRAGMA journal_mode=WAL"), &error) &&
                     exec(QStringLiteral("PRAGMA synchronous=NORMAL"), &error);
        for (const char *statement : kSchema)
            ready = ready && exec(QString::fromLatin1(statement), &error);
        ready = ready && exec(QStringLiteral("INSERT OR IGNORE INTO meta VALUES('schema', '%1')")
                                  .arg(kSchemaVersion),
                              &error);
        if (!ready) {
            fail(QStringLiteral("cannot write history %1 (%2)").arg(m_path, error) + inMemory);
            return m_status;
        }
    }
    m_status = {true, access == Access::Write, note};
    return m_status;
}

std::optional<qint64> HistoryStore::seriesId(const QString &name, bool create) const
{
    if (const auto it = m_seriesIds.constFind(name); it != m_seriesIds.constEnd())
        return *it;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT id FROM series WHERE name = ?"));
    query.addBindValue(name);
    if (query.exec() && query.next()) {
        const qint64 id = query.value(0).toLongLong();
        m_seriesIds.insert(name, id);
        return id;
    }
    if (!create)
        return std::nullopt;
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO series(name) VALUES(?)"));
    insert.addBindValue(name);
    if (!insert.exec())
        return std::nullopt;
    const qint64 id = insert.lastInsertId().toLongLong();
    m_seriesIds.insert(name, id);
    return id;
}

bool HistoryStore::write(const QList<Chunk> &chunks)
{
    if (!m_status.writable)
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        m_status.message = QStringLiteral("history not saved (%1)").arg(describe(db.lastError()));
        return false;
    }
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO chunks(series, tier, start_ms, data) VALUES(?,?,?,?)"));
    QSqlQuery stored(db);
    stored.prepare(
        QStringLiteral("SELECT data FROM chunks WHERE series = ? AND tier = ? AND start_ms = ?"));
    QString error;
    QList<ChunkKey> firstWritten;
    for (const Chunk &chunk : chunks) {
        const std::optional<qint64> id = seriesId(chunk.series, true);
        if (!id) {
            error = QStringLiteral("cannot add series");
            break;
        }
        // What is on disk for this chunk stays where the chunk has a gap: a recorder that
        // restarted (or another that wrote before it) does not erase the points before it.
        // A backfill (fillOnly) is the other way round: it only fills what is not on disk.
        QByteArray blob = chunk.encoded.isEmpty() ? encodeChunk(chunk.values) : chunk.encoded;
        const ChunkKey key{*id, chunk.tier, chunk.startMs};
        if (chunk.fillOnly || !m_firstWritten.contains(key)) {
            stored.bindValue(0, *id);
            stored.bindValue(1, chunk.tier);
            stored.bindValue(2, chunk.startMs);
            const bool looked = stored.exec();
            if (looked && stored.next()) {
                std::optional<ChunkValues> before = decodeChunk(stored.value(0).toByteArray());
                std::optional<ChunkValues> values = decodeChunk(blob);
                if (before && values) {
                    if (chunk.fillOnly) {
                        fillGaps(*before, *values);
                        blob = encodeChunk(*before);
                    } else {
                        fillGaps(*values, *before);
                        blob = encodeChunk(*values);
                    }
                }
            } else if (looked && !chunk.fillOnly) {
                firstWritten.append(key);
            }
            stored.finish();
        }
        if (chunk.fillOnly) // the disk now holds steps the recorder's open chunk does not
            m_firstWritten.remove(key);
        insert.bindValue(0, *id);
        insert.bindValue(1, chunk.tier);
        insert.bindValue(2, chunk.startMs);
        insert.bindValue(3, blob);
        if (!insert.exec()) {
            error = describe(insert.lastError());
            break;
        }
    }
    if (error.isEmpty() && db.commit()) {
        if (m_firstWritten.size() > kMaxRememberedChunks)
            m_firstWritten.clear();
        m_firstWritten.unite(QSet<ChunkKey>(firstWritten.cbegin(), firstWritten.cend()));
        m_status.message.clear();
        return true;
    }
    if (error.isEmpty())
        error = describe(db.lastError());
    db.rollback();
    m_seriesIds.clear(); // ids inserted by the rolled-back transaction are gone
    m_status.message = QStringLiteral("history not saved (%1): kept in memory, tried again at the "
                                      "next write")
                           .arg(error);
    return false;
}

int HistoryStore::purge(qint64 nowMs)
{
    if (!m_status.writable)
        return 0;
    int removed = 0;
    for (const Tier &tier : tiers) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.prepare(QStringLiteral("DELETE FROM chunks WHERE tier = ? AND start_ms < ?"));
        query.addBindValue(tier.id);
        query.addBindValue(nowMs - tier.retentionMs - tier.chunkSpanMs());
        if (query.exec())
            removed += query.numRowsAffected();
    }
    return removed;
}

SeriesRange HistoryStore::read(const QString &series, qint64 fromMs, qint64 toMs,
                               int maxPoints) const
{
    if (!m_status.readable || toMs < fromMs)
        return {};
    const std::optional<qint64> id = seriesId(series, false);
    if (!id)
        return {};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Tier &tier : tiers) {
        const bool last = tier.id == tiers.back().id;
        const bool holds = fromMs >= now - tier.retentionMs;
        const bool fits = (toMs - fromMs) / tier.stepMs <= maxPoints;
        if (!last && (!holds || !fits))
            continue;
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.setForwardOnly(true);
        query.prepare(
            QStringLiteral("SELECT start_ms, data FROM chunks WHERE series = ? AND "
                           "tier = ? AND start_ms > ? AND start_ms <= ? ORDER BY start_ms"));
        query.addBindValue(*id);
        query.addBindValue(tier.id);
        query.addBindValue(fromMs - tier.chunkSpanMs());
        query.addBindValue(toMs);
        if (!query.exec())
            return {};
        SeriesRange range{tier.stepMs, {}};
        while (query.next()) {
            const qint64 start = query.value(0).toLongLong();
            const std::optional<ChunkValues> values = decodeChunk(query.value(1).toByteArray());
            for (qsizetype i = 0; values && i < values->size(); ++i) {
                const qint64 at = start + i * tier.stepMs;
                if (values->at(i) && at >= fromMs && at <= toMs)
                    range.points.append({at, *values->at(i)});
            }
        }
        if (!range.points.isEmpty() || last)
            return range; // an empty finer tier (a queue series has no 1 s tier): try coarser
    }
    return {};
}

QStringList HistoryStore::seriesNames() const
{
    QStringList names;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (m_status.readable && query.exec(QStringLiteral("SELECT name FROM series ORDER BY name"))) {
        while (query.next())
            names.append(query.value(0).toString());
    }
    return names;
}

void HistoryStore::limitGrowthForTest(int pages)
{
    QSqlQuery count(QSqlDatabase::database(m_connectionName, false));
    if (count.exec(QStringLiteral("PRAGMA page_count")) && count.next())
        exec(QStringLiteral("PRAGMA max_page_count=%1").arg(count.value(0).toLongLong() + pages));
}

} // namespace qs::history
