#include "monitor/metrichistory.h"

#include <QLocale>
#include <QTest>

#include <cmath>
#include <map>

using namespace qs::monitor;
using namespace qs::redis;
using namespace Qt::StringLiterals;

using Fields = std::map<QByteArray, QByteArray>;
Q_DECLARE_METATYPE(Fields)
Q_DECLARE_METATYPE(qs::monitor::Metric)

namespace {

constexpr qint64 t0 = 1'700'000'000'000; // 2023-11-14T22:13:20.000Z

// A master at rest; each case overrides a few fields. A null value removes the field.
QByteArray infoText(const Fields &overrides)
{
    Fields fields = {
        {"run_id", "cc8dbaffe3e74c6c5ff143a77555e14bffc464a1"},
        {"uptime_in_seconds", "1000"},
        {"role", "master"},
        {"connected_clients", "12"},
        {"blocked_clients", "4"},
        {"used_memory", "1048576"},
        {"used_memory_rss", "2097152"},
        {"maxmemory", "0"},
        {"mem_fragmentation_ratio", "2.00"},
        {"total_commands_processed", "10000"},
        {"total_net_input_bytes", "500000"},
        {"total_net_output_bytes", "900000"},
        {"evicted_keys", "0"},
        {"expired_keys", "100"},
        {"keyspace_hits", "300"},
        {"keyspace_misses", "100"},
        {"used_cpu_sys", "10.000000"},
        {"used_cpu_user", "20.000000"},
    };
    for (const auto &[key, value] : overrides)
        fields[key] = value;
    QByteArray text = "# Everything\r\n";
    for (const auto &[key, value] : fields) {
        if (!value.isNull())
            text += key + ':' + value + "\r\n";
    }
    return text;
}

PollSnapshot okPoll(qint64 timestampMs, const Fields &overrides = {})
{
    PollSnapshot snapshot;
    snapshot.timestampMs = timestampMs;
    snapshot.info = parseInfo(infoText(overrides));
    return snapshot;
}

PollSnapshot failedPoll(qint64 timestampMs)
{
    PollSnapshot snapshot;
    snapshot.timestampMs = timestampMs;
    snapshot.error = {RedisError::Kind::ConnectionLost, u"connection lost"_s};
    return snapshot;
}

const QList<Metric> rateMetrics = {Metric::OpsPerSec,     Metric::NetInKbps,     Metric::NetOutKbps,
                                   Metric::EvictedPerSec, Metric::ExpiredPerSec, Metric::CpuPercent,
                                   Metric::HitRatePercent};

// Stored as float: compare to 6 significant digits.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) <= 1e-6 * std::max(1.0, std::abs(expected));
}

} // namespace

class TestMetricHistory : public QObject
{
    Q_OBJECT

private slots:
    void names();
    void firstSample();
    void replicationLag_data();
    void replicationLag();
    void rates_data();
    void rates();
    void resetIsGap_data();
    void resetIsGap();
    void failedPollIsGap();
    void hitRateWithoutLookups();
    void clockSteppedBack();
    void ownPollTrafficIsNotCounted();
    void wrap();
    void csv();
    void memoryFor24Hours();
};

void TestMetricHistory::names()
{
    for (int m = 0; m < metricCount; ++m) {
        QVERIFY(!metricName(Metric(m)).isEmpty());
        QVERIFY(!metricLabel(Metric(m)).isEmpty());
    }
    QCOMPARE(metricName(Metric::OpsPerSec), u"opsPerSec"_s);
    QCOMPARE(metricUnit(Metric::NetInKbps), u"kbit/s"_s);
    QCOMPARE(metricUnit(Metric::Fragmentation), QString());
}

