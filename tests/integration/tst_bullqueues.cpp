// BullMQ 6, BullMQ 5 and Bull 4 queues made by the frameworks' own clients (node fixtures in
// tests/queues), then discovered and counted through our adapters on a throwaway redis-server
// and compared with each framework's own getJobCounts().
#include "connectionwait.h"
#include "redisserver.h"

#include "core/redisurl.h"
#include "frameworks/bull/bulladapter.h"
#include "frameworks/bullfamily/bullconnectionname.h"
#include "frameworks/bullmq/bullmqadapter.h"
#include "queues/queuediscovery.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace qs::queues;
using qs::test::RedisServer;

namespace {

QString fixturesDir()
{
    return qEnvironmentVariable("QS_SOURCE_DIR") + QStringLiteral("/tests/queues");
}

// One node fixture process (tests/queues/make-*-states.mjs). It makes every state, answers
// "counts" on stdin with the framework's own getJobCounts(), and exits when stdin closes.
class BullFixture
{
public:
    // framework: "bullmq" (6.7.0), "bullmq5" (5.47.3) or "bull" (4.16.5).
    BullFixture(const QString &framework, const RedisServer &server, const QString &prefix,
                const QStringList &queues, const QStringList &paused,
                const QStringList &metrics = {})
        : m_framework(framework)
    {
        const bool bull = framework == QLatin1String("bull");
        m_arguments =
            QStringList{bull ? "make-bull-states.mjs" : "make-bullmq-states.mjs",
                        "--redis",
                        qs::core::toRedisUrl(server.profile(), qs::core::Secret::Included),
                        "--prefix",
                        prefix,
                        "--defer-counts"};
        if (!bull)
            m_arguments << "--module" << framework;
        for (const QString &queue : queues)
            m_arguments << "--queue" << queue;
        for (const QString &queue : paused)
            m_arguments << "--paused" << queue;
        for (const QString &queue : metrics)
            m_arguments << "--metrics" << queue;
    }
    ~BullFixture()
    {
        m_process.closeWriteChannel(); // the fixture exits on end of stdin
        if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(5'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }
    BullFixture(const BullFixture &) = delete;
    BullFixture &operator=(const BullFixture &) = delete;

    // Why the fixtures cannot run here, or empty.
    static QString missingTools()
    {
        if (qEnvironmentVariable("QS_SOURCE_DIR").isEmpty())
            return QStringLiteral("QS_SOURCE_DIR is not set (run through ctest)");
        if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
            return QStringLiteral("node is not on PATH: run scripts/install-deps.sh");
        for (const char *module : {"bullmq", "bullmq5", "bull"}) {
            if (!QFile::exists(fixturesDir() + "/node_modules/" + module + "/package.json"))
                return QStringLiteral("tests/queues/node_modules/%1 is missing: run "
                                      "scripts/install-deps.sh (npm ci in tests/queues)")
                    .arg(QLatin1String(module));
        }
        return {};
    }

    const QString &framework() const { return m_framework; }

    // Starts node and waits until every state exists.
    bool start(QString *error)
    {
        m_process.setWorkingDirectory(fixturesDir());
        m_process.start(QStringLiteral("node"), m_arguments);
        if (!m_process.waitForStarted(10'000)) {
            *error = QStringLiteral("node did not start: ") + m_process.errorString();
            return false;
        }
        return readLine(error).has_value();
    }

    // {"<queue>": {"counts": {...}, "paused": bool}} from the framework's own API.
    std::optional<QJsonObject> counts(QString *error)
    {
        m_process.write("counts\n");
        const std::optional<QJsonObject> line = readLine(error);
        if (!line)
            return std::nullopt;
        return line->value(QStringLiteral("queues")).toObject();
    }

private:
    std::optional<QJsonObject> readLine(QString *error)
    {
        QDeadlineTimer deadline(60'000);
        while (!m_buffer.contains('\n')) {
            if (deadline.hasExpired() ||
                !m_process.waitForReadyRead(int(deadline.remainingTime()))) {
                *error = QStringLiteral("%1 fixture gave no answer (exit %2): %3")
                             .arg(m_framework)
                             .arg(m_process.exitCode())
                             .arg(QString::fromUtf8(m_process.readAllStandardError()));
                return std::nullopt;
            }
            m_buffer += m_process.readAllStandardOutput();
        }
        const qsizetype end = m_buffer.indexOf('\n');
        const QJsonObject line = QJsonDocument::fromJson(m_buffer.left(end)).object();
        m_buffer.remove(0, end + 1);
        if (!line.value(QStringLiteral("ready")).toBool()) {
            *error = QStringLiteral("unexpected fixture output");
            return std::nullopt;
        }
        return line;
    }

    QString m_framework;
    QStringList m_arguments;
    QProcess m_process;
    QByteArray m_buffer;
};

// "cmdstat_llen:calls=3,usec=..." lines of INFO commandstats -> {"llen": 3}.
QHash<QString, qint64> commandCalls(const QByteArray &info)
{
    QHash<QString, qint64> calls;
    for (const QByteArray &line : info.split('\n')) {
        if (!line.startsWith("cmdstat_"))
            continue;
        const qsizetype colon = line.indexOf(':');
        const qsizetype start = line.indexOf("calls=", colon) + 6;
        const qsizetype end = line.indexOf(',', start);
        calls.insert(QString::fromUtf8(line.mid(8, colon - 8)),
                     line.mid(start, end - start).toLongLong());
    }
    return calls;
}

QByteArray infoField(const QByteArray &info, const QByteArray &name)
{
    for (const QByteArray &line : info.split('\n')) {
        if (line.startsWith(name + ':'))
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

using Adapters = QList<std::shared_ptr<const QueueAdapter>>;

Adapters bullFamily(const QByteArray &prefix)
{
    return {std::make_shared<BullMqAdapter>(prefix), std::make_shared<BullAdapter>(prefix)};
}

std::unique_ptr<qs::redis::RedisConnection> connectTo(const RedisServer &server)
{
    auto connection = std::make_unique<qs::redis::RedisConnection>(server.profile());
    connection->open();
    if (!qs::test::waitForState(*connection, qs::redis::ConnectionState::Connected))
        return nullptr;
    return connection;
}

// One full discovery pass; "framework/name" sorted, e.g. "bull/legacy", "bullmq/emails".
QStringList discover(qs::redis::RedisConnection &connection, const Adapters &adapters,
                     QList<QueueRef> *found, QString *error)
{
    QueueDiscovery discovery(&connection, adapters);
    QSignalSpy finished(&discovery, &QueueDiscovery::finished);
    discovery.start();
    if (!finished.wait(15'000)) {
        *error = QStringLiteral("discovery did not finish");
        return {};
    }
    *error = finished.first().first().toString();
    *found = discovery.queues();
    QStringList names;
    for (const QueueRef &queue : *found)
        names.append(frameworkName(queue.framework) + QLatin1Char('/') +
                     QString::fromUtf8(queue.name));
    names.sort();
    return names;
}

// All queues in ONE pipeline, as the poller does; keyed by the queue's name.
QHash<QString, QueueCounts> countAll(qs::redis::RedisConnection &connection,
                                     const Adapters &adapters, const QList<QueueRef> &queues)
{
    auto adapterOf = [&adapters](const QueueRef &queue) {
        for (const auto &adapter : adapters) {
            if (adapter->framework() == queue.framework)
                return adapter;
        }
        return std::shared_ptr<const QueueAdapter>();
    };
    QList<qs::redis::RedisCommand> commands;
    QList<qsizetype> sizes;
    for (const QueueRef &queue : queues) {
        const auto queueCommands = adapterOf(queue)->countCommands(queue, 0);
        sizes.append(queueCommands.size());
        commands += queueCommands;
    }
    // The details, as the poller reads them on its slower cadence: in the same pipeline, and
    // the reads that depend on them in a second one.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<qsizetype> detailSizes;
    for (const QueueRef &queue : queues) {
        const auto detailCommands = adapterOf(queue)->detailCommands(queue, now);
        detailSizes.append(detailCommands.size());
        commands += detailCommands;
    }
    const auto result = qs::test::runPipeline(connection, commands);
    QHash<QString, QueueCounts> counts;
    if (!result || !result->ok())
        return counts;
    qsizetype offset = 0;
    for (qsizetype i = 0; i < queues.size(); ++i) {
        const QueueRef &queue = queues.at(i);
        counts.insert(
            QString::fromUtf8(queue.name),
            adapterOf(queue)->parseCounts(queue, result->replies.mid(offset, sizes.at(i))));
        offset += sizes.at(i);
    }
    QList<qs::redis::RedisCommand> followUp;
    QList<qsizetype> followUpSizes;
    for (qsizetype i = 0; i < queues.size(); ++i) {
        const QueueRef &queue = queues.at(i);
        QueueCounts &queueCounts = counts[QString::fromUtf8(queue.name)];
        QueueDetails details;
        details.readAtMs = now;
        const auto reads = adapterOf(queue)->parseDetails(
            queue, result->replies.mid(offset, detailSizes.at(i)), queueCounts, details);
        offset += detailSizes.at(i);
        queueCounts.details = details;
        followUp += reads;
        followUpSizes.append(reads.size());
    }
    const auto second = followUp.isEmpty() ? std::optional<qs::redis::PipelineResult>()
                                           : qs::test::runPipeline(connection, followUp);
    offset = 0;
    for (qsizetype i = 0; i < queues.size() && second && second->ok(); ++i) {
        const QueueRef &queue = queues.at(i);
        QueueDetails &details = *counts[QString::fromUtf8(queue.name)].details;
        adapterOf(queue)->parseDetailReads(queue, second->replies.mid(offset, followUpSizes.at(i)),
                                           details);
        offset += followUpSizes.at(i);
    }
    return counts;
}

// Differences between our details and the framework's own (frameworkDetails() in
// tests/queues/fixture-common.mjs), empty when they agree.
QString compareDetails(const QString &name, const QueueCounts &ours, const QJsonObject &theirs)
{
    if (!ours.details)
        return name + QStringLiteral(": no details");
    const QueueDetails &d = *ours.details;
    QStringList problems;
    if (!d.note.isEmpty())
        problems.append(QStringLiteral("note: ") + d.note);
    const QJsonValue since = theirs.value(QStringLiteral("oldestWaitingSinceMs"));
    if (since.isNull() != !d.oldestWaitingSinceMs ||
        (!since.isNull() && qint64(since.toDouble()) != *d.oldestWaitingSinceMs))
        problems.append(QStringLiteral("oldest waiting since ours %1 theirs %2 (%3)")
                            .arg(d.oldestWaitingSinceMs.value_or(-1))
                            .arg(qint64(since.toDouble(-1)))
                            .arg(d.oldestWaitingWhy));
    const std::pair<const char *, const Throughput *> outcomes[] = {{"completed", &d.completed},
                                                                    {"failed", &d.failed}};
    for (const auto &[outcome, throughput] : outcomes) {
        const qint64 expected = theirs.value(QLatin1String(outcome) + "LastMinute").toInteger(-1);
        if (throughput->lastMinute.value_or(-1) != expected || expected <= 0)
            problems.append(QStringLiteral("%1 in the last minute ours %2 theirs %3")
                                .arg(QLatin1String(outcome))
                                .arg(throughput->lastMinute.value_or(-1))
                                .arg(expected));
        // Nothing was trimmed yet, and every job of the set finished within the minute: the
        // count is flagged as a lower bound, as it would be once removeOnComplete trims.
        if (!throughput->atLeast)
            problems.append(QLatin1String(outcome) + QStringLiteral(" not flagged as at least"));
        const QJsonValue counter = theirs.value(QLatin1String(outcome) + "Counter");
        if (counter.isUndefined() != !throughput->total ||
            (!counter.isUndefined() && counter.toInteger() != throughput->total.value_or(-1)))
            problems.append(QStringLiteral("%1 counter ours %2 theirs %3")
                                .arg(QLatin1String(outcome))
                                .arg(throughput->total.value_or(-1))
                                .arg(counter.toInteger(-1)));
    }
    return problems.isEmpty() ? QString()
                              : name + QStringLiteral(": ") + problems.join(QStringLiteral(", "));
}

// The queues named by the BullMQ/Bull workers' connections (CLIENT LIST), as the Server page
// decodes them.
QStringList workerQueues(qs::redis::RedisConnection &connection)
{
    QStringList queues;
    const auto list = qs::test::runCommand(connection, {"CLIENT", "LIST"});
    if (!list)
        return queues;
    for (const QByteArray &line : list->reply.string.split('\n')) {
        const qsizetype at = line.indexOf(" name=");
        if (at < 0)
            continue;
        const QByteArray name = line.mid(at + 6, line.indexOf(' ', at + 6) - at - 6);
        const auto parsed = parseBullConnectionName(name);
        if (parsed && parsed->role == BullConnectionName::Role::Worker)
            queues.append(QString::fromUtf8(parsed->queue));
    }
    queues.removeDuplicates();
    queues.sort();
    return queues;
}

// Differences between our counts and the framework's {"counts": {...}, "paused": bool}, empty
// when they agree. Both frameworks keep "paused" apart where a legacy list exists; we fold it
// into waiting. Every state must be non-empty, so that each one was really exercised.
QString compare(const QString &name, const QueueCounts &ours, const QJsonObject &theirs,
                const QStringList &states)
{
    const QJsonObject fw = theirs.value(QStringLiteral("counts")).toObject();
    QStringList problems;
    if (!ours.note.isEmpty())
        problems.append(QStringLiteral("note: ") + ours.note);
    for (const QString &state : states) {
        qint64 expected = fw.value(state).toInteger(-1);
        if (state == QLatin1String("waiting"))
            expected += fw.value(QStringLiteral("paused")).toInteger(0);
        const qint64 actual = ours.count(state).value_or(-1);
        if (actual != expected || actual <= 0)
            problems.append(
                QStringLiteral("%1 ours %2 theirs %3").arg(state).arg(actual).arg(expected));
    }
    if (ours.counts.size() != states.size())
        problems.append(
            QStringLiteral("%1 states, expected %2").arg(ours.counts.size()).arg(states.size()));
    if (ours.paused != theirs.value(QStringLiteral("paused")).toBool())
        problems.append(QStringLiteral("paused ours %1").arg(ours.paused));
    return problems.isEmpty() ? QString()
                              : name + QStringLiteral(": ") + problems.join(QStringLiteral(", "));
}

const QStringList kBullMqStates{"waiting",   "active", "delayed",         "prioritized",
                                "completed", "failed", "waiting-children"};
const QStringList kBullStates{"waiting", "active", "delayed", "completed", "failed"};

QStringList statesOf(Framework framework)
{
    return framework == Framework::Bull ? kBullStates : kBullMqStates;
}

} // namespace

class TestBullQueues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = BullFixture::missingTools();
        if (!missing.isEmpty())
            QSKIP(qPrintable(missing));
    }

    void bullMq6EveryState()
    {
        run("bull", {{"bullmq", {"emails", "reports"}, {"emails"}, {"reports"}}});
        if (QTest::currentTestFailed())
            return;
        // The workers' connections are named <prefix>:<base64(queue)>: decoded, they name them.
        QCOMPARE(m_workerQueues, (QStringList{"emails", "reports"}));
    }

    void bullMq5PausedCountsLegacyList()
    {
        run("bull", {{"bullmq5", {"legacy5"}, {"legacy5"}}}, [](const RedisServer &server) {
            // BullMQ 5's pause() RENAMEd wait to the legacy list, and later adds went there too.
            QCOMPARE(server.cli({"EXISTS", "bull:legacy5:wait"}).trimmed(), QByteArray("0"));
            QVERIFY(server.cli({"LLEN", "bull:legacy5:paused"}).trimmed().toInt() > 3);
        });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_counts.value("legacy5").version, QStringLiteral("bullmq:5.47.3"));
    }

    void bull4EveryState()
    {
        run("bull", {{"bull", {"legacy", "plain"}, {"legacy"}, {"plain"}}},
            [](const RedisServer &server) {
                // Prioritized Bull jobs sit inside wait/paused; <q>:priority only indexes them.
                QVERIFY(server.cli({"ZCARD", "bull:plain:priority"}).trimmed().toInt() > 0);
                QCOMPARE(server.cli({"TYPE", "bull:legacy:meta"}).trimmed(), QByteArray("hash"));
            });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_workerQueues, (QStringList{"legacy", "plain"}));
    }

    void hashTagPrefix()
    {
        run("{bull}", {{"bullmq", {"tagged"}, {}}, {"bull", {"tagged-bull"}, {"tagged-bull"}}},
            [](const RedisServer &server) {
                QCOMPARE(server.cli({"TYPE", "{bull}:tagged:meta"}).trimmed(), QByteArray("hash"));
            });
        if (QTest::currentTestFailed())
            return;
        // The default prefix sees none of them.
        QString error;
        QList<QueueRef> found;
        QVERIFY(discover(*m_connection, bullFamily("bull"), &found, &error).isEmpty());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void unicodeAndOddNames()
    {
        run("bull", {{"bullmq", {"émails-📧", "with space", "dash-and.dot"}, {"with space"}},
                     {"bull", {"bull ünï-📦", "mail:out"}, {}}});
    }

    void bullAndBullMqSideBySide()
    {
        // The traps: BullMQ's queue has a :id counter like Bull's, and the paused Bull queue
        // has a :meta hash like BullMQ's. Each queue must be reported once, by its adapter.
        run("bull",
            {{"bull", {"legacy", "classic"}, {"legacy"}},
             {"bullmq", {"modern", "fresh"}, {"modern"}}},
            [](const RedisServer &server) {
                QCOMPARE(server.cli({"TYPE", "bull:modern:id"}).trimmed(), QByteArray("string"));
                QCOMPARE(server.cli({"TYPE", "bull:legacy:meta"}).trimmed(), QByteArray("hash"));
            });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(m_names,
                 (QStringList{"bull/classic", "bull/legacy", "bullmq/fresh", "bullmq/modern"}));
    }

    void countingSendsNoWrite();

private:
    struct Spec
    {
        QString framework; // "bullmq", "bullmq5" or "bull"
        QStringList queues;
        QStringList paused;
        QStringList metrics = {}; // queues whose worker (BullMQ) or queue (Bull) keeps metrics
    };
    using Check = std::function<void(const RedisServer &)>;
    // Starts a server and the fixtures, runs `check` on the data, discovers with both adapters,
    // counts (before asking the frameworks) and compares every state.
    void run(const QByteArray &prefix, const QList<Spec> &specs, const Check &check = {});

    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<qs::redis::RedisConnection> m_connection;
    QStringList m_names;
    QHash<QString, QueueCounts> m_counts;
    QStringList m_workerQueues; // decoded from the workers' connection names
};

void TestBullQueues::run(const QByteArray &prefix, const QList<Spec> &specs, const Check &check)
{
    m_connection.reset();
    m_server = std::make_unique<RedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    std::vector<std::unique_ptr<BullFixture>> fixtures;
    QStringList expected;
    for (const Spec &spec : specs) {
        fixtures.push_back(std::make_unique<BullFixture>(spec.framework, *m_server,
                                                         QString::fromUtf8(prefix), spec.queues,
                                                         spec.paused, spec.metrics));
        QVERIFY2(fixtures.back()->start(&error), qPrintable(error));
        for (const QString &queue : spec.queues)
            expected.append((spec.framework == "bull" ? "bull/" : "bullmq/") + queue);
    }
    expected.sort();
    if (check) {
        check(*m_server);
        if (QTest::currentTestFailed())
            return;
    }
    m_connection = connectTo(*m_server);
    QVERIFY(m_connection);
    const Adapters adapters = bullFamily(prefix);
    QList<QueueRef> found;
    m_names = discover(*m_connection, adapters, &found, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(m_names, expected);

    m_workerQueues = workerQueues(*m_connection); // while the fixtures' workers run
    m_counts = countAll(*m_connection, adapters, found);
    QCOMPARE(m_counts.size(), found.size());
    for (const auto &fixture : fixtures) {
        const std::optional<QJsonObject> theirs = fixture->counts(&error);
        QVERIFY2(theirs, qPrintable(error));
        for (auto it = theirs->begin(); it != theirs->end(); ++it) {
            const QueueCounts ours = m_counts.value(it.key());
            const QString problems =
                compare(it.key(), ours, it.value().toObject(), statesOf(ours.queue.framework));
            QVERIFY2(problems.isEmpty(), qPrintable(problems));
            const QString detailProblems = compareDetails(
                it.key(), ours, it.value().toObject().value(QStringLiteral("details")).toObject());
            QVERIFY2(detailProblems.isEmpty(), qPrintable(detailProblems));
            if (ours.queue.framework == Framework::BullMQ && fixture->framework() == "bullmq")
                QCOMPARE(ours.version, QStringLiteral("bullmq:6.7.0"));
        }
    }
}

void TestBullQueues::countingSendsNoWrite()
{
    m_server = std::make_unique<RedisServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    {
        BullFixture bullmq("bullmq", *m_server, "bull", {"modern"}, {"modern"});
        BullFixture bull("bull", *m_server, "bull", {"legacy"}, {"legacy"});
        QVERIFY2(bullmq.start(&error), qPrintable(error));
        QVERIFY2(bull.start(&error), qPrintable(error));
    } // the frameworks' clients (workers write: locks, stalled checks) are gone from here on
    m_connection = connectTo(*m_server);
    QVERIFY(m_connection);
    auto info = [this](const QByteArray &section) {
        const auto outcome = qs::test::runCommand(*m_connection, {"INFO", section});
        return outcome ? outcome->reply.string : QByteArray();
    };
    QVERIFY(QTest::qWaitFor([&] { return info("clients").contains("connected_clients:1\r\n"); }));

    const auto before = commandCalls(info("commandstats"));
    const QByteArray dirtyBefore = infoField(info("persistence"), "rdb_changes_since_last_save");
    QVERIFY(!dirtyBefore.isEmpty()); // Redis' count of writes ("dirty"); expiries do not count
    const Adapters adapters = bullFamily("bull");
    QList<QueueRef> found;
    QCOMPARE(discover(*m_connection, adapters, &found, &error),
             (QStringList{"bull/legacy", "bullmq/modern"}));
    QCOMPARE(countAll(*m_connection, adapters, found).size(), 2);
    const auto after = commandCalls(info("commandstats"));

    QCOMPARE(infoField(info("persistence"), "rdb_changes_since_last_save"), dirtyBefore);
    QStringList used;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (it.value() > before.value(it.key()))
            used.append(it.key());
    }
    used.sort();
    // Everything discovery and counting sent, plus the INFO calls of this test.
    QCOMPARE(used, (QStringList{"exists", "hget", "hmget", "info", "lindex", "llen", "scan", "type",
                                "zcard", "zcount"}));
    for (const QString &command : used) {
        const auto flags =
            qs::test::runCommand(*m_connection, {"COMMAND", "INFO", command.toUtf8()});
        QVERIFY(flags && flags->reply.elements.size() == 1);
        const auto &entry = flags->reply.elements.first().elements;
        QVERIFY(entry.size() > 2);
        for (const auto &flag : entry.at(2).elements)
            QVERIFY2(flag.string != "write", qPrintable(command));
    }
}

QTEST_GUILESS_MAIN(TestBullQueues)
#include "tst_bullqueues.moc"
