#include "queuecounting.h"

#include "connectionwait.h"

#include "queues/queuediscovery.h"

#include <QDateTime>
#include <QTest>

namespace qs::test {

namespace {

const char kMonitorSecret[] = "monitor-secret";

} // namespace

RedisServerOptions readOnlyMonitorOptions()
{
    RedisServerOptions options;
    options.aclUsers << QStringLiteral("monitor on >%1 ~* &* +@read +ping +info -client")
                            .arg(QLatin1String(kMonitorSecret));
    return options;
}

core::ConnectionProfile readOnlyMonitorProfile(const RedisServer &server)
{
    core::ConnectionProfile profile = server.profile();
    profile.username = QStringLiteral("monitor");
    profile.password = QLatin1String(kMonitorSecret);
    profile.readOnly = true;
    return profile;
}

bool FrameworkRun::start(const QString &program, const QString &script, const QStringList &options,
                         const QList<QByteArray> &queues, QString *error)
{
    if (!server.start(error))
        return false;
    fixture = std::make_unique<FrameworkFixture>(program,
                                                 fixtureArguments(script, url(), options, queues));
    if (!fixture->start(error))
        return false;
    monitor = openConnection(readOnlyMonitorProfile(server));
    if (!monitor)
        *error = QStringLiteral("the monitor user did not connect");
    return monitor != nullptr;
}

QString FrameworkRun::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port());
}

QList<queues::QueueRef> discover(redis::RedisConnection &connection, const Adapters &adapters,
                                 QString *error)
{
    queues::QueueDiscovery discovery(&connection, adapters);
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

QSet<QByteArray> namesOf(const QList<queues::QueueRef> &refs)
{
    QSet<QByteArray> names;
    for (const queues::QueueRef &ref : refs)
        names.insert(ref.name);
    return names;
}

QStringList qualifiedNames(const QList<queues::QueueRef> &refs)
{
    QStringList names;
    for (const queues::QueueRef &ref : refs)
        names.append(queues::frameworkName(ref.framework) + QLatin1Char('/') +
                     QString::fromUtf8(ref.name));
    names.sort();
    return names;
}

CountRound countAll(redis::RedisConnection &connection, const Adapters &adapters,
                    const QList<queues::QueueRef> &refs, const queues::ServerCounts &previous)
{
    auto adapterOf = [&adapters](const queues::QueueRef &ref) -> const queues::QueueAdapter & {
        for (const auto &adapter : adapters) {
            if (adapter->framework() == ref.framework)
                return *adapter;
        }
        qFatal("no adapter for a discovered queue");
    };
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<redis::RedisCommand> commands;
    QList<qsizetype> sizes;
    for (const queues::QueueRef &ref : refs) {
        const QList<redis::RedisCommand> some = adapterOf(ref).countCommands(ref, now);
        sizes.append(some.size());
        commands += some;
    }
    const QList<redis::RedisCommand> server =
        adapters.size() == 1 ? adapters.first()->serverCountCommands(now, previous)
                             : QList<redis::RedisCommand>();
    commands += server;

    // The details, as the poller reads them on its slower cadence: in the same pipeline, and
    // the reads that depend on them in a second one.
    QList<qsizetype> detailSizes;
    for (const queues::QueueRef &ref : refs) {
        const QList<redis::RedisCommand> some = adapterOf(ref).detailCommands(ref, now);
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
        round.queues.append(
            adapterOf(refs.at(i)).parseCounts(refs.at(i), result->replies.mid(at, sizes.at(i))));
        at += sizes.at(i);
    }
    if (!server.isEmpty())
        round.server = adapters.first()->parseServerCounts(result->replies.mid(at, server.size()));
    at += server.size();
    QList<redis::RedisCommand> followUp;
    QList<qsizetype> followUpSizes;
    for (int i = 0; i < refs.size(); ++i) {
        queues::QueueDetails details;
        details.readAtMs = now;
        const QList<redis::RedisCommand> reads =
            adapterOf(refs.at(i))
                .parseDetails(refs.at(i), result->replies.mid(at, detailSizes.at(i)),
                              round.queues.at(i), details);
        at += detailSizes.at(i);
        round.queues[i].details = std::make_shared<queues::QueueDetails>(details);
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
        auto details = std::make_shared<queues::QueueDetails>(*round.queues[i].details);
        adapterOf(refs.at(i))
            .parseDetailReads(refs.at(i), second->replies.mid(at, followUpSizes.at(i)), *details);
        round.queues[i].details = std::move(details);
        at += followUpSizes.at(i);
    }
    return round;
}

QHash<QString, qint64> commandCalls(redis::RedisConnection &admin)
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
        const qsizetype start = line.indexOf("calls=", colon) + 6;
        const qsizetype end = line.indexOf(',', start);
        calls.insert(QString::fromUtf8(line.mid(8, colon - 8)),
                     line.mid(start, end - start).toLongLong());
    }
    return calls;
}

CommandUse commandsUsedBy(redis::RedisConnection &admin, const std::function<void()> &round)
{
    const QHash<QString, qint64> before = commandCalls(admin);
    round();
    const QHash<QString, qint64> after = commandCalls(admin);
    CommandUse use;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (it.value() > before.value(it.key()))
            use.grown.append(it.key());
    }
    use.grown.sort();
    for (const QString &command : std::as_const(use.grown)) {
        const std::optional<CommandOutcome> info =
            runCommand(admin, {"COMMAND", "INFO", command.toUtf8()});
        if (!info || info->reply.elements.size() != 1 ||
            info->reply.elements.first().elements.size() <= 2) {
            use.writes.append(command + QStringLiteral(" (COMMAND INFO did not answer)"));
            continue;
        }
        for (const redis::RedisReply &flag : info->reply.elements.first().elements.at(2).elements) {
            if (flag.string == "write")
                use.writes.append(command);
        }
    }
    return use;
}

CommandUse commandsOfCounting(const RedisServer &server, redis::RedisConnection &monitor,
                              const Adapters &adapters, const QList<queues::QueueRef> &refs,
                              const queues::ServerCounts &previous)
{
    const std::unique_ptr<redis::RedisConnection> admin = openConnection(server.profile());
    if (!admin) {
        CommandUse use;
        use.error = QStringLiteral("no admin connection");
        return use;
    }
    QString countError;
    CommandUse use = commandsUsedBy(
        *admin, [&] { countError = countAll(monitor, adapters, refs, previous).error; });
    use.error = countError;
    return use;
}

} // namespace qs::test
