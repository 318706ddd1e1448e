// The action scripts as the engine sees them: every built-in script's header is complete, every
// action a framework offers has its script, includes are inlined (once, nested, cycles and
// missing ones refused), arguments expand to the right keys for odd queue names, and payloads are
// edited without touching any other byte.
#include "frameworks/registry.h"
#include "frameworks/sidekiq/sidekiqfeed.h"
#include "jobs/actionsummary.h"
#include "queues/actionscript.h"
#include "queues/jsonedit.h"
#include "queues/scriptcall.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QTest>

using namespace qs::jobs;
using qs::frameworks::actionSupport;
using qs::frameworks::supportedActions;
using qs::queues::Framework;

class TestActionScripts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everySupportedActionHasAParsableScript()
    {
        int checked = 0;
        for (Framework framework : {Framework::BullMQ, Framework::Bull, Framework::Celery,
                                    Framework::RQ, Framework::Sidekiq}) {
            for (JobAction action : supportedActions(framework)) {
                const ActionSupport support = actionSupport(framework, action);
                QString error;
                const auto script = ActionScript::builtIn(support.script, &error);
                QVERIFY2(script, qPrintable(support.script + QStringLiteral(": ") + error));
                QVERIFY2(!script->keys.isEmpty(), qPrintable(support.script));
                QCOMPARE(script->sha1.size(), 40);
                ++checked;
            }
        }
        QVERIFY(checked >= 20);
    }

    void unsupportedActionsSayWhy()
    {
        const ActionSupport pause = actionSupport(Framework::Sidekiq, JobAction::Pause);
        QVERIFY(!pause.supported);
        QVERIFY(pause.reason.contains(QLatin1String("Pro")));
        QVERIFY(!actionSupport(Framework::RQ, JobAction::Pause).reason.isEmpty());
        QVERIFY(!actionSupport(Framework::Celery, JobAction::Clean).reason.isEmpty());
    }

    void malformedHeadersAreRejected()
    {
        QString error;
        QVERIFY(!ActionScript::parse(QStringLiteral("x"), "--! keys: a\nreturn 1", &error));
        QVERIFY(error.contains(QLatin1String("needs")));
        QVERIFY(!ActionScript::parse(QStringLiteral("x"),
                                     "--! keys: a\n--! argv: b\n--! items: id\n--! returns: many\n",
                                     &error));
        QVERIFY(error.contains(QLatin1String("many")));
    }

    void includesAreInlinedOnceNestedAndCheckedForCyclesAndMissingOnes()
    {
        const QHash<QString, QByteArray> files{
            {QStringLiteral("outer"), "--! include: inner\nlocal outer = inner + 1\n"},
            {QStringLiteral("inner"), "local inner = 1\n"},
            {QStringLiteral("broken"), "--! include: gone\n"},
            {QStringLiteral("a"), "--! include: b\n"},
            {QStringLiteral("b"), "--! include: c\n"},
            {QStringLiteral("c"), "--! include: a\n"},
            {QStringLiteral("self"), "--! include: self\n"},
            {QStringLiteral("header"), "--! keys: k\nlocal x = 1\n"},
        };
        const IncludeLoader loader = [&files](const QString &name) -> std::optional<QByteArray> {
            if (const auto it = files.constFind(name); it != files.constEnd())
                return *it;
            return std::nullopt;
        };
        QString error;
        // outer includes inner; the script names inner again: inlined once, where first named
        const auto expanded = expandIncludes(
            "--! keys: k\n--! include: outer\n  --! include:  inner \r\nreturn outer\n", loader,
            &error);
        QVERIFY2(expanded, qPrintable(error));
        QCOMPARE(
            *expanded,
            QByteArray("--! keys: k\nlocal inner = 1\nlocal outer = inner + 1\nreturn outer\n"));
        const QByteArray plain = "--! keys: k\nreturn 1"; // nothing to include: unchanged
        QCOMPARE(*expandIncludes(plain, loader, &error), plain);

        QVERIFY(!expandIncludes("--! include: inner\n--! include: nope\n", loader, &error));
        QVERIFY2(error.contains(QLatin1String("'nope'")), qPrintable(error));
        QVERIFY(!expandIncludes("--! include: broken\n", loader, &error));
        QVERIFY2(error.contains(QLatin1String("'gone'")) &&
                     error.contains(QLatin1String("include/broken.lua")),
                 qPrintable(error));

        QVERIFY(!expandIncludes("x\n--! include: a\n", loader, &error));
        QCOMPARE(error, QStringLiteral("include cycle: a -> b -> c -> a"));
        QVERIFY(!expandIncludes("--! include: self\n", loader, &error));
        QCOMPARE(error, QStringLiteral("include cycle: self -> self"));

        QVERIFY(!expandIncludes("--! include: header\n", loader, &error));
        QVERIFY2(error.contains(QLatin1String("top-level")), qPrintable(error));
        QVERIFY(!expandIncludes("--! include: ../inner\n", loader, &error));
        QVERIFY2(error.contains(QLatin1String("bad include name")), qPrintable(error));

        // parse takes the expanded source only
        QVERIFY(!ActionScript::parse(
            QStringLiteral("x"),
            "--! include: inner\n--! keys: a\n--! argv: b\n--! items: id\n--! returns: standard\n",
            &error));
        QVERIFY2(error.contains(QLatin1String("include")), qPrintable(error));
    }

    void builtInScriptsAreExpandedAndHashedAsSent()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/queuescope/scripts/include/outcome.lua")));
        QString error;
        const auto script = ActionScript::builtIn(QStringLiteral("bullmq-clean"), &error);
        QVERIFY2(script, qPrintable(error));
        QVERIFY(!script->source.contains("--! include:"));
        QVERIFY(script->source.contains("local function skip(id, reason)"));
        QCOMPARE(script->sha1,
                 QCryptographicHash::hash(script->source, QCryptographicHash::Sha1).toHex());
        QCOMPARE(script->keys.size(), 9); // the header stays the script's own
    }

    void templatesExpandForBinaryAndHashTaggedNames()
    {
        ScriptParams params;
        params.state = "failed";
        const qs::queues::QueueRef queue{Framework::BullMQ, "{bull}", QByteArray("e\xffm\0x", 5)};
        QCOMPARE(expandTemplate("{p}:{q}:failed", queue, params),
                 QByteArray("{bull}:e\xffm\0x:failed", 19));
        QCOMPARE(expandTemplate("limit", queue, params), QByteArray("1000"));
        QCOMPARE(expandTemplate("state", queue, params), QByteArray("failed"));
        const qs::queues::QueueRef sidekiq{Framework::Sidekiq, "app", "default"};
        QCOMPARE(expandTemplate("{ns}queue:{q}", sidekiq, params), QByteArray("app:queue:default"));
        const qs::queues::QueueRef plain{Framework::Sidekiq, {}, "default"};
        QCOMPARE(expandTemplate("{ns}queue:{q}", plain, params), QByteArray("queue:default"));
        QCOMPARE(expandTemplate("{p}{q}{sep}3", qs::queues::QueueRef{Framework::Celery, {}, "c"},
                                params),
                 QByteArray("c\x06\x16"
                            "3"));
    }

    void commandCarriesKeysArgumentsAndItems()
    {
        QString error;
        const auto script = ActionScript::parse(
            QStringLiteral("t"),
            "--! keys: {p}:{q}:failed {p}:{q}:wait\n--! argv: {p}:{q}: mode limit\n"
            "--! items: id\n--! returns: standard\nreturn {0,0,0,{}}",
            &error);
        QVERIFY(script);
        const qs::queues::QueueRef queue{Framework::BullMQ, "bull", "q"};
        const auto command = scriptCommand(*script, queue, {}, {"7", "8"}, false);
        QCOMPARE(command,
                 (qs::redis::RedisCommand{"EVALSHA", script->sha1, "2", "bull:q:failed",
                                          "bull:q:wait", "bull:q:", "ids", "1000", "7", "8"}));
        QCOMPARE(scriptCommand(*script, queue, {}, {}, true).value(1), script->source);
    }

    void outcomeFollowsTheContract()
    {
        QString error;
        const auto script = ActionScript::parse(
            QStringLiteral("t"), "--! keys: k\n--! argv: a\n--! items: id\n--! returns: cursor\n",
            &error);
        using R = qs::redis::RedisReply;
        const ScriptOutcome outcome = parseOutcome(
            *script, R::array({R::number(3), R::number(1), R::number(0),
                               R::array({R::bulk("9"), R::bulk("not in failed")}), R::bulk("17")}));
        QVERIFY(outcome.ok());
        QCOMPARE(outcome.done, 3);
        QCOMPARE(outcome.skipped, 1);
        QCOMPARE(outcome.skippedReasons.value(0).second, QStringLiteral("not in failed"));
        QCOMPARE(outcome.cursor, QByteArray("17"));
        QVERIFY(outcome.more); // a cursor other than "0" means: call again
        QVERIFY(outcome.doneAs.isEmpty());
        // The optional tally of what the done jobs became, summed over calls in the summary.
        const ScriptOutcome tallied = parseOutcome(
            *script, R::array({R::number(3), R::number(0), R::number(0), R::array({}), R::bulk("0"),
                               R::array({R::bulk("moved to failed"), R::number(2),
                                         R::bulk("requeued (retries left)"), R::number(1)})}));
        QCOMPARE(tallied.doneAs,
                 (QList<QPair<QString, qint64>>{{QStringLiteral("moved to failed"), 2},
                                                {QStringLiteral("requeued (retries left)"), 1}}));
        ActionSummary summary;
        summary.request.action = JobAction::Restore;
        summary.done = 4;
        summary.addDoneAs(tallied.doneAs);
        summary.addDoneAs({{QStringLiteral("moved to failed"), 1}});
        QVERIFY2(
            summary.describe().startsWith(QLatin1String(
                "restore: 4 done (moved to failed: 3; requeued (retries left): 1), 0 skipped")),
            qPrintable(summary.describe()));
        QVERIFY(!parseOutcome(*script, R::array({R::number(1)})).ok());
        QVERIFY(parseOutcome(*script, R::error("ERR boom")).error.contains(QLatin1String("boom")));
    }

    void jsonEditKeepsEveryOtherByte()
    {
        const QByteArray job =
            R"({"class":"W","args":[{"retry_count":9},12345678901234567890],"retry_count":2,)"
            R"("created_at":1700000000.1234567,"queue":"d\u00e9faut"})";
        const auto edited = jsonedit::setTopLevelValue(job, "retry_count", "1");
        QVERIFY(edited);
        QCOMPARE(*edited, QByteArray(job).replace("\"retry_count\":2", "\"retry_count\":1"));
        QCOMPARE(jsonedit::topLevelValue(job, "created_at"), QByteArray("1700000000.1234567"));
        QCOMPARE(*jsonedit::setTopLevelValue("{}", "a", "1"), QByteArray(R"({"a":1})"));
        QCOMPARE(*jsonedit::setTopLevelValue(R"({"b":2})", "a", "1"),
                 QByteArray(R"({"b":2,"a":1})"));
        QVERIFY(!jsonedit::setTopLevelValue("[1]", "a", "1"));
        QVERIFY(!jsonedit::setTopLevelValue(R"({"a":)", "a", "1"));
        QCOMPARE(SidekiqFeed::queueOf(job), QByteArray("d\xc3\xa9"
                                                       "faut"));
    }

    // Found by fuzz_jsonedit: text after the object used to be accepted, and a new member was
    // inserted before the last '}' of that text, outside the object ({"a":1} x} -> {"a":1}
    // x,"k":2}).
    void jsonEditRefusesTextAfterTheObject()
    {
        QVERIFY(!jsonedit::setTopLevelValue(R"({"a":1} x})", "k", "2"));
        QVERIFY(!jsonedit::setTopLevelValue(R"({"a":1}{"k":1})", "k", "2"));
        QVERIFY(!jsonedit::topLevelValue(R"({"a":1}})", "a"));
        QVERIFY(!jsonedit::setTopLevelValue("{} }", "k", "2"));
        QCOMPARE(*jsonedit::setTopLevelValue("{\"a\":1}\r\n ", "k", "2"),
                 QByteArray("{\"a\":1,\"k\":2}\r\n "));
        QCOMPARE(*jsonedit::setTopLevelValue(" { } \n", "k", "2"), QByteArray(R"( { "k":2} )"
                                                                              "\n"));
    }

    void sidekiqRetryNowDecrementsRetryCountAndSetsEnqueuedAt()
    {
        const QByteArray job = R"({"class":"W","args":[1],"retry_count":0,"queue":"q"})";
        const auto retried = SidekiqFeed::pushedPayload(job, "retry", 1700000000123);
        QCOMPARE(*retried, QByteArray(R"({"class":"W","args":[1],"retry_count":-1,"queue":"q",)"
                                      R"("enqueued_at":1700000000.123})"));
        const auto scheduled = SidekiqFeed::pushedPayload(job, "schedule", 1700000000123);
        QVERIFY(scheduled->contains("\"retry_count\":0"));
    }
};

QTEST_GUILESS_MAIN(TestActionScripts)
#include "tst_actionscripts.moc"