void TestMetricHistory::firstSample()
{
    MetricHistory history;
    QCOMPARE(history.capacity(), 86'400);
    QVERIFY(std::isnan(history.latest(Metric::UsedMemory)));

    history.append(okPoll(t0));
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.timestampAt(0), t0);
    QCOMPARE(history.latest(Metric::UsedMemory), 1048576.0);
    QCOMPARE(history.latest(Metric::RssMemory), 2097152.0);
    QCOMPARE(history.latest(Metric::MaxMemory), 0.0);
    QCOMPARE(history.latest(Metric::ConnectedClients), 12.0);
    QCOMPARE(history.latest(Metric::BlockedClients), 4.0);
    QCOMPARE(history.latest(Metric::Fragmentation), 2.0);
    QVERIFY(std::isnan(history.latest(Metric::ReplicationLag))); // master without replicas
    for (const Metric metric : rateMetrics)
        QVERIFY2(std::isnan(history.latest(metric)), qPrintable(metricName(metric)));
}

void TestMetricHistory::replicationLag_data()
{
    QTest::addColumn<Fields>("fields");
    QTest::addColumn<double>("lag"); // NaN: none

    const double none = std::nan("");
    QTest::newRow("master, two replicas: the worst")
        << Fields{{"slave0", "ip=10.0.0.2,port=6379,state=online,offset=90,lag=3"},
                  {"slave1", "ip=10.0.0.3,port=6379,state=online,offset=80,lag=7"}}
        << 7.0;
    QTest::newRow("master, no replicas") << Fields{} << none;
    QTest::newRow("replica, link up")
        << Fields{{"role", "slave"}, {"master_last_io_seconds_ago", "2"}} << 2.0;
    QTest::newRow("replica, link down: time since")
        << Fields{{"role", "slave"},
                  {"master_last_io_seconds_ago", "-1"},
                  {"master_link_down_since_seconds", "40"}}
        << 40.0;
    QTest::newRow("replica, nothing known")
        << Fields{{"role", "slave"}, {"master_last_io_seconds_ago", "-1"}} << none;
    QTest::newRow("no role (no replication section)") << Fields{{"role", {}}} << none;
}

void TestMetricHistory::replicationLag()
{
    QFETCH(Fields, fields);
    QFETCH(double, lag);
    MetricHistory history;
    history.append(okPoll(t0, fields));
    const double actual = history.latest(Metric::ReplicationLag);
    if (std::isnan(lag))
        QVERIFY2(std::isnan(actual), qPrintable(QString::number(actual)));
    else
        QCOMPARE(actual, lag);
}

void TestMetricHistory::rates_data()
{
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<Fields>("next"); // the second poll's counters
    QTest::addColumn<Metric>("metric");
    QTest::addColumn<double>("expected");

    QTest::newRow("ops/sec") << qint64(2000) << Fields{{"total_commands_processed", "13000"}}
                             << Metric::OpsPerSec << 1500.0;
    QTest::newRow("ops/sec, uneven interval")
        << qint64(1250) << Fields{{"total_commands_processed", "10500"}} << Metric::OpsPerSec
        << 400.0;
    QTest::newRow("ops/sec idle") << qint64(1000) << Fields{} << Metric::OpsPerSec << 0.0;
    // 125,000 bytes in 1 s = 1,000,000 bit/s = 1,000 kbit/s
    QTest::newRow("net in") << qint64(1000) << Fields{{"total_net_input_bytes", "625000"}}
                            << Metric::NetInKbps << 1000.0;
    QTest::newRow("net out") << qint64(4000) << Fields{{"total_net_output_bytes", "1900000"}}
                             << Metric::NetOutKbps << 2000.0;
    QTest::newRow("evicted") << qint64(2000) << Fields{{"evicted_keys", "50"}}
                             << Metric::EvictedPerSec << 25.0;
    QTest::newRow("expired") << qint64(1000) << Fields{{"expired_keys", "107"}}
                             << Metric::ExpiredPerSec << 7.0;
    QTest::newRow("cpu, half a core")
        << qint64(2000) << Fields{{"used_cpu_sys", "10.400000"}, {"used_cpu_user", "20.600000"}}
        << Metric::CpuPercent << 50.0;
    QTest::newRow("cpu, beyond one core (io-threads)")
        << qint64(1000) << Fields{{"used_cpu_sys", "10.500000"}, {"used_cpu_user", "20.700000"}}
        << Metric::CpuPercent << 120.0;
    // Over the interval, not since start: 300/100 so far would say 75%.
    QTest::newRow("hit rate over the interval")
        << qint64(1000) << Fields{{"keyspace_hits", "310"}, {"keyspace_misses", "130"}}
        << Metric::HitRatePercent << 25.0;
    QTest::newRow("hit rate, all hits")
        << qint64(1000) << Fields{{"keyspace_hits", "305"}} << Metric::HitRatePercent << 100.0;
    QTest::newRow("missing counter: gap")
        << qint64(1000) << Fields{{"evicted_keys", {}}} << Metric::EvictedPerSec << std::nan("");
}

