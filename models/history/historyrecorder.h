#pragma once

#include "history/seriesbuckets.h"

#include <QObject>
#include <QThread>

namespace qs::history {

class HistoryWriter;

// Records one server's history on disk without ever blocking the thread that feeds it: samples
// go to a writer thread that turns them into chunks and stores what changed every few seconds
// in one transaction (so a kill -9 loses at most that much; WAL keeps the file intact). When the
// database cannot be used (damaged, another recorder writes it, read-only, disk full) the
// message says so and the live history in memory goes on as before; chunks a full disk refused
// are kept (up to a bound) and written when it has room again.
class HistoryRecorder final : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultFlushMs = 10'000;

    explicit HistoryRecorder(const QString &path, int flushMs = defaultFlushMs,
                             QObject *parent = nullptr);
    ~HistoryRecorder() override; // writes what is pending, then stops the thread

    void record(qint64 timestampMs, const QList<Sample> &samples);
    // What a framework recorded before (history::chunksOfPoints): written with the next flush;
    // a fillOnly chunk fills only the steps not recorded yet, never replaces one.
    void backfill(const QList<Chunk> &chunks);
    // Writes what is pending now and waits for it (at most `timeoutMs`): for a clean stop.
    bool flush(int timeoutMs = 5'000);
    // The database's path and what it says (empty when all is well; updated from the writer).
    QString path() const { return m_path; }
    QString message() const { return m_message; } // empty when all is well

    // Where a server's history lives: <AppDataLocation>/history/<key>.sqlite, the key made safe
    // as a file name.
    static QString defaultPath(const QString &serverKey);

Q_SIGNALS:
    void messageChanged(const QString &message);

private:
    bool runOnWriter(void (HistoryWriter::*step)(), int timeoutMs);

    QString m_path;
    QThread m_thread;
    HistoryWriter *m_writer = nullptr; // lives in m_thread
    QString m_message;
};

} // namespace qs::history
