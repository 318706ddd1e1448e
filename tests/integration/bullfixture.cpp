#include "bullfixture.h"

#include "connectionwait.h"

#include "core/redisurl.h"
#include "frameworks/bullfamily/bullconnectionname.h"

#include <QFile>
#include <QStandardPaths>

namespace qs::test {

using queues::QueueCounts;
using queues::QueueDetails;
using queues::Throughput;

namespace {

QString fixturesDir()
{
    return sourcePath(QStringLiteral("tests/queues"));
}

QStringList arguments(const QString &framework, const RedisServer &server, const QString &prefix,
                      const QStringList &queues, const QStringList &paused,
                      const QStringList &metrics)
{
    const bool bull = framework == QLatin1String("bull");
    QStringList arguments{fixturesDir() +
                              (bull ? "/make-bull-states.mjs" : "/make-bullmq-states.mjs"),
                          "--redis",
                          core::toRedisUrl(server.profile(), core::Secret::Included),
                          "--prefix",
                          prefix,
                          "--defer-counts"};
    if (!bull)
        arguments << "--module" << framework;
    for (const QString &queue : queues)
        arguments << "--queue" << queue;
    for (const QString &queue : paused)
        arguments << "--paused" << queue;
    for (const QString &queue : metrics)
        arguments << "--metrics" << queue;
    return arguments;
}

const QStringList kBullMqStates{"waiting",   "active", "delayed",         "prioritized",
                                "completed", "failed", "waiting-children"};
const QStringList kBullStates{"waiting", "active", "delayed", "completed", "failed"};

} // namespace

BullFixture::BullFixture(const QString &framework, const RedisServer &server, const QString &prefix,
                         const QStringList &queues, const QStringList &paused,
                         const QStringList &metrics)
    : m_framework(framework)
    , m_process(QStringLiteral("node"),
                arguments(framework, server, prefix, queues, paused, metrics), fixturesDir())
{
}

QString BullFixture::missingTools()
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

bool BullFixture::start(QString *error)
{
    if (m_process.start(error, 60'000))
        return true;
    *error = m_framework + QStringLiteral(" fixture: ") + *error;
    return false;
}

std::optional<QJsonObject> BullFixture::counts(QString *error)
{
    const std::optional<QJsonObject> line = m_process.request("counts");
    if (!line || !line->value(QStringLiteral("ready")).toBool()) {
        *error = QStringLiteral("%1 fixture gave no counts: %2")
                     .arg(m_framework, m_process.stderrTail());
        return std::nullopt;
    }
    return line->value(QStringLiteral("queues")).toObject();
}

QString compareCounts(const QString &name, const QueueCounts &ours, const QJsonObject &theirs)
{
    const QStringList &states =
        ours.queue.framework == queues::Framework::Bull ? kBullStates : kBullMqStates;
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

QStringList workerQueues(redis::RedisConnection &connection)
{
    QStringList names;
    const auto list = runCommand(connection, {"CLIENT", "LIST"});
    if (!list)
        return names;
    for (const QByteArray &line : list->reply.string.split('\n')) {
        const qsizetype at = line.indexOf(" name=");
        if (at < 0)
            continue;
        const QByteArray name = line.mid(at + 6, line.indexOf(' ', at + 6) - at - 6);
        const auto parsed = queues::parseBullConnectionName(name);
        if (parsed && parsed->role == queues::BullConnectionName::Role::Worker)
            names.append(QString::fromUtf8(parsed->queue));
    }
    names.removeDuplicates();
    names.sort();
    return names;
}

} // namespace qs::test