void TestMetricHistory::rates()
{
    QFETCH(qint64, elapsedMs);
    QFETCH(Fields, next);
    QFETCH(Metric, metric);
    QFETCH(double, expected);

    MetricHistory history;
    history.append(okPoll(t0));
    Fields fields = next;
    fields.emplace("uptime_in_seconds", QByteArray::number(1000 + elapsedMs / 1000));
    history.append(okPoll(t0 + elapsedMs, fields));

    QCOMPARE(history.size(), 2);
    QVERIFY(std::isnan(history.value(metric, 0)));
    const double actual = history.latest(metric);
    if (std::isnan(expected))
        QVERIFY2(std::isnan(actual), qPrintable(QString::number(actual)));
    else
        QVERIFY2(near(actual, expected), qPrintable(QString::number(actual)));
}

void TestMetricHistory::resetIsGap_data()
{
    QTest::addColumn<Fields>("after");

    // A restart whose counters did not go down (a busy restarted server catches up within one
    // interval): only the uptime can tell.
    QTest::newRow("uptime went down")
        << Fields{{"uptime_in_seconds", "1"}, {"total_commands_processed", "20000"}};
    // A restart that the uptime alone would miss (the interval was longer than the old uptime).
    QTest::newRow("run_id changed")
        << Fields{{"run_id", "0000000000000000000000000000000000000001"},
                  {"uptime_in_seconds", "5000"},
                  {"total_commands_processed", "20000"}};
    // CONFIG RESETSTAT: same process, uptime goes on, stats restart. expired_keys climbed back
    // past its old value, only total_commands_processed shows the drop: still no rate at all.
    QTest::newRow("CONFIG RESETSTAT")
        << Fields{{"uptime_in_seconds", "1001"},    {"total_commands_processed", "3"},
                  {"total_net_input_bytes", "100"}, {"total_net_output_bytes", "200"},
                  {"keyspace_hits", "0"},           {"keyspace_misses", "0"},
                  {"expired_keys", "150"}};
    QTest::newRow("one counter went down")
        << Fields{{"uptime_in_seconds", "1001"}, {"keyspace_misses", "99"}};
    QTest::newRow("cpu went down") << Fields{{"uptime_in_seconds", "1001"}, {"used_cpu_sys", "1"}};
}

void TestMetricHistory::resetIsGap()
{
    QFETCH(Fields, after);
    MetricHistory history;
    history.append(okPoll(t0));
    history.append(okPoll(t0 + 1000, after));

    for (const Metric metric : rateMetrics) {
        const double value = history.latest(metric);
        QVERIFY2(std::isnan(value),
                 qPrintable(metricName(metric) + u" = "_s + QString::number(value)));
    }
    QCOMPARE(history.latest(Metric::ConnectedClients), 12.0); // gauges are still read

    // The reset poll is the new baseline: the next interval has rates again.
    Fields later = after;
    later["total_commands_processed"] = QByteArray::number(
        okPoll(0, after).info.integer(u"total_commands_processed"_s).value() + 100);
    history.append(okPoll(t0 + 2000, later));
    QVERIFY(near(history.latest(Metric::OpsPerSec), 100));
}

