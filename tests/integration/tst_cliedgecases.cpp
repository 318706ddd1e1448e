// Smaller reliability defects of the command line, each against a real redis-server and the
// real binary: a queue name with %1 in it, a Sidekiq payload written with spaces, scores of
// 1e300/inf, the audit of refusals and failed connections, and the password sources (the URL,
// REDIS_PASSWORD, REDISCLI_AUTH, --password-stdin, --askpass), which must never echo a password.
#include "cliprocess.h"
#include "redisserver.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using qs::test::RedisServer;
using qs::test::RedisServerOptions;

namespace {

const QString kSecret = QStringLiteral("Pw-4f9e-never-print");

QString url(const RedisServer &server)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(server.port());
}

// Runs the binary with standard input, in a HOME of its own (the audit log lands there).
qs::test::CliRun runWithInput(const QStringList &args, const QByteArray &input,
                              const QMap<QString, QString> &env)
{
    return qs::test::runQueuescope(args, env, 60'000, {}, input);
}

} // namespace

class TestCliEdgeCases : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;
    QMap<QString, QString> m_env;

    qs::test::CliRun run(const QStringList &args, QMap<QString, QString> env = {})
    {
        env.insert(m_env);
        return runWithInput(args, {}, env);
    }

    QList<QJsonObject> auditEntries() const
    {
        QList<QJsonObject> entries;
        QDirIterator files(m_home.path(), {QStringLiteral("audit.jsonl")}, QDir::Files,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (!file.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &line : file.readAll().split('\n')) {
                if (!line.trimmed().isEmpty())
                    entries.append(QJsonDocument::fromJson(line).object());
            }
        }
        return entries;
    }

    QByteArray auditText() const
    {
        QByteArray text;
        for (const QJsonObject &entry : auditEntries())
            text += QJsonDocument(entry).toJson();
        return text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN")));
        QVERIFY(m_home.isValid());
        m_env = {{QStringLiteral("HOME"), m_home.path()},
                 {QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data"))},
                 {QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config"))}};
    }

    void queueNameWithPlaceholders()
    {
        RedisServer server;
        QVERIFY(server.start());
        server.cli({QStringLiteral("HSET"), QStringLiteral("bull:fmt %1 %2:meta"),
                    QStringLiteral("version"), QStringLiteral("bullmq:5.0.0")});
        server.cli({QStringLiteral("ZADD"), QStringLiteral("bull:fmt %1 %2:failed"),
                    QStringLiteral("1"), QStringLiteral("7")});
        const auto page = run({QStringLiteral("jobs"), QStringLiteral("bullmq/fmt %1 %2"),
                               QStringLiteral("failed"), QStringLiteral("--url"), url(server)});
        QVERIFY2(page.exitCode == 0, page.err);
        QVERIFY2(page.out.startsWith("bullmq/fmt %1 %2 failed: 1 job(s)\n"), page.out);
    }

    void sidekiqPayloadWithSpaces()
    {
        RedisServer server;
        QVERIFY(server.start());
        // As a client other than Sidekiq's own may write it: spaces after ':' and ','.
        const QString payload = QString::fromLatin1(
            R"({"class": "Mailer", "jid": "f00dfeed", "queue": "mails", "args": [1], )"
            R"("retry_count": 0, "error_message": "boom", "error_class": "RuntimeError"})");
        server.cli({QStringLiteral("SADD"), QStringLiteral("queues"), QStringLiteral("mails")});
        server.cli({QStringLiteral("ZADD"), QStringLiteral("retry"), QStringLiteral("1700000000"),
                    payload});
        const QStringList target{QStringLiteral("--url"), url(server)};
        const auto shown = run(QStringList{QStringLiteral("job"), QStringLiteral("sidekiq/mails"),
                                           QStringLiteral("f00dfeed")} +
                               target);
        QVERIFY2(shown.exitCode == 0, shown.err);
        QVERIFY2(shown.out.contains("[retries] Mailer"), shown.out);
        const auto removed =
            run(QStringList{QStringLiteral("remove"), QStringLiteral("sidekiq/mails"),
                            QStringLiteral("--state"), QStringLiteral("retries"),
                            QStringLiteral("--job"), QStringLiteral("f00dfeed"),
                            QStringLiteral("--yes"), QStringLiteral("--json")} +
                target);
        QVERIFY2(removed.exitCode == 0, removed.out + removed.err);
        QCOMPARE(removed.json().value(QStringLiteral("done")).toInt(), 1);
        QCOMPARE(server.cli({QStringLiteral("ZCARD"), QStringLiteral("retry")}).trimmed(), "0");
    }

    void scoresBeyondTheRangeOfTime()
    {
        RedisServer server;
        QVERIFY(server.start());
        server.cli({QStringLiteral("HSET"), QStringLiteral("bull:far:meta"),
                    QStringLiteral("version"), QStringLiteral("bullmq:5.0.0")});
        server.cli({QStringLiteral("ZADD"), QStringLiteral("bull:far:delayed"),
                    QStringLiteral("1e300"), QStringLiteral("a"), QStringLiteral("inf"),
                    QStringLiteral("b"), QStringLiteral("-inf"), QStringLiteral("c")});
        server.cli({QStringLiteral("SADD"), QStringLiteral("queues"), QStringLiteral("q")});
        server.cli({QStringLiteral("ZADD"), QStringLiteral("schedule"), QStringLiteral("inf"),
                    QString::fromLatin1(R"({"class":"M","jid":"j1","queue":"q"})")});
        const QStringList target{QStringLiteral("--url"), url(server)};
        const auto bull = run(QStringList{QStringLiteral("jobs"), QStringLiteral("bullmq/far"),
                                          QStringLiteral("delayed"), QStringLiteral("--json")} +
                              target);
        QVERIFY2(bull.exitCode == 0, bull.err);
        const QJsonArray jobs = bull.json().value(QStringLiteral("jobs")).toArray();
        QCOMPARE(jobs.size(), 3);
        for (const QJsonValue &job : jobs) // unknown, not a wrapped-around date
            QVERIFY2(!job.toObject().contains(QStringLiteral("runAtMs")),
                     QJsonDocument(job.toObject()).toJson());
        const auto sidekiq = run(QStringList{QStringLiteral("jobs"), QStringLiteral("sidekiq/q"),
                                             QStringLiteral("scheduled")} +
                                 target);
        QVERIFY2(sidekiq.exitCode == 0, sidekiq.err);
        QVERIFY2(!sidekiq.out.contains("runs at"), sidekiq.out);
        const auto queues = run(QStringList{QStringLiteral("queues")} + target);
        QCOMPARE(queues.exitCode, 0);
    }

    void refusalsAndFailuresAreAudited()
    {
        RedisServer server;
        QVERIFY(server.start());
        server.cli({QStringLiteral("HSET"), QStringLiteral("bull:mails:meta"),
                    QStringLiteral("version"), QStringLiteral("bullmq:5.0.0")});
        const qsizetype before = auditEntries().size();
        // Not confirmed.
        const auto dry = run({QStringLiteral("retry"), QStringLiteral("bullmq/mails"),
                              QStringLiteral("--all"), QStringLiteral("--url"), url(server)});
        QCOMPARE(dry.exitCode, 4);
        // Not supported by the framework.
        const auto unsupported = run({QStringLiteral("pause"), QStringLiteral("rq/default"),
                                      QStringLiteral("--url"), url(server)});
        QCOMPARE(unsupported.exitCode, 4);
        // Not reachable.
        const QString gone =
            QStringLiteral("redis://127.0.0.1:%1").arg(qs::test::freeLoopbackPort());
        const auto failed =
            run({QStringLiteral("retry"), QStringLiteral("bullmq/mails"), QStringLiteral("--all"),
                 QStringLiteral("--yes"), QStringLiteral("--url"), gone});
        QCOMPARE(failed.exitCode, 3);
        const QList<QJsonObject> entries = auditEntries().mid(before);
        QCOMPARE(entries.size(), 3);
        const auto outcome = [&](int i) {
            return entries.at(i).value(QStringLiteral("result")).toObject();
        };
        QCOMPARE(outcome(0).value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
        QVERIFY2(outcome(0)
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("add --yes")),
                 QJsonDocument(entries.at(0)).toJson());
        QCOMPARE(outcome(1).value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
        QCOMPARE(outcome(2).value(QStringLiteral("outcome")).toString(), QStringLiteral("stopped"));
        QVERIFY2(outcome(2)
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("refused")),
                 QJsonDocument(entries.at(2)).toJson());
    }

    void passwordSources()
    {
        RedisServerOptions options;
        options.password = kSecret;
        RedisServer server(options);
        QVERIFY(server.start());
        const QString plain = url(server);
        const QString withPassword =
            QStringLiteral("redis://:%1@127.0.0.1:%2").arg(kSecret).arg(server.port());
        const QStringList check{QStringLiteral("check"), QStringLiteral("--json")};
        QByteArray everything;
        const auto expect = [&](const qs::test::CliRun &r, int code, const char *what) {
            everything += r.out + r.err;
            QVERIFY2(r.exitCode == code, qPrintable(QStringLiteral("%1: exit %2: %3")
                                                        .arg(QLatin1String(what))
                                                        .arg(r.exitCode)
                                                        .arg(QString::fromUtf8(r.out + r.err))));
        };

        const auto env = [&](const char *name, const QString &value) {
            QMap<QString, QString> e = m_env;
            e.insert(QString::fromLatin1(name), value);
            return e;
        };
        expect(runWithInput(check + QStringList{QStringLiteral("--url"), plain,
                                                QStringLiteral("--password-stdin")},
                            kSecret.toUtf8() + '\n', m_env),
               0, "--password-stdin");
        expect(
            run(check + QStringList{QStringLiteral("--url"), plain}, env("REDISCLI_AUTH", kSecret)),
            0, "REDISCLI_AUTH");
        expect(run(check + QStringList{QStringLiteral("--url"), plain},
                   env("REDIS_PASSWORD", kSecret)),
               0, "REDIS_PASSWORD beside a --url without one");
        expect(run(check + QStringList{QStringLiteral("--url"), plain}), 3, "no password");

        // Twice: an error naming both sources, before anything is sent.
        const auto twice = run(check + QStringList{QStringLiteral("--url"), withPassword},
                               env("REDIS_PASSWORD", QStringLiteral("other")));
        expect(twice, 2, "URL and REDIS_PASSWORD");
        QVERIFY2(twice.err.contains("--url") && twice.err.contains("REDIS_PASSWORD"), twice.err);
        const auto twiceEnv = run(check + QStringList{QStringLiteral("--url"), plain}, [&] {
            QMap<QString, QString> e = env("REDIS_PASSWORD", kSecret);
            e.insert(QStringLiteral("REDISCLI_AUTH"), kSecret);
            return e;
        }());
        expect(twiceEnv, 2, "REDIS_PASSWORD and REDISCLI_AUTH");
        QVERIFY2(twiceEnv.err.contains("REDISCLI_AUTH"), twiceEnv.err);
        const auto twiceStdin =
            runWithInput(check + QStringList{QStringLiteral("--url"), withPassword,
                                             QStringLiteral("--password-stdin")},
                         kSecret.toUtf8() + '\n', m_env);
        expect(twiceStdin, 2, "URL and --password-stdin");
        QVERIFY2(twiceStdin.err.contains("--password-stdin"), twiceStdin.err);
        expect(runWithInput(check + QStringList{QStringLiteral("--url"), plain,
                                                QStringLiteral("--password-stdin")},
                            {}, m_env),
               2, "--password-stdin with nothing on stdin");
        const auto noTerminal = runWithInput(
            check + QStringList{QStringLiteral("--url"), plain, QStringLiteral("--askpass")}, {},
            m_env);
        expect(noTerminal, 2, "--askpass without a terminal");
        QVERIFY2(noTerminal.err.contains("terminal"), noTerminal.err);

        // Wrong passwords: the error says so, and quotes neither the wrong one nor the right one.
        expect(runWithInput(check + QStringList{QStringLiteral("--url"), plain,
                                                QStringLiteral("--password-stdin")},
                            "wrong-" + kSecret.toUtf8() + '\n', m_env),
               3, "a wrong password");

        // --askpass on a terminal (util-linux `script` gives the binary one): not echoed.
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (!script.isEmpty()) {
            QProcess pty;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("HOME"), m_home.path());
            pty.setProcessEnvironment(environment);
            pty.start(script, {QStringLiteral("-qec"),
                               QStringLiteral("'%1' check --url %2 --askpass")
                                   .arg(qEnvironmentVariable("QS_QUEUESCOPE_BIN"), plain),
                               QStringLiteral("/dev/null")});
            QVERIFY(pty.waitForStarted());
            QByteArray out;
            QTRY_VERIFY_WITH_TIMEOUT((out += pty.readAll()).contains("Password for") ||
                                         pty.state() == QProcess::NotRunning,
                                     20'000);
            pty.write(kSecret.toUtf8() + '\n');
            QVERIFY(qs::test::finishes(pty, 30'000));
            out += pty.readAll();
            everything += out;
            QVERIFY2(pty.exitCode() == 0 && out.contains("HEALTHY"), out);
        }
        QVERIFY2(!everything.contains(kSecret.toUtf8()), everything);
        QVERIFY(!auditText().contains(kSecret.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestCliEdgeCases)
#include "tst_cliedgecases.moc"
