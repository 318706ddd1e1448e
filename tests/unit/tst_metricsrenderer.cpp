#include "exporter/exposition.h"
#include "exporter/expositionwriter.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace qs;
using namespace qs::exporter;
using namespace Qt::StringLiterals;

namespace {

monitor::PollSnapshot poll(QList<queues::QueueCounts> queues,
                           QList<queues::ServerCounts> installations = {})
{
    monitor::PollSnapshot snapshot;
    snapshot.timestampMs = 1'700'000'000'000;
    snapshot.info =
        redis::parseInfo("# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n"
                         "uptime_in_seconds:3600\r\n# Clients\r\nconnected_clients:7\r\n"
                         "# Memory\r\nused_memory:1048576\r\nmaxmemory:0\r\n"
                         "maxmemory_policy:noeviction\r\n# Persistence\r\n"
                         "rdb_last_bgsave_status:ok\r\n# Stats\r\n"
                         "total_commands_processed:12345\r\nevicted_keys:0\r\n"
                         "# Replication\r\nrole:master\r\n# Keyspace\r\n"
                         "db0:keys=42,expires=3,avg_ttl=0\r\n");
    snapshot.queues = std::move(queues);
    snapshot.queueServers = std::move(installations);
    snapshot.cost = {1401, 1, 20'000, 30'000, 1.5};
    return snapshot;
}

// `counts` with its details (or new ones) changed by `change`.
template <typename Change>
queues::QueueCounts withDetails(queues::QueueCounts counts, Change change)
{
    auto details = counts.details ? std::make_shared<queues::QueueDetails>(*counts.details)
                                  : std::make_shared<queues::QueueDetails>();
    change(*details);
    counts.details = std::move(details);
    return counts;
}

queues::QueueCounts bullmqQueue(const QByteArray &name)
{
    queues::QueueCounts counts;
    counts.queue = {queues::Framework::BullMQ, "bull", name};
    counts.counts = {{u"waiting"_s, 5},
                     {u"active"_s, 1},
                     {u"completed"_s, 100},
                     {u"failed"_s, 2},
                     {u"waiting-children"_s, 4}};
    counts.oldestWaitingAgeMs = 90'500;
    return withDetails(std::move(counts), [](queues::QueueDetails &details) {
        details.completed.total = 1000;
        details.failed.total = 20;
    });
}

QString render(const QList<ServerState> &states,
               ExpositionFormat format = ExpositionFormat::Prometheus)
{
    return QString::fromUtf8(renderExposition(states, format));
}

// A scrape as a socket takes it: parts of at least `bytes` each, joined.
QByteArray renderInParts(const QList<ServerState> &states, ExpositionFormat format, qsizetype bytes,
                         qsizetype *largestPart)
{
    ExpositionWriter writer(states, format);
    QByteArray whole;
    QByteArray part;
    while (writer.write(part, bytes)) {
        *largestPart = qMax(*largestPart, part.size());
        whole += std::exchange(part, {});
    }
    return whole;
}

} // namespace

