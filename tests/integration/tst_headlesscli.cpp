// The real binary on a machine without a display (no DISPLAY, WAYLAND_DISPLAY or
// QT_QPA_PLATFORM): help, version, every command and every usage error work and exit with the
// documented codes; only the window needs a display, and says so instead of Qt's xcb abort.
#include "cliprocess.h"
#include "redisserver.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using qs::test::CliRun;
using qs::test::RedisServer;

namespace {

const QStringList kVerbs{"check",    "queues", "workers", "watch",  "history", "record",
                         "exporter", "alerts", "jobs",    "job",    "retry",   "promote",
                         "remove",   "clean",  "pause",   "resume", "drain",   "restore"};

// Histories (`record`) go to a folder of the test's own, never the user's.
QString dataHome()
{
    static const QTemporaryDir dir;
    return dir.path();
}

CliRun headless(const QStringList &args)
{
    return qs::test::runQueuescope(args, {{QStringLiteral("XDG_DATA_HOME"), dataHome()}}, 60'000,
                                   {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                                    QStringLiteral("QT_QPA_PLATFORM")});
}

QString readSource(const QString &relative)
{
    QFile file(qEnvironmentVariable("QS_SOURCE_DIR") + QLatin1Char('/') + relative);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestHeadlessCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN"))); }

    void topLevelHelpListsEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{"--help"};
        QTest::newRow("-h") << QStringList{"-h"};
        QTest::newRow("help") << QStringList{"help"};
        QTest::newRow("after a target option") << QStringList{"--url", "redis://h:1", "--help"};
    }
    void topLevelHelpListsEveryCommand()
    {
        QFETCH(QStringList, args);
        const CliRun run = headless(args);
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 0);
        for (const QString &verb : kVerbs) {
            const QRegularExpression line(QStringLiteral("\n  %1 +\\S").arg(verb));
            QVERIFY2(line.match(QString::fromUtf8(run.out)).hasMatch(), qPrintable(verb));
        }
        QVERIFY2(run.out.contains("--url") && run.out.contains("display"), run.out);
        QVERIFY(run.err.isEmpty());
    }

    void helpOfEveryCommand_data()
    {
        QTest::addColumn<QString>("verb");
        for (const QString &verb : kVerbs)
            QTest::newRow(qPrintable(verb)) << verb;
    }
    void helpOfEveryCommand()
    {
        QFETCH(QString, verb);
        const CliRun own = headless({verb, QStringLiteral("--help")});
        QVERIFY(!own.crashed);
        QCOMPARE(own.exitCode, 0);
        QVERIFY2(own.out.contains("--url") && own.out.contains(verb.toUtf8()), own.out);
        const CliRun viaHelp = headless({QStringLiteral("help"), verb});
        QCOMPARE(viaHelp.exitCode, 0);
        QCOMPARE(viaHelp.out, own.out);
    }

    void version()
    {
        const CliRun run = headless({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith("queuescope 0."), run.out);
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("mistyped command")
            << QStringList{"queus", "--json"}
            << "queuescope: unknown command 'queus'; did you mean 'queues'?\n";
        QTest::newRow("help of a mistyped command")
            << QStringList{"help", "retyr"}
            << "queuescope: unknown command 'retyr'; did you mean 'retry'?\n";
        QTest::newRow("nothing like a command")
            << QStringList{"frobnicate"}
            << "queuescope: unknown command 'frobnicate' (see --help)\n";
        QTest::newRow("command after an option")
            << QStringList{"--url", "redis://127.0.0.1:1", "queues"}
            << "queuescope: put the command first: queuescope queues [options] (see --help)\n";
        QTest::newRow("unknown window option")
            << QStringList{"--frobnicate"} << "queuescope: Unknown option 'frobnicate'.";
        QTest::newRow("unknown command option")
            << QStringList{"queues", "--frobnicate"} << "queuescope: Unknown option 'frobnicate'.";
        QTest::newRow("window without a display")
            << QStringList{}
            << "queuescope: the window needs a display (no DISPLAY or "
               "WAYLAND_DISPLAY); the command-line verbs work without one: "
               "queuescope --help\n";
        QTest::newRow("window on a URL without a display")
            << QStringList{"--url", "redis://127.0.0.1:6379"}
            << "queuescope: the window needs a display";
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = headless(args);
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.startsWith(message.toUtf8()), run.err);
        QVERIFY(run.out.isEmpty());
    }

    // With a display (offscreen here) the window's own usage errors are exit 2 as well.
    void windowUsageErrorsExitTwo()
    {
        const CliRun run = qs::test::runQueuescope(
            {QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:6379")},
            {{QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")}});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("unsupported scheme 'http'"), run.err);
        const CliRun bad = qs::test::runQueuescope(
            {QStringLiteral("--frobnicate")},
            {{QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")}});
        QCOMPARE(bad.exitCode, 2);
    }

    // Every command runs on a real server without a display, with its documented exit code.
    void everyCommandRunsWithoutADisplay_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("check") << QStringList{"check"} << 0;
        QTest::newRow("queues") << QStringList{"queues", "--json"} << 0;
        QTest::newRow("workers") << QStringList{"workers", "--json"} << 0;
        QTest::newRow("watch") << QStringList{"watch", "--count", "1"} << 0;
        QTest::newRow("record") << QStringList{"record", "--duration", "1s"} << 0;
        QTest::newRow("history, nothing recorded") << QStringList{"history", "--list"} << 1;
        QTest::newRow("jobs") << QStringList{"jobs", "bullmq/emails", "failed"} << 0;
        QTest::newRow("job, not there") << QStringList{"job", "bullmq/emails", "404"} << 1;
        // Without --yes an action only says what it would do (exit 4).
        QTest::newRow("retry") << QStringList{"retry", "bullmq/emails", "--all"} << 4;
        QTest::newRow("promote") << QStringList{"promote", "bullmq/emails", "--all"} << 4;
        QTest::newRow("remove") << QStringList{"remove", "bullmq/emails", "--job", "1"} << 4;
        QTest::newRow("clean") << QStringList{"clean", "bullmq/emails", "completed"} << 4;
        QTest::newRow("pause") << QStringList{"pause", "bullmq/emails"} << 4;
        QTest::newRow("resume") << QStringList{"resume", "bullmq/emails"} << 4;
        QTest::newRow("drain") << QStringList{"drain", "bullmq/emails"} << 4;
        QTest::newRow("restore, unsupported") << QStringList{"restore", "bullmq/emails"} << 4;
    }
    void everyCommandRunsWithoutADisplay()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        RedisServer server;
        QVERIFY(server.start());
        // An idle BullMQ queue as every `new Queue()` leaves it: only its meta hash.
        server.cli({QStringLiteral("HSET"), QStringLiteral("bull:emails:meta"),
                    QStringLiteral("version"), QStringLiteral("bullmq:6.7.0"),
                    QStringLiteral("opts.maxLenEvents"), QStringLiteral("10000")});
        args.insert(1, QStringLiteral("--url"));
        args.insert(2, QStringLiteral("redis://127.0.0.1:%1").arg(server.port()));
        const CliRun run = headless(args);
        QVERIFY(!run.crashed);
        QVERIFY2(run.exitCode == exitCode, run.out + run.err);
    }

    // The man page and the README name every command the help lists, so they cannot drift.
    void manPageAndReadmeNameEveryCommand()
    {
        const QString manPage = readSource(QStringLiteral("resources/queuescope.1"));
        const QString readme = readSource(QStringLiteral("README.md"));
        QVERIFY(!manPage.isEmpty() && !readme.isEmpty());
        const QString help = QString::fromUtf8(headless({QStringLiteral("--help")}).out);
        static const QRegularExpression listed(QStringLiteral("\n  ([a-z]+) +\\S"));
        QStringList verbs;
        for (const QRegularExpressionMatch &match : listed.globalMatch(help))
            verbs << match.captured(1);
        QCOMPARE(verbs, kVerbs);
        for (const QString &verb : verbs) {
            const QRegularExpression entry(QStringLiteral("\n\\.TP\n\\.BR? %1\\b").arg(verb));
            QVERIFY2(entry.match(manPage).hasMatch(), qPrintable(verb + " not in the man page"));
            QVERIFY2(readme.contains(QStringLiteral("queuescope %1 ").arg(verb)),
                     qPrintable(verb + " not in the README"));
        }
    }
};

QTEST_GUILESS_MAIN(TestHeadlessCli)
#include "tst_headlesscli.moc"
