// What a terminal receives from `check`, `queues`, `jobs`, `job` and the actions when Redis holds
// escape sequences: a clear-screen, an OSC window title, C1 controls, a bidi override and
// invalid UTF-8 in job ids, names, failure reasons, queue names and an INFO field. None may reach
// the terminal raw; each is shown as a visible escape, and what is shown can be typed back.
// --json stays exact.
#include "cliprocess.h"
#include "redisserver.h"

#include <QJsonArray>
#include <QTest>

using qs::test::RedisServer;

namespace {

const QByteArray kClear = "\x1b[2J";
const QByteArray kTitle = "\x1b]0;pwned\x07";
const QByteArray kC1 = "\xc2\x9b"
                       "31m"; // U+009B, the one-byte CSI
const QByteArray kBidi = "\xe2\x80\xae";
const QByteArray kInvalid = "\xff";

const QByteArray kJobId = "job" + kClear + "1";
const QByteArray kJobName = "mail" + kTitle + kC1 + kBidi + "txt.exe";
const QByteArray kReason = "boom" + kClear + "\nfake line" + kBidi;
const QByteArray kQueue = "evil" + kInvalid + kBidi;

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

// redis-cli takes arguments as bytes; QProcess passes QString arguments in the local 8-bit
// encoding, which cannot carry invalid UTF-8. So hostile keys are written by a Lua script from
// hex: EVAL takes printable arguments only.
void write(const RedisServer &server, const QList<QByteArray> &command)
{
    QStringList hex;
    for (const QByteArray &word : command)
        hex << QString::fromLatin1(word.toHex());
    const QString script = QStringLiteral(
        "local a = {} for i, h in ipairs(ARGV) do a[i] = (h:gsub('..', function(c) return "
        "string.char(tonumber(c, 16)) end)) end return redis.call(unpack(a))");
    server.cli(QStringList{QStringLiteral("EVAL"), script, QStringLiteral("0")} + hex);
}

// What no human output may contain: ESC, BEL, CSI/OSC as C1, bidi overrides, invalid UTF-8.
QString rawControls(const QByteArray &out)
{
    QStringList found;
    if (out.contains('\x1b'))
        found << QStringLiteral("ESC");
    if (out.contains('\x07'))
        found << QStringLiteral("BEL");
    if (out.contains("\xc2\x9b") || out.contains("\xc2\x9d"))
        found << QStringLiteral("C1");
    if (out.contains(kBidi))
        found << QStringLiteral("RLO");
    if (QString::fromUtf8(out).toUtf8() != out)
        found << QStringLiteral("invalid UTF-8");
    if (out.contains("\nfake line"))
        found << QStringLiteral("a fake line");
    return found.join(QStringLiteral(", "));
}

} // namespace

class TestEscapedOutput : public QObject
{
    Q_OBJECT
private:
    RedisServer m_server;
    QStringList m_target;

