#include "history/historyrecorder.h"

#include "history/historywriter.h"

#include <QDir>
#include <QSemaphore>
#include <QStandardPaths>
#include <memory>

namespace qs::history {

HistoryRecorder::HistoryRecorder(const QString &path, int flushMs, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_writer(new HistoryWriter(path, flushMs))
{
    m_thread.setObjectName(QStringLiteral("queuescope-history"));
    m_writer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &HistoryWriter::messageChanged, this, [this](const QString &message) {
        m_message = message;
        Q_EMIT messageChanged(message);
    });
    m_thread.start();
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::start, Qt::QueuedConnection);
}

HistoryRecorder::~HistoryRecorder()
{
    runOnWriter(&HistoryWriter::stop, 5'000);
    m_thread.quit();
    m_thread.wait(); // a write has SQLite's 2 s busy timeout: this ends
}

void HistoryRecorder::record(qint64 timestampMs, const QList<Sample> &samples)
{
    QMetaObject::invokeMethod(
        m_writer,
        [writer = m_writer, timestampMs, samples] { writer->append(timestampMs, samples); },
        Qt::QueuedConnection);
}

void HistoryRecorder::backfill(const QList<Chunk> &chunks)
{
    QMetaObject::invokeMethod(
        m_writer, [writer = m_writer, chunks] { writer->backfill(chunks); }, Qt::QueuedConnection);
}

bool HistoryRecorder::flush(int timeoutMs)
{
    return runOnWriter(&HistoryWriter::flush, timeoutMs);
}

bool HistoryRecorder::runOnWriter(void (HistoryWriter::*step)(), int timeoutMs)
{
    if (!m_thread.isRunning())
        return false;
    // Blocking, with a deadline: only where the caller must know it is on disk (a stop, a test).
    auto done = std::make_shared<QSemaphore>();
    QMetaObject::invokeMethod(
        m_writer,
        [writer = m_writer, step, done] {
            (writer->*step)();
            done->release();
        },
        Qt::QueuedConnection);
    return done->tryAcquire(1, timeoutMs);
}

QString HistoryRecorder::defaultPath(const QString &serverKey)
{
    QString file;
    for (const QChar c : serverKey)
        file.append(c.isLetterOrNumber() || c == u'-' || c == u'.' ? c : QChar(u'_'));
    if (file.isEmpty() || file.startsWith(u'.'))
        file.prepend(u'_');
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("history/%1.sqlite").arg(file.left(120)));
}

} // namespace qs::history