void TestMetricHistory::failedPollIsGap()
{
    MetricHistory history;
    history.append(okPoll(t0, {{"total_commands_processed", "1000"}}));
    history.append(okPoll(t0 + 1000, {{"total_commands_processed", "1100"}}));
    history.append(failedPoll(t0 + 2000));
    history.append(okPoll(t0 + 3000, {{"total_commands_processed", "1500"}}));
    history.append(okPoll(t0 + 4000, {{"total_commands_processed", "1550"}}));

    QCOMPARE(history.size(), 5);
    QCOMPARE(history.timestampAt(2), t0 + 2000);
    QVERIFY(near(history.value(Metric::OpsPerSec, 1), 100));
    for (int m = 0; m < metricCount; ++m) // the failed poll: nothing at all
        QVERIFY2(std::isnan(history.value(Metric(m), 2)), qPrintable(metricName(Metric(m))));
    // After the gap: gauges yes, rates no (never a rate across the outage: 400/2 s here).
    QCOMPARE(history.value(Metric::UsedMemory, 3), 1048576.0);
    for (const Metric metric : rateMetrics)
        QVERIFY2(std::isnan(history.value(metric, 3)), qPrintable(metricName(metric)));
    QVERIFY(near(history.value(Metric::OpsPerSec, 4), 50));
}

void TestMetricHistory::hitRateWithoutLookups()
{
    MetricHistory history;
    history.append(okPoll(t0));
    history.append(okPoll(t0 + 1000, {{"total_commands_processed", "10010"}}));
    QVERIFY(std::isnan(history.latest(Metric::HitRatePercent))); // not 0%, not 100%
    QVERIFY(near(history.latest(Metric::OpsPerSec), 10));
}

void TestMetricHistory::clockSteppedBack()
{
    MetricHistory history;
    history.append(okPoll(t0));
    history.append(okPoll(t0 - 5000, {{"total_commands_processed", "10100"}}));
    QCOMPARE(history.timestampAt(1), t0); // clamped: rows stay in time order
    QVERIFY(std::isnan(history.latest(Metric::OpsPerSec)));
    history.append(okPoll(t0 - 4000, {{"total_commands_processed", "10200"}}));
    QVERIFY(near(history.latest(Metric::OpsPerSec), 100));
}

void TestMetricHistory::ownPollTrafficIsNotCounted()
{
    // The first poll sent 1,401 commands (200 queues); Redis counted them before the next INFO.
    PollSnapshot first = okPoll(1'000'000);
    first.cost = {1401, 1, 40'000, 60'000, 1.0};
    MetricHistory history;
    history.append(first);
    history.append(okPoll(1'001'000, {{"total_commands_processed", "11901"},
                                      {"total_net_input_bytes", "540500"},
                                      {"total_net_output_bytes", "960800"}}));
    QCOMPARE(history.latest(Metric::OpsPerSec), 500.0);        // 1,901 counted - 1,401 ours
    QCOMPARE(history.latest(Metric::NetInKbps), 4.0);          // 500 bytes/s of others' traffic
    QCOMPARE(float(history.latest(Metric::NetOutKbps)), 6.4f); // 800 bytes/s (stored as float)
    // Never negative, even if our estimate exceeds what the server counted.
    PollSnapshot big = okPoll(1'002'000, {{"total_commands_processed", "11901"}});
    big.cost.commands = 5000;
    history.append(big);
    history.append(okPoll(1'003'000, {{"total_commands_processed", "12000"}}));
    QCOMPARE(history.latest(Metric::OpsPerSec), 0.0);
}

