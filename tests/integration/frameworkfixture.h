#pragma once

// Shared by the real-framework queue tests (Celery, RQ, Sidekiq): runs a fixture script from
// tests/queues/ that creates jobs with the framework's own client and workers, speaks its line
// protocol, and counts through an adapter the way the poller does (one pipeline).

#include "connectionwait.h"
#include "redisserver.h"

#include "queues/queueadapter.h"
#include "queues/queuediscovery.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>

#include <memory>

namespace qs::test {

inline QString sourcePath(const QString &relative)
{
    return QDir(qEnvironmentVariable("QS_SOURCE_DIR")).filePath(relative);
}

// True when `program args...` exits 0 within 30 s (e.g. python3 -c "import rq").
inline bool probe(const QString &program, const QStringList &args)
{
    QProcess process;
    process.start(program, args);
    return process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit &&
           process.exitCode() == 0;
}

// One fixture script: JSON objects one per line on stdout; requests one per line on stdin.
class FrameworkFixture
{
public:
    FrameworkFixture(const QString &program, const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8")); // queue names are UTF-8
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
        m_process.setProcessEnvironment(env);
        m_process.setProgram(program);
        m_process.setArguments(arguments);
    }
    ~FrameworkFixture() { finish(); }

    // Waits for {"ready": true} (creating the states runs real workers: allow minutes).
    bool start(QString *error, int timeoutMs = 180'000)
    {
        m_process.start();
        if (!m_process.waitForStarted(10'000)) {
            *error = m_process.errorString();
            return false;
        }
        const std::optional<QJsonObject> ready = nextObject(timeoutMs);
        if (!ready || !ready->value(QStringLiteral("ready")).toBool()) {
            *error = QStringLiteral("fixture not ready; stderr:\n") + stderrTail();
            return false;
        }
        return true;
    }

    std::optional<QJsonObject> request(const QByteArray &line, int timeoutMs = 60'000)
    {
        m_process.write(line + '\n');
        return nextObject(timeoutMs);
    }

    // Lets the script release its held jobs and stop its workers.
    void finish()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.write("quit\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(90'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    QString stderrTail()
    {
        m_stderr += m_process.readAllStandardError();
        return QString::fromUtf8(m_stderr.right(4000));
    }

private:
    std::optional<QJsonObject> nextObject(int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (m_process.canReadLine()) {
                const QByteArray line = m_process.readLine().trimmed();
                if (line.startsWith('{'))
                    return QJsonDocument::fromJson(line).object();
            }
            m_stderr += m_process.readAllStandardError(); // keep the pipe from filling up
            if (m_process.state() == QProcess::NotRunning)
                return std::nullopt;
            m_process.waitForReadyRead(
                qMin<qint64>(200, qMax<qint64>(1, deadline.remainingTime())));
        }
        return std::nullopt;
    }

    QProcess m_process;
    QByteArray m_stderr;
};

// Runs a full discovery pass of one adapter; error set when it did not finish cleanly.
inline QList<queues::QueueRef> discover(redis::RedisConnection &connection,
                                        std::shared_ptr<const queues::QueueAdapter> adapter,
                                        QString *error)
{
    queues::QueueDiscovery discovery(&connection, {std::move(adapter)});
    std::optional<QString> finished;
    QObject::connect(&discovery, &queues::QueueDiscovery::finished,
                     [&finished](const QString &e) { finished = e; });
    discovery.start();
    if (!QTest::qWaitFor([&] { return finished.has_value(); }, 30'000))
        *error = QStringLiteral("discovery did not finish");
    else
        *error = *finished;
    return discovery.queues();
}

struct CountRound
{
    QList<queues::QueueCounts> queues;
    queues::ServerCounts server;
    QString error; // transport failure
};

// Counts every queue and the server-wide states in ONE pipeline, as the poller does, with the
// details of every queue (a second pipeline for the reads that depend on the first).
inline CountRound countAll(redis::RedisConnection &connection, const queues::QueueAdapter &adapter,
                           const QList<queues::QueueRef> &refs,
                           const queues::ServerCounts &previous = {})
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<redis::RedisCommand> commands;
    QList<qsizetype> sizes;
    for (const queues::QueueRef &ref : refs) {
        const QList<redis::RedisCommand> some = adapter.countCommands(ref, now);
        sizes.append(some.size());
        commands += some;
    }
    const QList<redis::RedisCommand> server = adapter.serverCountCommands(now, previous);
    commands += server;

    // The details, as the poller reads them on its slower cadence: in the same pipeline, and
    // the reads that depend on them in a second one.
    QList<qsizetype> detailSizes;
    for (const queues::QueueRef &ref : refs) {
        const QList<redis::RedisCommand> some = adapter.detailCommands(ref, now);
        detailSizes.append(some.size());
        commands += some;
    }

    CountRound round;
    const std::optional<redis::PipelineResult> result = runPipeline(connection, commands);
    if (!result || !result->ok() || result->replies.size() != commands.size()) {
        round.error = result ? result->error.message : QStringLiteral("no reply");
        return round;
    }
    qsizetype at = 0;
    for (int i = 0; i < refs.size(); ++i) {
        round.queues.append(adapter.parseCounts(refs.at(i), result->replies.mid(at, sizes.at(i))));
        at += sizes.at(i);
    }
    if (!server.isEmpty())
        round.server = adapter.parseServerCounts(result->replies.mid(at, server.size()));
    at += server.size();
    QList<redis::RedisCommand> followUp;
    QList<qsizetype> followUpSizes;
    for (int i = 0; i < refs.size(); ++i) {
        queues::QueueDetails details;
        details.readAtMs = now;
        const QList<redis::RedisCommand> reads = adapter.parseDetails(
            refs.at(i), result->replies.mid(at, detailSizes.at(i)), round.queues.at(i), details);
        at += detailSizes.at(i);
        round.queues[i].details = details;
        followUp += reads;
        followUpSizes.append(reads.size());
    }
    if (followUp.isEmpty())
        return round;
    const std::optional<redis::PipelineResult> second = runPipeline(connection, followUp);
    if (!second || !second->ok()) {
        round.error = second ? second->error.message : QStringLiteral("no reply");
        return round;
    }
    at = 0;
    for (int i = 0; i < refs.size(); ++i) {
        adapter.parseDetailReads(refs.at(i), second->replies.mid(at, followUpSizes.at(i)),
                                 *round.queues[i].details);
        at += followUpSizes.at(i);
    }
    return round;
}

// Calls per command from INFO commandstats ("llen", "client|setname", ...).
inline QHash<QString, qint64> commandCalls(redis::RedisConnection &admin)
{
    QHash<QString, qint64> calls;
    const std::optional<CommandOutcome> info = runCommand(admin, {"INFO", "commandstats"});
    if (!info)
        return calls;
    for (const QByteArray &line : info->reply.string.split('\n')) {
        // cmdstat_llen:calls=12,usec=...
        if (!line.startsWith("cmdstat_"))
            continue;
        const qsizetype colon = line.indexOf(':');
        const qsizetype end = line.indexOf(',', colon);
        calls.insert(QString::fromUtf8(line.mid(8, colon - 8)),
                     line.mid(colon + 7, end - colon - 7).toLongLong());
    }
    return calls;
}

// Of the commands whose call counts grew between two snapshots, those Redis flags "write".
inline QStringList writesBetween(redis::RedisConnection &admin,
                                 const QHash<QString, qint64> &before,
                                 const QHash<QString, qint64> &after, QStringList *grown)
{
    QStringList writes;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (it.value() <= before.value(it.key()))
            continue;
        grown->append(it.key());
        const std::optional<CommandOutcome> info =
            runCommand(admin, {"COMMAND", "INFO", it.key().toUtf8()});
        if (!info || info->reply.elements.isEmpty())
            continue;
        for (const redis::RedisReply &flag :
             info->reply.elements.first().elements.value(2).elements) {
            if (flag.string == "write")
                writes.append(it.key());
        }
    }
    return writes;
}

inline QSet<QByteArray> namesOf(const QList<queues::QueueRef> &refs)
{
    QSet<QByteArray> names;
    for (const queues::QueueRef &ref : refs)
        names.insert(ref.name);
    return names;
}

} // namespace qs::test
