// History recorded and read back by the real binary against a real redis-server: `record` writes
// what `history` prints; the window's reader reads while a recorder writes; a recorder killed
// with SIGKILL in the middle leaves a database that opens and holds what was flushed, and the
// next recorder takes its place; two recorders of one server never both write.
#include "cliprocess.h"
#include "redisserver.h"

#include <QTemporaryDir>
#include <QtTest>

#include <string_view>

using namespace qs::test;
using namespace std::string_view_literals;

namespace {

QStringList target(const RedisServer &server)
{
    return {QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(server.port())};
}

// A Sidekiq queue with three jobs waiting.
void makeQueue(const RedisServer &server)
{
    server.cli({QStringLiteral("SADD"), QStringLiteral("queues"), QStringLiteral("mail")});
    for (const char *jid : {"a1", "a2", "a3"})
        server.cli({QStringLiteral("LPUSH"), QStringLiteral("queue:mail"),
                    QStringLiteral(R"({"class":"Mailer","jid":"%1","enqueued_at":1700000000})")
                        .arg(QLatin1String(jid))});
}

// `queuescope record` running in the background.
class Recorder
{
public:
    Recorder(const QStringList &args, const QString &dataHome)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
        m_process.setProcessEnvironment(environment);
        m_process.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
                        QStringList{QStringLiteral("record")} + args);
    }
    ~Recorder()
    {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
};

} // namespace

class TestHistoryCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data; // XDG_DATA_HOME: where the histories go
    QMap<QString, QString> env() const
    {
        return {{QStringLiteral("XDG_DATA_HOME"), m_data.path()}};
    }

    QMap<qint64, double> points(const RedisServer &server, const QString &series)
    {
        return historyPoints(target(server), series, QStringLiteral("10m"), env());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN"))); }

    void recordWritesWhatHistoryPrints()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeQueue(server);
        const CliRun nothing = runQueuescope(
            QStringList{QStringLiteral("history"), QStringLiteral("--list")} + target(server),
            env());
        QCOMPARE(nothing.exitCode, 1);
        QVERIFY2(nothing.err.contains("no history recorded yet"), nothing.err.constData());

        const CliRun record =
            runQueuescope(QStringList{QStringLiteral("record"), QStringLiteral("--duration"),
                                      QStringLiteral("3s")} +
                              target(server),
                          env());
        QVERIFY2(record.exitCode == 0, record.err.constData());
        const CliRun list = runQueuescope(
            QStringList{QStringLiteral("history"), QStringLiteral("--list")} + target(server),
            env());
        QCOMPARE(list.exitCode, 0);
        const QList<QByteArray> series = list.out.trimmed().split('\n');
        QVERIFY2(series.contains("server.usedMemory") &&
                     series.contains("queue.sidekiq//mail.enqueued") &&
                     series.contains("framework.sidekiq//.dead"),
                 list.out.constData());
        // Every second of the server's metrics; the queue's count at its 10 s steps.
        QVERIFY(points(server, "server.connectedClients").size() >= 2);
        const auto waiting = points(server, "queue.sidekiq//mail.enqueued");
        QVERIFY(!waiting.isEmpty());
        QCOMPARE(waiting.last(), 3.0);
        const CliRun csv = runQueuescope(
            QStringList{QStringLiteral("history"), QStringLiteral("--series"),
                        QStringLiteral("queue.sidekiq//mail.enqueued"), QStringLiteral("--csv")} +
                target(server),
            env());
        QVERIFY2(csv.out.startsWith("time,value\n") && csv.out.trimmed().endsWith(",3"),
                 csv.out.constData());
    }

    // `record --all`: every saved profile recorded into its own history by one process; a
    // server that does not answer is said so and does not stop the others.
    void recordAllRecordsEverySavedProfile()
    {
        RedisServer first, second;
        QVERIFY(first.start() && second.start());
        makeQueue(second);
        QTemporaryDir config;
        QDir().mkpath(config.filePath(QStringLiteral("QueueScope/queuescope")));
        QFile file(config.filePath(QStringLiteral("QueueScope/queuescope/profiles.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({"format": "queuescope-profiles", "version": 1, "profiles": [
            {"name": "First", "host": "127.0.0.1", "port": %1},
            {"name": "Second", "host": "127.0.0.1", "port": %2},
            {"name": "Down", "host": "127.0.0.1", "port": 1}]})")
                       .arg(first.port())
                       .arg(second.port())
                       .toUtf8());
        file.close();
        QMap<QString, QString> environment = env();
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        const CliRun record = runQueuescope({QStringLiteral("record"), QStringLiteral("--all"),
                                             QStringLiteral("--duration"), QStringLiteral("3s")},
                                            environment);
        QVERIFY2(record.exitCode == 0, record.err.constData());
        QVERIFY2(record.err.contains("Down: ") && record.err.contains("recorded once it answers"),
                 record.err.constData());
        for (const char *name : {"First", "Second"}) {
            const CliRun list = runQueuescope({QStringLiteral("history"), QStringLiteral("--list"),
                                               QStringLiteral("--profile"), QLatin1String(name)},
                                              environment);
            QVERIFY2(list.exitCode == 0 && list.out.contains("server.usedMemory"),
                     list.err.constData());
            QCOMPARE(list.out.contains("queue.sidekiq//mail.enqueued"), name == "Second"sv);
        }
        const CliRun url = runQueuescope(
            QStringList{QStringLiteral("record"), QStringLiteral("--all")} + target(first),
            environment);
        QCOMPARE(url.exitCode, 2);
        QVERIFY2(url.err.contains("--url names one server"), url.err.constData());
    }

    void aKilledRecorderLeavesAReadableDatabaseAndOneWriterAtATime()
    {
        RedisServer server;
        QVERIFY(server.start());
        makeQueue(server);
        Recorder first(QStringList{QStringLiteral("--flush-every"), QStringLiteral("1s")} +
                           target(server),
                       m_data.path());
        // Read while it writes: the points appear as its flushes land.
        QTRY_VERIFY_WITH_TIMEOUT(points(server, "server.connectedClients").size() >= 3, 20'000);

        // A second recorder of the same server only reads, and says who writes.
        const CliRun second =
            runQueuescope(QStringList{QStringLiteral("record"), QStringLiteral("--duration"),
                                      QStringLiteral("1s")} +
                              target(server),
                          env());
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("only reads it"), second.err.constData());

        first.process().kill(); // SIGKILL, mid-stream
        QVERIFY(qs::test::finishes(first.process(), 5'000));
        const qsizetype kept = points(server, "server.connectedClients").size();
        QVERIFY(kept >= 3); // the database opens and holds what was flushed

        // The dead recorder's lock is stale: the next one writes on.
        const CliRun next =
            runQueuescope(QStringList{QStringLiteral("record"), QStringLiteral("--duration"),
                                      QStringLiteral("2s")} +
                              target(server),
                          env());
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY(points(server, "server.connectedClients").size() > kept);
    }
};

QTEST_GUILESS_MAIN(TestHistoryCommand)
#include "tst_historycommand.moc"