void TestMetricHistory::wrap()
{
    MetricHistory history(5);
    for (int i = 0; i < 12; ++i)
        history.append(okPoll(t0 + i * 1000, {{"connected_clients", QByteArray::number(i)}}));

    QCOMPARE(history.size(), 5);
    QCOMPARE(history.capacity(), 5);
    for (int i = 0; i < 5; ++i) { // rows 7..11 remain, oldest first
        QCOMPARE(history.timestampAt(i), t0 + (7 + i) * 1000);
        QCOMPARE(history.value(Metric::ConnectedClients, i), double(7 + i));
    }
    QCOMPARE(history.latest(Metric::ConnectedClients), 11.0);

    QCOMPARE(history.lowerBound(0), 0);
    QCOMPARE(history.lowerBound(t0 + 7000), 0);
    QCOMPARE(history.lowerBound(t0 + 7001), 1);
    QCOMPARE(history.lowerBound(t0 + 9000), 2);
    QCOMPARE(history.lowerBound(t0 + 10500), 4);
    QCOMPARE(history.lowerBound(t0 + 11000), 4);
    QCOMPARE(history.lowerBound(t0 + 11001), 5);
    QVERIFY(history.memoryBytes() < 1024); // capacity bounds the arrays, not 3600 rows

    history.clear();
    QCOMPARE(history.size(), 0);
    QCOMPARE(history.lowerBound(0), 0);
    history.append(okPoll(t0));
    QCOMPARE(history.timestampAt(0), t0);
}

void TestMetricHistory::csv()
{
    // A decimal comma locale must not leak into the file.
    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));

    MetricHistory history;
    history.append(okPoll(t0 + 5, {{"mem_fragmentation_ratio", "1.25"}}));
    history.append(failedPoll(t0 + 1000));
    history.append(okPoll(t0 + 2000, {{"total_commands_processed", "10300"}}));
    history.append(okPoll(t0 + 3000, {{"total_commands_processed", "10333"}}));
    const QList<Metric> columns = {Metric::UsedMemory, Metric::Fragmentation, Metric::OpsPerSec};

    QCOMPARE(history.toCsv(columns), "time,usedMemory,fragmentation,opsPerSec\n"
                                     "2023-11-14T22:13:20.005Z,1048576,1.25,\n"
                                     "2023-11-14T22:13:21.000Z,,,\n"
                                     "2023-11-14T22:13:22.000Z,1048576,2,\n"
                                     "2023-11-14T22:13:23.000Z,1048576,2,33\n"_ba);
    // Half-open range [from, to).
    QCOMPARE(history.toCsv({Metric::ConnectedClients}, t0 + 1000, t0 + 3000),
             "time,connectedClients\n"
             "2023-11-14T22:13:21.000Z,\n"
             "2023-11-14T22:13:22.000Z,12\n"_ba);
    QCOMPARE(history.toCsv(columns, t0 + 9000, t0 + 10000),
             "time,usedMemory,fragmentation,opsPerSec\n"_ba);
    // Fractions: shortest text that reads back as the stored float.
    history.append(okPoll(t0 + 6000, {{"total_commands_processed", "10334"}}));
    QCOMPARE(history.toCsv({Metric::OpsPerSec}, t0 + 6000),
             "time,opsPerSec\n2023-11-14T22:13:26.000Z,0.33333334\n"_ba);
    // No metrics named: all of them, in enum order.
    const QByteArray all = history.toCsv({}, t0 + 6000);
    QVERIFY(all.startsWith("time,usedMemory,rssMemory,maxMemory,opsPerSec,"));
    QCOMPARE(all.count(','), 2 * metricCount);

    QLocale::setDefault(previous);
}

void TestMetricHistory::memoryFor24Hours()
{
    MetricHistory history;
    const qint64 empty = history.memoryBytes();
    QVERIFY(empty < 4096); // nothing allocated before the first row
    const PollSnapshot poll = okPoll(t0);
    PollSnapshot tick = poll;
    for (int i = 0; i < 86'400 + 10; ++i) {
        tick.timestampMs = t0 + i * 1000LL;
        history.append(i % 600 == 0 ? failedPoll(tick.timestampMs) : tick);
    }
    QCOMPARE(history.size(), 86'400);
    const qint64 bytes = history.memoryBytes();
    qInfo("24 h of one server: %lld bytes (%.2f MiB)", bytes, bytes / 1048576.0);
    QVERIFY(bytes >= 86'400LL * (8 + 4 * metricCount));
    QVERIFY(bytes < 30'000'000);
}

QTEST_GUILESS_MAIN(TestMetricHistory)
#include "tst_metrichistory.moc"