    qs::test::CliRun run(const QStringList &args)
    {
        return qs::test::runQueuescope(args + m_target);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN")));
        QVERIFY(m_server.start());
        m_target = {QStringLiteral("--url"), url(m_server)};
        // A BullMQ queue with an invalid UTF-8 name and one failed job full of escapes.
        const QByteArray key = "bull:" + kQueue;
        write(m_server, {"HSET", key + ":meta", "version", "bullmq:5.0.0"});
        write(m_server, {"ZADD", key + ":failed", "1", kJobId});
        write(m_server, {"HSET", key + ':' + kJobId, "name", kJobName, "data", "{}", "failedReason",
                         kReason, "timestamp", "1700000000000", "finishedOn", "1700000001000",
                         "stacktrace", "[\"at " + kBidi + kC1 + "x\"]"});
        // A Sidekiq retry with the same, in a queue whose name carries C1 and bidi controls.
        write(m_server, {"SADD", "queues", "q" + kC1 + kBidi});
        write(m_server,
              {"ZADD", "retry", "1700000100",
               R"({"class":"Mailer)" + kTitle + R"(","jid":"abc123","queue":"q)" + kC1 + kBidi +
                   R"(","args":[1],"error_message":")" + kClear + R"(gone","error_class":"E"})"});
    }

    void jobsAndJobShowEscapes()
    {
        // The queue is addressed by the escaped name that `queues` prints.
        const auto queues = run({QStringLiteral("queues")});
        QCOMPARE(queues.exitCode, 0);
        QVERIFY2(rawControls(queues.out).isEmpty(), qPrintable(rawControls(queues.out)));
        QVERIFY2(queues.out.contains("evil\\xff\\u202e"), queues.out);
        QVERIFY2(queues.out.contains("q\\u009b31m\\u202e"), queues.out);
        const QString queue = QStringLiteral("bullmq/evil\\xff\\u202e");

        const auto page = run({QStringLiteral("jobs"), queue, QStringLiteral("failed")});
        QCOMPARE(page.exitCode, 0);
        QVERIFY2(rawControls(page.out).isEmpty(), qPrintable(rawControls(page.out)));
        QVERIFY2(page.out.contains("job\\x1b[2J1"), page.out);
        QVERIFY2(page.out.contains("mail\\x1b]0;pwned\\x07\\u009b31m\\u202etxt.exe"), page.out);
        QVERIFY2(page.out.contains("boom\\x1b[2J\\x0afake line\\u202e"), page.out);
        QCOMPARE(page.out.count('\n'), 2); // the header and one job: no line made by the data

        // The id as printed is the id to type.
        const auto job = run({QStringLiteral("job"), queue, QStringLiteral("job\\x1b[2J1")});
        QVERIFY2(job.exitCode == 0, job.err);
        QVERIFY2(rawControls(job.out + job.err).isEmpty(),
                 qPrintable(rawControls(job.out + job.err)));
        // Inside the stack trace block, C1 and bidi controls (which pass the text check) too.
        QVERIFY2(job.out.contains("at \\u202e\\u009b31mx"), job.out);

        const auto sidekiq =
            run({QStringLiteral("jobs"), QStringLiteral("sidekiq/q\\u009b31m\\u202e"),
                 QStringLiteral("retries")});
        QCOMPARE(sidekiq.exitCode, 0);
        QVERIFY2(rawControls(sidekiq.out).isEmpty(), qPrintable(rawControls(sidekiq.out)));
        QVERIFY2(sidekiq.out.contains("E: \\x1b[2Jgone"), sidekiq.out);
    }

    void jsonStaysExact()
    {
        const auto page = run({QStringLiteral("jobs"), QStringLiteral("bullmq/evil\\xff\\u202e"),
                               QStringLiteral("failed"), QStringLiteral("--json")});
        QCOMPARE(page.exitCode, 0);
        const QJsonObject job =
            page.json().value(QStringLiteral("jobs")).toArray().first().toObject();
        QCOMPARE(job.value(QStringLiteral("id")).toString().toUtf8(), kJobId);
        QCOMPARE(job.value(QStringLiteral("name")).toString().toUtf8(), kJobName);
        QVERIFY(!job.contains(QStringLiteral("idEscaped"))); // valid UTF-8: the id is exact
        // A name JSON cannot hold (invalid UTF-8) comes with the form to pass back too.
        const auto queues = run({QStringLiteral("queues"), QStringLiteral("--json")});
        bool found = false;
        for (const QJsonValue &queue : queues.json().value(QStringLiteral("queues")).toArray()) {
            const QString escaped =
                queue.toObject().value(QStringLiteral("nameEscaped")).toString();
            found = found || escaped == QLatin1String("evil\\xff\\u202e");
        }
        QVERIFY2(found, queues.out);
    }

    void actionSummariesAndErrorsShowEscapes()
    {
        // A refusal names the queue; a run names the skipped ids and their reasons.
        const QString queue = QStringLiteral("bullmq/evil\\xff\\u202e");
        const auto dry = run({QStringLiteral("retry"), queue, QStringLiteral("--all")});
        QCOMPARE(dry.exitCode, 4);
        QVERIFY2(rawControls(dry.out + dry.err).isEmpty(), qPrintable(rawControls(dry.err)));
        QVERIFY2(dry.err.contains("evil\\xff\\u202e"), dry.err);
        const auto missing = run({QStringLiteral("job"), queue, QStringLiteral("no\\x1bsuch")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(rawControls(missing.err).isEmpty(), qPrintable(rawControls(missing.err)));
        QVERIFY2(missing.err.contains("no\\x1bsuch"), missing.err);
    }

    void checkShowsInfoEscaped()
    {
        // master_host comes back in INFO exactly as REPLICAOF was given it.
        // (REPLICAOF is not allowed in scripts; the host is valid UTF-8, so redis-cli takes it.)
        m_server.cli({QStringLiteral("REPLICAOF"),
                      QString::fromUtf8("evil" + kClear + kBidi + kTitle), QStringLiteral("6379")});
        const auto check = run({QStringLiteral("check")});
        m_server.cli({QStringLiteral("REPLICAOF"), QStringLiteral("NO"), QStringLiteral("ONE")});
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(rawControls(check.out).isEmpty(), qPrintable(rawControls(check.out)));
        QVERIFY2(check.out.contains("evil\\x1b[2J\\u202e\\x1b]0;pwned\\x07:6379"), check.out);
    }
};

QTEST_GUILESS_MAIN(TestEscapedOutput)
#include "tst_escapedoutput.moc"