class tst_MetricsRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void labelValuesAreEscaped_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("label");
        QTest::newRow("plain") << "emails"_ba << u"emails"_s;
        QTest::newRow("backslash") << "a\\b"_ba << u"a\\\\b"_s;
        QTest::newRow("quote") << "say \"hi\""_ba << u"say \\\"hi\\\""_s;
        QTest::newRow("newline") << "two\nlines"_ba << u"two\\nlines"_s;
        QTest::newRow("unicode") << "письма-📧"_ba << u"письма-📧"_s;
        // Not UTF-8: as queuescope shows it (\xNN), the backslash then escaped for the label.
        QTest::newRow("bytes") << "bin\xff\x01"_ba << u"bin\\\\xff\\\\x01"_s;
    }
    void labelValuesAreEscaped()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, label);
        const QString text = render({{u"prod"_s, poll({bullmqQueue(name)}), {}}});
        QVERIFY2(text.contains(uR"(queuescope_queue_jobs{server="prod",framework="bullmq",)"
                               uR"(prefix="bull",queue=")"_s +
                               label + uR"(",state="waiting",native_state="waiting"} 5)"_s),
                 qPrintable(text));
    }

    void familiesAreGroupedUnderOneHeader()
    {
        const QString text = render(
            {{u"a"_s, poll({bullmqQueue("q1")}), {}}, {u"b"_s, poll({bullmqQueue("q2")}), {}}});
        QCOMPARE(text.count(u"# TYPE queuescope_queue_jobs gauge\n"_s), 1);
        QCOMPARE(text.count(u"# HELP redis_up "_s), 1);
        const qsizetype header = text.indexOf(u"# TYPE redis_up gauge"_s);
        const qsizetype a = text.indexOf(u"redis_up{server=\"a\"} 1"_s);
        const qsizetype b = text.indexOf(u"redis_up{server=\"b\"} 1"_s);
        const qsizetype next = text.indexOf(u"# HELP"_s, header);
        QVERIFY(header >= 0 && header < a && a < b && b < next);
    }

    void serverMetricsUseRedisExporterNames()
    {
        const QString text = render({{u"prod"_s, poll({}), {}}});
        for (const QString &line : {u"redis_connected_clients{server=\"prod\"} 7"_s,
                                    u"redis_memory_used_bytes{server=\"prod\"} 1048576"_s,
                                    u"redis_memory_max_bytes{server=\"prod\"} 0"_s,
                                    u"redis_commands_processed_total{server=\"prod\"} 12345"_s,
                                    u"redis_evicted_keys_total{server=\"prod\"} 0"_s,
                                    u"redis_rdb_last_bgsave_status{server=\"prod\"} 1"_s,
                                    u"redis_db_keys{server=\"prod\",db=\"db0\"} 42"_s,
                                    u"# TYPE redis_commands_processed_total counter"_s,
                                    u"queuescope_poll_duration_seconds{server=\"prod\"} 0.0015"_s,
                                    u"queuescope_poll_commands{server=\"prod\"} 1401"_s,
                                    u"queuescope_up{server=\"prod\"} 1"_s})
            QVERIFY2(text.contains(line), qPrintable(line));
        QVERIFY(text.contains(u"redis_instance_info{server=\"prod\",role=\"master\","
                              u"redis_version=\"7.0.15\",redis_mode=\"standalone\","
                              u"maxmemory_policy=\"noeviction\"} 1"_s));
    }

    void queuesShareOneScheme()
    {
        queues::ServerCounts sidekiq;
        sidekiq.framework = queues::Framework::Sidekiq;
        sidekiq.counts = {
            {u"processed"_s, 50}, {u"failed"_s, 8}, {u"retries"_s, 3}, {u"dead"_s, 2}};
        sidekiq.completed.total = 50;
        sidekiq.completed.includesFailed = true;
        sidekiq.failed.total = 8;
        sidekiq.workers = 2;
        monitor::PollSnapshot snapshot = poll({bullmqQueue("q")}, {sidekiq});
        snapshot.queues.first().paused = true;
        const QString text = render({{u"s"_s, snapshot, {{u"bullmq/bull/q"_s, 3}}}});
        const QString q = uR"(server="s",framework="bullmq",prefix="bull",queue="q")"_s;
        const QString kiq = uR"(server="s",framework="sidekiq",prefix="")"_s;
        for (const QString &line :
             {u"queuescope_queue_jobs{%1,state=\"other\",native_state=\"waiting-children\"} 4"_s,
              u"queuescope_queue_paused{%1} 1"_s,
              u"queuescope_queue_oldest_waiting_seconds{%1} 90.5"_s,
              u"queuescope_queue_workers{%1} 3"_s, u"queuescope_jobs_completed_total{%1} 1000"_s,
              u"queuescope_jobs_failed_total{%1} 20"_s})
            QVERIFY2(text.contains(line.arg(q)), qPrintable(line.arg(q)));
        for (const QString &line :
             {u"queuescope_installation_jobs{%1,state=\"failed\",native_state=\"retries\"} 3"_s,
              u"queuescope_installation_jobs{%1,state=\"failed\",native_state=\"dead\"} 2"_s,
              u"queuescope_installation_workers{%1} 2"_s,
              // processed counts the failed jobs too
              u"queuescope_jobs_completed_total{%1} 42"_s, u"queuescope_jobs_failed_total{%1} 8"_s})
            QVERIFY2(text.contains(line.arg(kiq)), qPrintable(line.arg(kiq)));
    }

    // Jobs per minute for every framework, from the session's tracker, with where they come from;
    // a queue the tracker knows nothing of has no such line.
    void jobsPerMinuteCarryTheirSource()
    {
        const queues::QueueCounts counts =
            withDetails(bullmqQueue("q"), [](queues::QueueDetails &details) {
                details.readAtMs = 1'700'000'000'000;
                details.completed.lastWholeMinute = queues::MinuteCount{1'699'999'940'000, 42};
            });
        monitor::PollSnapshot snapshot = poll({counts, bullmqQueue("new")});
        monitor::ThroughputTracker tracker;
        tracker.update(poll({counts}));
        const QString text = render({{u"s"_s, snapshot, {}, tracker}});
        const QString q = uR"(server="s",framework="bullmq",prefix="bull",queue="q")"_s;
        for (const QString &line :
             {u"queuescope_jobs_completed_per_minute{%1,source=\"exact\"} 42"_s,
              u"queuescope_jobs_failed_per_minute{%1,source=\"exact\"} 0"_s})
            QVERIFY2(text.contains(line.arg(q)), qPrintable(line.arg(q) + u'\n' + text));
        QVERIFY(text.contains(u"# TYPE queuescope_jobs_completed_per_minute gauge"_s));
        QVERIFY(!text.contains(u"per_minute{server=\"s\",framework=\"bullmq\",prefix=\"bull\","
                               u"queue=\"new\""_s));
    }

    void aServerThatDidNotAnswerIsDownAndTheOthersStay()
    {
        monitor::PollSnapshot failed = poll({bullmqQueue("gone")});
        failed.error = {redis::RedisError::Kind::ConnectionRefused, u"Connection refused"_s};
        const QString text = render({{u"down"_s, failed, {}},
                                     {u"never"_s, {}, {}},
                                     {u"up"_s, poll({bullmqQueue("q")}), {}}});
        QVERIFY(text.contains(u"redis_up{server=\"down\"} 0\n"_s));
        QVERIFY(text.contains(u"redis_up{server=\"never\"} 0\n"_s));
        QVERIFY(text.contains(u"queuescope_up{server=\"down\"} 0\n"_s));
        QVERIFY(text.contains(u"redis_up{server=\"up\"} 1\n"_s));
        QVERIFY(!text.contains(u"queue=\"gone\""_s)); // stale counts are not served
        QVERIFY(!text.contains(u"redis_connected_clients{server=\"down\"}"_s));
        QVERIFY(text.contains(u"queue=\"q\""_s));
    }

    void aFailedReadIsNotUp()
    {
        monitor::PollSnapshot snapshot = poll({bullmqQueue("q")});
        snapshot.queues.first().note = u"NOPERM on ZCARD"_s;
        const QString text = render({{u"s"_s, snapshot, {}}});
        QVERIFY(text.contains(u"redis_up{server=\"s\"} 1\n"_s));
        QVERIFY(text.contains(u"queuescope_up{server=\"s\"} 0\n"_s));
    }

    // A scrape builds its queues' labels with the last scrape's at hand (those of the queues that
    // did not change are reused): the text is the text of a scrape from nothing, whatever changed
    // in between; and the scrape written in parts, as a socket takes it, is that text.
    void aScrapeAfterAnotherIsAScrapeFromNothing()
    {
        queues::QueueCounts rq;
        rq.queue = {queues::Framework::RQ, "rq", "default"};
        rq.counts = {{u"queued"_s, 3}};
        const QList<monitor::PollSnapshot> polls{
            poll({bullmqQueue("a"), bullmqQueue("b")}),
            poll({bullmqQueue("a"), bullmqQueue("b")}),
            poll({bullmqQueue("b"), bullmqQueue("a"), rq}), // reordered, one more
            poll({bullmqQueue("a")}),
            {}, // down
            poll({bullmqQueue("a\"quoted"), bullmqQueue("b")})};
        const QHash<QString, int> workers{{bullmqQueue("b").queue.id(), 2}};
        QueueLabelCache last;
        for (const monitor::PollSnapshot &snapshot : polls) {
            for (const ExpositionFormat format :
                 {ExpositionFormat::Prometheus, ExpositionFormat::OpenMetrics}) {
                const QByteArray fresh =
                    renderExposition({{u"s"_s, snapshot, workers, {}}}, format);
                ExpositionWriter writer({{u"s"_s, snapshot, workers, {}, last}}, format);
                QByteArray text;
                while (writer.write(text, 1 << 20)) {
                }
                QCOMPARE(text, fresh);
                last = writer.labels(0);
                QCOMPARE(last.queues.size(),
                         snapshot.ok() && snapshot.timestampMs > 0 ? snapshot.queues.size() : 0);
            }
        }
        // A server of another name does not take the labels of the first one.
        const QByteArray renamed = renderExposition({{u"t"_s, polls.first(), workers, {}, last}},
                                                    ExpositionFormat::Prometheus);
        QVERIFY(renamed.contains("queuescope_queue_paused{server=\"t\",framework=\"bullmq\","
                                 "prefix=\"bull\",queue=\"a\"} 0\n"));
        QVERIFY(!renamed.contains("server=\"s\""));
    }

    // Written in parts, a scrape is the same text, and no part is much larger than asked: a
    // part ends after the family of the server that reached the size (one family of one server,
    // here 200 queues, is its largest piece).
    void aScrapeWrittenInPartsIsTheWholeScrape()
    {
        QList<queues::QueueCounts> queues;
        for (int i = 0; i < 200; ++i)
            queues.append(bullmqQueue("queue-" + QByteArray::number(i)));
        const QList<ServerState> servers{{u"one"_s, poll(queues), {}, {}},
                                         {u"down"_s, {}, {}, {}},
                                         {u"two"_s, poll(queues), {}, {}}};
        for (const ExpositionFormat format :
             {ExpositionFormat::Prometheus, ExpositionFormat::OpenMetrics}) {
            const QByteArray whole = renderExposition(servers, format);
            QVERIFY(whole.size() > 200'000);
            qsizetype largestFamily = 0; // of one server, with its HELP and TYPE
            const QByteArray one = renderExposition({servers.first()}, format);
            for (qsizetype at = 0; at >= 0 && at < one.size();) {
                const qsizetype next = one.indexOf("# HELP", at + 1);
                largestFamily = qMax(largestFamily, (next < 0 ? one.size() : next) - at);
                at = next;
            }
            QVERIFY(largestFamily > 100'000); // the 1,000 samples of queuescope_queue_jobs
            for (const qsizetype bytes : {qsizetype(1), qsizetype(4096), qsizetype(64 * 1024)}) {
                qsizetype largest = 0;
                QCOMPARE(renderInParts(servers, format, bytes, &largest), whole);
                QVERIFY2(largest <= bytes + largestFamily, qPrintable(QString::number(largest)));
            }
            // Each family once, before its samples, in both servers' samples together.
            QCOMPARE(whole.count("# TYPE queuescope_queue_jobs gauge\n"), 1);
            QVERIFY(whole.indexOf("queuescope_queue_jobs{server=\"two\"") <
                    whole.indexOf("# TYPE queuescope_queue_paused"));
        }
    }

    void openMetricsOnRequest()
    {
        QCOMPARE(formatFor("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
                 ExpositionFormat::OpenMetrics);
        QCOMPARE(formatFor("text/plain;version=0.0.4"), ExpositionFormat::Prometheus);
        QCOMPARE(formatFor(""), ExpositionFormat::Prometheus);
        const QString open =
            render({{u"s"_s, poll({bullmqQueue("q")}), {}}}, ExpositionFormat::OpenMetrics);
        QVERIFY(open.endsWith(u"\n# EOF\n"_s));
        QVERIFY(open.contains(u"# TYPE queuescope_jobs_completed counter\n"_s));
        QVERIFY(open.contains(u"queuescope_jobs_completed_total{"_s));
        const QString text = render({{u"s"_s, poll({bullmqQueue("q")}), {}}});
        QVERIFY(!text.contains(u"# EOF"_s));
        QVERIFY(text.contains(u"# TYPE queuescope_jobs_completed_total counter\n"_s));
    }

    void valuesAreWrittenExactly()
    {
        QCOMPARE(formatValue(0), "0"_ba);
        QCOMPARE(formatValue(-3), "-3"_ba);
        QCOMPARE(formatValue(1e18), "1e+18"_ba);
        QCOMPARE(formatValue(0.1), "0.1"_ba);
        QCOMPARE(formatValue(std::numeric_limits<double>::quiet_NaN()), "NaN"_ba);
        QCOMPARE(formatValue(std::numeric_limits<double>::infinity()), "+Inf"_ba);
    }

    // The real linter of the text format (promtool reads no OpenMetrics: Prometheus itself
    // scrapes that in tst_exporter), on a scrape with every family.
    void promtoolAcceptsIt()
    {
        const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
        if (promtool.isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus)");
        queues::ServerCounts celery;
        celery.framework = queues::Framework::Celery;
        celery.counts = {{u"reserved"_s, 1}};
        const queues::QueueCounts y =
            withDetails(bullmqQueue("y"), [](queues::QueueDetails &details) {
                details.readAtMs = 1'700'000'000'000;
                details.completed.lastWholeMinute = queues::MinuteCount{1'699'999'940'000, 7};
            });
        monitor::ThroughputTracker tracker;
        tracker.update(poll({y}));
        const QString text = render({{u"a \"b\"\n"_s,
                                      poll({bullmqQueue("x\\\"\n\xff"), y}, {celery}),
                                      {{u"bullmq/bull/y"_s, 1}},
                                      tracker},
                                     {u"down"_s, {}, {}}});
        QVERIFY(text.contains(u"queuescope_jobs_completed_per_minute{"_s));
        QProcess check;
        check.start(promtool, {u"check"_s, u"metrics"_s});
        QVERIFY(check.waitForStarted());
        check.write(text.toUtf8());
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30'000));
        const QByteArray said = check.readAllStandardOutput() + check.readAllStandardError();
        QVERIFY2(check.exitCode() == 0 && said.trimmed().isEmpty(), said.constData());
    }
};

QTEST_GUILESS_MAIN(tst_MetricsRenderer)
#include "tst_metricsrenderer.moc"
