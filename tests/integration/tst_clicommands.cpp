// Every job command of the real `queuescope` binary against jobs made by each framework's own
// client and workers (tests/queues/make-*): `jobs` in every state, `job` on a listed job and on
// an id that cannot exist (a jid with a space), and every action verb the framework supports,
// refused without --yes and run with it. Each run must end by itself, well within its deadline:
// `job sidekiq/Q JID` used to wait forever for an answer delivered before it started waiting.
#include "cliprocess.h"
#include "frameworkfixture.h"
#include "redisserver.h"

#include "frameworks/registry.h"
#include "queues/jobsource.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QStandardPaths>
#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

constexpr int kRunDeadlineMs = 60'000; // far above --timeout 5: reaching it means a hang
const QString kTimeout = QStringLiteral("5");

struct Setup
{
    QString program;
    QStringList arguments; // the fixture's, before the URL is known
    QString missing;       // why it cannot run here, or empty
};

Setup setupFor(queues::Framework framework, const QString &url, const QString &queue)
{
    const QString dir = sourcePath(QStringLiteral("tests/queues/"));
    const bool node = !QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty() &&
                      QFile::exists(dir + QStringLiteral("node_modules/bullmq/package.json"));
    switch (framework) {
    case queues::Framework::BullMQ:
    case queues::Framework::Bull: {
        const bool bull = framework == queues::Framework::Bull;
        return {QStringLiteral("node"),
                {dir + (bull ? QStringLiteral("make-bull-states.mjs")
                             : QStringLiteral("make-bullmq-states.mjs")),
                 QStringLiteral("--redis"), url, QStringLiteral("--prefix"), QStringLiteral("bull"),
                 QStringLiteral("--queue"), queue, QStringLiteral("--defer-counts")},
                node ? QString() : QStringLiteral("node or tests/queues/node_modules is missing")};
    }
    case queues::Framework::Celery:
    case queues::Framework::RQ: {
        const bool celery = framework == queues::Framework::Celery;
        const QString python = QStringLiteral("/usr/bin/python3");
        const bool has =
            probe(python, {QStringLiteral("-c"),
                           celery ? QStringLiteral("import celery") : QStringLiteral("import rq")});
        return {python,
                {dir + (celery ? QStringLiteral("make_celery_states.py")
                               : QStringLiteral("make_rq_states.py")),
                 QStringLiteral("--url"), url, QStringLiteral("--queues"), queue},
                has ? QString() : QStringLiteral("python3 celery/rq is not installed")};
    }
    case queues::Framework::Sidekiq: {
        const bool has = probe(QStringLiteral("ruby"),
                               {QStringLiteral("-e"), QStringLiteral("require 'sidekiq/api'")});
        return {QStringLiteral("ruby"),
                {dir + QStringLiteral("make_sidekiq_states.rb"), QStringLiteral("--url"), url,
                 QStringLiteral("--queues"), queue},
                has ? QString() : QStringLiteral("ruby-sidekiq is not installed")};
    }
    }
    return {};
}

// One run, with its duration; fails the test when the binary did not end by itself.
struct TimedRun
{
    CliRun run;
    qint64 ms = 0;
};

TimedRun queuescope(const QStringList &args)
{
    QElapsedTimer clock;
    clock.start();
    TimedRun timed{runQueuescope(args, {}, kRunDeadlineMs), 0};
    timed.ms = clock.elapsed();
    return timed;
}

#define VERIFY_ENDED(timed, what)                                                                  \
    QVERIFY2(                                                                                      \
        (timed).run.exitCode >= 0,                                                                 \
        qPrintable(                                                                                \
            QStringLiteral("%1 did not end within %2 s").arg(what).arg(kRunDeadlineMs / 1000)))

// The command line of an action on `queue`, as an operator would type it for this framework.
QStringList actionArguments(jobs::JobAction action, const jobs::ActionSupport &support,
                            const QString &queue)
{
    QStringList args{jobs::actionName(action), queue};
    switch (support.selection) {
    case jobs::Selection::Queue:
        break;
    case jobs::Selection::All: // clean STATE
        args << support.states.first().first;
        break;
    case jobs::Selection::Ids:
    case jobs::Selection::IdsOrAll:
        // An id no framework can have: nothing is touched, every step still runs.
        args << QStringLiteral("--job") << QStringLiteral("qs-no-such-job");
        if (!support.states.isEmpty())
            args << QStringLiteral("--state") << support.states.first().first;
        break;
    }
    return args;
}

} // namespace

class TestCliCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN"))); }

    void everyCommandEnds_data()
    {
        QTest::addColumn<QString>("frameworkName");
        for (const char *name : {"bullmq", "bull", "celery", "rq", "sidekiq"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void everyCommandEnds()
    {
        QFETCH(QString, frameworkName);
        const queues::Framework framework = *queues::frameworkFromName(frameworkName);
        RedisServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString url = QStringLiteral("redis://127.0.0.1:%1/0").arg(server.port());
        const QString name = QStringLiteral("mails");
        const Setup setup = setupFor(framework, url, name);
        if (!setup.missing.isEmpty())
            QSKIP(qPrintable(setup.missing));
        FrameworkFixture fixture(setup.program, setup.arguments);
        QVERIFY2(fixture.start(&error), qPrintable(error));

        if (framework == queues::Framework::Celery) {
            // The fixture has no result backend: one failure, stored by Celery's own backend,
            // is the job `job` can look up by id (pending messages have no index by id).
            const QString store = QStringLiteral(
                "import sys; from celery import Celery; "
                "app = Celery(broker=sys.argv[1], backend=sys.argv[1]); "
                "app.backend.mark_as_failure('qs-cli-failure', ValueError('fixture failure'))");
            QVERIFY(probe(setup.program, {QStringLiteral("-c"), store, url}));
        }
        queues::QueueRef ref;
        ref.framework = framework;
        ref.name = name.toUtf8();
        const QString queue = queues::frameworkName(framework) + QLatin1Char('/') + name;
        const QStringList target{QStringLiteral("--url"), url, QStringLiteral("--timeout"),
                                 kTimeout};

        // jobs: every state the framework lists; one job id per non-empty state.
        QStringList ids;
        const QStringList states = frameworks::makeJobSource(framework)->stateNames(ref);
        QVERIFY(!states.isEmpty());
        for (const QString &state : states) {
            QString cursor;
            // SCAN-based states (Celery) may answer a page with no job and a cursor: follow it.
            for (int page = 0; page < 50; ++page) {
                QStringList args =
                    QStringList{QStringLiteral("jobs"), queue, state, QStringLiteral("--json")} +
                    target;
                if (!cursor.isEmpty())
                    args << QStringLiteral("--cursor") << cursor;
                const TimedRun listed = queuescope(args);
                VERIFY_ENDED(listed, QStringLiteral("jobs %1 %2").arg(queue, state));
                QVERIFY2(listed.run.exitCode == 0, listed.run.err);
                const QJsonObject json = listed.run.json();
                const QJsonArray jobs = json.value(QStringLiteral("jobs")).toArray();
                cursor = json.value(QStringLiteral("nextCursor")).toString();
                if (!jobs.isEmpty()) {
                    ids << jobs.first().toObject().value(QStringLiteral("id")).toString();
                    break;
                }
                if (cursor.isEmpty() || cursor == QLatin1String("0"))
                    break;
            }
        }
        QVERIFY2(!ids.isEmpty(), "the fixture made no job this test could list");

        // job: each listed job, as text and as JSON. At least one is found (some frameworks
        // cannot look up every state by id; those say so and exit 1, they never hang).
        int found = 0;
        for (const QString &id : std::as_const(ids)) {
            for (const bool json : {false, true}) {
                QStringList args = QStringList{QStringLiteral("job"), queue, id} + target;
                if (json)
                    args << QStringLiteral("--json");
                const TimedRun shown = queuescope(args);
                VERIFY_ENDED(shown, QStringLiteral("job %1 %2").arg(queue, id));
                QVERIFY2(shown.run.exitCode == 0 || shown.run.exitCode == 1, shown.run.err);
                if (shown.run.exitCode == 0) {
                    QVERIFY2(shown.run.out.contains(id.toUtf8()), shown.run.out);
                    ++found;
                }
            }
        }
        QVERIFY2(found > 0, qPrintable(ids.join(QLatin1Char(' '))));
        // An id that cannot exist (and for Sidekiq cannot even be matched): "not found", at once.
        const TimedRun missing = queuescope(
            QStringList{QStringLiteral("job"), queue, QStringLiteral("no such job")} + target);
        VERIFY_ENDED(missing, QStringLiteral("job with a space"));
        QCOMPARE(missing.run.exitCode, 1);
        QVERIFY(!missing.run.err.isEmpty());

        // Every action verb: refused without --yes (after reading the counts), then run. The
        // destructive ones go last so that the others still see the fixture's jobs.
        QList<jobs::JobAction> actions = frameworks::supportedActions(framework);
        std::stable_partition(actions.begin(), actions.end(), [framework](jobs::JobAction a) {
            return !frameworks::actionSupport(framework, a).destructive;
        });
        QVERIFY(!actions.isEmpty());
        for (const jobs::JobAction action : std::as_const(actions)) {
            const jobs::ActionSupport support = frameworks::actionSupport(framework, action);
            const QStringList args = actionArguments(action, support, queue) + target;
            const TimedRun dry = queuescope(args);
            VERIFY_ENDED(dry, args.join(QLatin1Char(' ')));
            QVERIFY2(dry.run.exitCode == 4, dry.run.out + dry.run.err);
            QVERIFY2(dry.run.err.contains("add --yes"), dry.run.err);

            const TimedRun done =
                queuescope(args + QStringList{QStringLiteral("--yes"), QStringLiteral("--json")});
            VERIFY_ENDED(done, args.join(QLatin1Char(' ')) + QStringLiteral(" --yes"));
            const QJsonObject summary = done.run.json();
            QVERIFY2(summary.contains(QStringLiteral("completed")), done.run.out + done.run.err);
            // Done, partly done (the id does not exist) or refused by the framework's own rule
            // (Celery restores nothing while a worker lives): an answer, never a hang.
            QVERIFY2(done.run.exitCode == 0 || done.run.exitCode == 1 || done.run.exitCode == 4,
                     done.run.out + done.run.err);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliCommands)
#include "tst_clicommands.moc"
