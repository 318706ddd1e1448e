#include "fixtures.h"
#include "monitor/healthreport.h"
#include "monitor/units.h"

#include <QTest>

#include <map>

using namespace qs::monitor;
using namespace qs::redis;
using namespace Qt::StringLiterals;
using qs::test::readFixture;
using Status = HealthReport::Status;

namespace {

using Fields = std::map<QByteArray, QByteArray>;

// A healthy master with a 1 GiB maxmemory at 50%, as INFO would print it; each case overrides
// a few fields. Sections do not matter to evaluateHealth, one is enough.
QByteArray infoText(const Fields &overrides)
{
    Fields fields = {
        {"redis_version", "7.2.4"},
        {"redis_mode", "standalone"},
        {"uptime_in_seconds", "86400"},
        {"connected_clients", "12"},
        {"maxclients", "10000"},
        {"blocked_clients", "4"},
        {"used_memory", "536870912"},
        {"used_memory_rss", "601882624"},
        {"maxmemory", "1073741824"},
        {"maxmemory_policy", "noeviction"},
        {"mem_fragmentation_ratio", "1.12"},
        {"loading", "0"},
        {"rdb_last_bgsave_status", "ok"},
        {"aof_enabled", "0"},
        {"aof_last_bgrewrite_status", "ok"},
        {"aof_last_write_status", "ok"},
        {"instantaneous_ops_per_sec", "250"},
        {"rejected_connections", "0"},
        {"expired_keys", "10"},
        {"evicted_keys", "0"},
        {"keyspace_hits", "90"},
        {"keyspace_misses", "10"},
        {"role", "master"},
        {"connected_slaves", "0"},
        {"db0", "keys=100,expires=5,avg_ttl=1000"},
    };
    for (const auto &[key, value] : overrides)
        fields[key] = value;
    QByteArray text = "# Everything\r\n";
    for (const auto &[key, value] : fields) {
        if (!value.isNull()) // a null override removes the field
            text += key + ':' + value + "\r\n";
    }
    return text;
}

} // namespace

class TestHealthReport : public QObject
{
    Q_OBJECT

private slots:
    void synthetic_data();
    void synthetic();
    void values();
    void reasonsWorstFirst();
    void customThresholds();
    void emptySnapshot();
    void impossibleValues_data();
    void impossibleValues();
    void impossibleValuesAreNeverHealthy();
    void fixtures_data();
    void fixtures();
    void statusNames();
    void formatBytes_data();
    void formatBytes();
    void formatCount_data();
    void formatCount();
    void formatUnknown();
};

void TestHealthReport::synthetic_data()
{
    QTest::addColumn<Fields>("overrides");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QString>("reason"); // exact text of the only reason, or empty

    const QByteArray removed; // null: the field is not in the reply
    QTest::newRow("healthy") << Fields{} << Status::Healthy << QString();
    QTest::newRow("memory 80.0% is not above 80")
        << Fields{{"used_memory", "858993459"}} << Status::Healthy << QString();
    QTest::newRow("memory 85%") << Fields{{"used_memory", "912680550"}} << Status::Degraded
                                << u"memory at 85.0% of maxmemory (870 MiB of 1.0 GiB)"_s;
    QTest::newRow("memory 95.0% is not above 95")
        << Fields{{"used_memory", "1020054732"}} << Status::Degraded
        << u"memory at 95.0% of maxmemory (973 MiB of 1.0 GiB)"_s;
    QTest::newRow("memory 96%") << Fields{{"used_memory", "1030792151"}} << Status::Unhealthy
                                << u"memory at 96.0% of maxmemory (983 MiB of 1.0 GiB)"_s;
    QTest::newRow("brief example")
        << Fields{{"used_memory", "1958505088"}, {"maxmemory", "2147483648"}} << Status::Degraded
        << u"memory at 91.2% of maxmemory (1.8 GiB of 2.0 GiB)"_s;
    QTest::newRow("no maxmemory") << Fields{{"maxmemory", "0"}, {"used_memory", "99999999999"}}
                                  << Status::Healthy << QString();
    QTest::newRow("evicted, lru")
        << Fields{{"evicted_keys", "1204"}, {"maxmemory_policy", "allkeys-lru"}} << Status::Degraded
        << u"evicted 1,204 keys since start: a queue broker must not evict (maxmemory-policy "
           "allkeys-lru); use noeviction"_s;
    QTest::newRow("evicted, policy since changed")
        << Fields{{"evicted_keys", "3"}} << Status::Degraded
        << u"evicted 3 keys since start: a queue broker must not evict; maxmemory-policy is "
           "noeviction now, so an earlier policy evicted them"_s;
    QTest::newRow("evicted, policy unknown")
        << Fields{{"evicted_keys", "2000"}, {"maxmemory_policy", removed}} << Status::Degraded
        << u"evicted 2,000 keys since start: a queue broker must not evict; use noeviction"_s;
    QTest::newRow("evicting policy")
        << Fields{{"maxmemory_policy", "volatile-lru"}} << Status::Degraded
        << u"maxmemory-policy is volatile-lru: when memory reaches maxmemory (1.0 GiB) Redis will "
           "evict keys, queued jobs included; use noeviction"_s;
    QTest::newRow("evicting policy without maxmemory")
        << Fields{{"maxmemory_policy", "allkeys-lru"}, {"maxmemory", "0"}} << Status::Healthy
        << QString();
    QTest::newRow("rdb err") << Fields{{"rdb_last_bgsave_status", "err"}} << Status::Unhealthy
                             << u"last RDB snapshot failed (rdb_last_bgsave_status:err): Redis "
                                "refuses writes while stop-writes-on-bgsave-error is on; check "
                                "disk space and the server log"_s;
    QTest::newRow("aof write err")
        << Fields{{"aof_enabled", "1"}, {"aof_last_write_status", "err"}} << Status::Unhealthy
        << u"AOF writes are failing (aof_last_write_status:err): Redis refuses writes until the "
           "append-only file can be written; check disk space and the server log"_s;
    QTest::newRow("aof rewrite err")
        << Fields{{"aof_enabled", "1"}, {"aof_last_bgrewrite_status", "err"}} << Status::Unhealthy
        << u"last AOF rewrite failed (aof_last_bgrewrite_status:err): the append-only file keeps "
           "growing; check disk space and the server log"_s;
    QTest::newRow("rejected connections")
        << Fields{{"rejected_connections", "3"}} << Status::Degraded
        << u"rejected 3 connections since start: maxclients (10,000) was reached; raise it or "
           "find the client that leaks connections"_s;
    QTest::newRow("replica link up") << Fields{{"role", "slave"},
                                               {"master_host", "10.0.0.5"},
                                               {"master_port", "6379"},
                                               {"master_link_status", "up"}}
                                     << Status::Healthy << QString();
    QTest::newRow("replica link down")
        << Fields{{"role", "slave"},
                  {"master_host", "10.0.0.5"},
                  {"master_port", "6379"},
                  {"master_link_status", "down"},
                  {"master_link_down_since_seconds", "1234"}}
        << Status::Unhealthy
        << u"replica has no link to its master 10.0.0.5:6379 (master_link_status:down for "
           "1,234 s): it serves stale data"_s;
    QTest::newRow("replica syncing")
        << Fields{{"role", "slave"},
                  {"master_host", "m"},
                  {"master_port", "6379"},
                  {"master_link_status", "down"},
                  {"master_sync_in_progress", "1"},
                  {"master_link_down_since_seconds", "-1"}}
        << Status::Unhealthy
        << u"replica has no link to its master m:6379 (master_link_status:down since this "
           "replica started, a full sync is in progress): it serves stale data"_s;
    QTest::newRow("loading") << Fields{{"loading", "1"}, {"loading_loaded_perc", "42.17"}}
                             << Status::Degraded
                             << u"loading the dataset from disk (42.2% done): Redis answers "
                                "LOADING to most commands until it finishes"_s;
    QTest::newRow("fragmented")
        << Fields{{"mem_fragmentation_ratio", "1.80"},
                  {"used_memory", "209715200"},
                  {"used_memory_rss", "377487360"}}
        << Status::Degraded
        << u"memory fragmentation ratio 1.80 (RSS 360 MiB for 200 MiB of data): enable "
           "activedefrag or restart the server at a quiet time"_s;
    QTest::newRow("fragmented but tiny")
        << Fields{{"mem_fragmentation_ratio", "9.34"}, {"used_memory", "1355480"}}
        << Status::Healthy << QString();
    QTest::newRow("fragmentation 1.5 is not above")
        << Fields{{"mem_fragmentation_ratio", "1.50"}, {"used_memory", "209715200"}}
        << Status::Healthy << QString();
    QTest::newRow("blocked workers are normal")
        << Fields{{"blocked_clients", "5000"}} << Status::Healthy << QString();
    QTest::newRow("memory section missing") << Fields{{"used_memory", removed},
                                                      {"maxmemory", removed},
                                                      {"maxmemory_policy", removed},
                                                      {"mem_fragmentation_ratio", removed}}
                                            << Status::Healthy << QString();
}

void TestHealthReport::synthetic()
{
    QFETCH(Fields, overrides);
    QFETCH(Status, status);
    QFETCH(QString, reason);

    const HealthReport report = evaluateHealth(parseInfo(infoText(overrides)));
    QCOMPARE(report.reasons, reason.isEmpty() ? QStringList() : QStringList{reason});
    QCOMPARE(statusName(report.status), statusName(status));
}

void TestHealthReport::values()
{
    const HealthReport r = evaluateHealth(parseInfo(infoText({})));
    QCOMPARE(r.server, u"redis"_s);
    QCOMPARE(r.version, u"7.2.4"_s);
    QCOMPARE(r.role, u"master"_s);
    QCOMPARE(r.mode, u"standalone"_s);
    QCOMPARE(r.uptimeSeconds, std::optional<qint64>(86400));
    QCOMPARE(r.usedMemory, std::optional<qint64>(536870912));
    QCOMPARE(r.maxMemory, 1073741824);
    QCOMPARE(r.rss, std::optional<qint64>(601882624));
    QCOMPARE(r.memoryPercent, std::optional(50.0));
    QCOMPARE(r.maxmemoryPolicy, u"noeviction"_s);
    QCOMPARE(r.connectedClients, std::optional<qint64>(12));
    QCOMPARE(r.blockedClients, std::optional<qint64>(4));
    QCOMPARE(r.opsPerSec, std::optional(250.0));
    QCOMPARE(r.hitRatePercent, std::optional(90.0));
    QCOMPARE(r.fragmentationRatio, std::optional(1.12));
    QCOMPARE(r.rdbLastStatus, u"ok"_s);
    QCOMPARE(r.aofLastWriteStatus, u"ok"_s);
    QVERIFY(!r.aofEnabled);
    QCOMPARE(r.totalKeys, std::optional<qint64>(100));
    QCOMPARE(r.masterLinkStatus, QString());
    QCOMPARE(r.maxReplicaLagSeconds, std::optional<qint64>());

    const HealthReport noLookups =
        evaluateHealth(parseInfo(infoText({{"keyspace_hits", "0"}, {"keyspace_misses", "0"}})));
    QCOMPARE(noLookups.hitRatePercent, std::optional<double>());
    const HealthReport noLimit = evaluateHealth(parseInfo(infoText({{"maxmemory", "0"}})));
    QCOMPARE(noLimit.memoryPercent, std::optional<double>());
}

void TestHealthReport::reasonsWorstFirst()
{
    const HealthReport report =
        evaluateHealth(parseInfo(infoText({{"rejected_connections", "1"},
                                           {"evicted_keys", "5"},
                                           {"loading", "1"},
                                           {"maxmemory_policy", "allkeys-lfu"},
                                           {"rdb_last_bgsave_status", "err"}})));
    QCOMPARE(report.status, Status::Unhealthy);
    QCOMPARE(report.reasons.size(), 4); // the policy is named once, in the eviction reason
    QVERIFY(report.reasons.at(0).startsWith(u"last RDB snapshot failed"_s));
    QVERIFY(report.reasons.at(3).contains(u"(maxmemory-policy allkeys-lfu)"_s));
}

void TestHealthReport::customThresholds()
{
    HealthThresholds strict;
    strict.memoryWarnPercent = 40;
    strict.memoryCriticalPercent = 45;
    const HealthReport report = evaluateHealth(parseInfo(infoText({})), strict);
    QCOMPARE(report.status, Status::Unhealthy);
    QCOMPARE(report.reasons.first(), u"memory at 50.0% of maxmemory (512 MiB of 1.0 GiB)"_s);

    HealthThresholds tolerant;
    tolerant.fragmentationWarnRatio = 2;
    const HealthReport fragmented = evaluateHealth(
        parseInfo(infoText({{"mem_fragmentation_ratio", "1.9"}, {"used_memory", "209715200"}})),
        tolerant);
    QCOMPARE(fragmented.status, Status::Healthy);
}

void TestHealthReport::emptySnapshot()
{
    const HealthReport report = evaluateHealth(InfoSnapshot{});
    QCOMPARE(report.status, Status::Degraded);
    QCOMPARE(report.reasons, QStringList{u"INFO returned no fields: health unknown"_s});
}

void TestHealthReport::impossibleValues_data()
{
    QTest::addColumn<Fields>("overrides");
    QTest::addColumn<QString>("reason");

    const auto row = [](const char *name, Fields fields, const QString &reason) {
        QTest::newRow(name) << std::move(fields) << reason;
    };
    row("negative used_memory", {{"used_memory", "-1073741824"}},
        u"INFO used_memory is impossible (-1073741824): shown as unknown"_s);
    row("used_memory above 2^60", {{"used_memory", "1152921504606846977"}},
        u"INFO used_memory is impossible (1152921504606846977): shown as unknown"_s);
    row("used_memory beyond 64 bits", {{"used_memory", "99999999999999999999999"}},
        u"INFO used_memory is impossible (99999999999999999999999): shown as unknown"_s);
    row("used_memory not a number", {{"used_memory", "nan"}},
        u"INFO used_memory is impossible (nan): shown as unknown"_s);
    row("negative rss", {{"used_memory_rss", "-5"}},
        u"INFO used_memory_rss is impossible (-5): shown as unknown"_s);
    row("negative maxmemory", {{"maxmemory", "-1"}},
        u"INFO maxmemory is impossible (-1): shown as unknown"_s);
    row("negative clients", {{"connected_clients", "-3"}},
        u"INFO connected_clients is impossible (-3): shown as unknown"_s);
    row("absurd clients", {{"connected_clients", "99999999999"}},
        u"INFO connected_clients is impossible (99999999999): shown as unknown"_s);
    row("negative replicas", {{"connected_slaves", "-2"}},
        u"INFO connected_slaves is impossible (-2): shown as unknown"_s);
    row("negative keys", {{"db0", "keys=-7,expires=0,avg_ttl=0"}},
        u"INFO db0 keys is impossible (-7): shown as unknown"_s);
    row("NaN ops", {{"instantaneous_ops_per_sec", "nan"}},
        u"INFO instantaneous_ops_per_sec is impossible (nan): shown as unknown"_s);
    row("infinite fragmentation", {{"mem_fragmentation_ratio", "inf"}},
        u"INFO mem_fragmentation_ratio is impossible (inf): shown as unknown"_s);
    row("negative evictions", {{"evicted_keys", "-1"}},
        u"INFO evicted_keys is impossible (-1): shown as unknown"_s);
    row("negative uptime", {{"uptime_in_seconds", "-60"}},
        u"INFO uptime_in_seconds is impossible (-60): shown as unknown"_s);
    row("long value cut short", {{"connected_clients", QByteArray(100, '9')}},
        u"INFO connected_clients is impossible (%1…): shown as unknown"_s.arg(QString(40, u'9')));
}

void TestHealthReport::impossibleValues()
{
    QFETCH(Fields, overrides);
    QFETCH(QString, reason);

    const HealthReport report = evaluateHealth(parseInfo(infoText(overrides)));
    QCOMPARE(statusName(report.status), statusName(Status::Degraded));
    QCOMPARE(report.reasons, QStringList{reason});
}

void TestHealthReport::impossibleValuesAreNeverHealthy()
{
    // All at once, on an otherwise healthy server: each value unknown, never a negative number.
    const HealthReport r = evaluateHealth(parseInfo(infoText({{"used_memory", "-5"},
                                                              {"connected_clients", "-1"},
                                                              {"connected_slaves", "-1"},
                                                              {"db0", "keys=-1"},
                                                              {"db1", "keys=10"}})));
    QCOMPARE(statusName(r.status), statusName(Status::Degraded));
    QCOMPARE(r.reasons.size(), 4);
    QCOMPARE(r.usedMemory, std::optional<qint64>());
    QCOMPARE(r.memoryPercent, std::optional<double>()); // no percentage of an unknown
    QCOMPARE(r.connectedClients, std::optional<qint64>());
    QCOMPARE(r.connectedReplicas, std::optional<qint64>());
    QCOMPARE(r.totalKeys, std::optional<qint64>());
    QCOMPARE(qs::monitor::formatBytes(r.usedMemory), u"unknown"_s);
    // An impossible value next to a real problem: the real problem still sets the status.
    const HealthReport worse = evaluateHealth(
        parseInfo(infoText({{"used_memory", "-5"}, {"rdb_last_bgsave_status", "err"}})));
    QCOMPARE(statusName(worse.status), statusName(Status::Unhealthy));
    // Absent is not impossible: an old or trimmed INFO leaves the value unknown, nothing more.
    const HealthReport absent =
        evaluateHealth(parseInfo(infoText({{"connected_slaves", QByteArray()}})));
    QCOMPARE(statusName(absent.status), statusName(Status::Healthy));
    QCOMPARE(absent.connectedReplicas, std::optional<qint64>());
    // No keyspace line is an empty server: 0 keys, known.
    const HealthReport empty = evaluateHealth(parseInfo(infoText({{"db0", QByteArray()}})));
    QCOMPARE(empty.totalKeys, std::optional<qint64>(0));
}

void TestHealthReport::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<qint64>("totalKeys");
    QTest::addColumn<QStringList>("reasonStarts"); // worst first

    QTest::newRow("redis 7.0 poll") << u"redis-7.0-poll.txt"_s << Status::Healthy << u"redis"_s
                                    << u"7.0.15"_s << u"standalone"_s << 8LL << QStringList();
    QTest::newRow("redis 7.0 master")
        << u"redis-7.0-master-2-replicas.txt"_s << Status::Healthy << u"redis"_s << u"7.0.15"_s
        << u"standalone"_s << 9LL << QStringList();
    QTest::newRow("redis 7.0 replica")
        << u"redis-7.0-replica-link-down.txt"_s << Status::Unhealthy << u"redis"_s << u"7.0.15"_s
        << u"standalone"_s << 9LL
        << QStringList{u"replica has no link to its master 127.0.0.1:33071 "
                       "(master_link_status:down for 4 s)"_s};
    QTest::newRow("redis 7.0 evicting")
        << u"redis-7.0-evicting.txt"_s << Status::Unhealthy << u"redis"_s << u"7.0.15"_s
        << u"standalone"_s << 2919LL
        << QStringList{u"memory at 100.1% of maxmemory (4.0 MiB of 4.0 MiB)"_s,
                       u"evicted 3,081 keys since start"_s};
    QTest::newRow("redis 6.2")
        << u"redis-6.2.txt"_s << Status::Degraded << u"redis"_s << u"6.2.14"_s << u"standalone"_s
        << 1281873LL
        << QStringList{u"memory at 91.2% of maxmemory (1.8 GiB of 2.0 GiB)"_s,
                       u"evicted 1,204 keys since start: a queue broker must not evict "
                       "(maxmemory-policy allkeys-lru); use noeviction"_s};
    QTest::newRow("redis 5.0") << u"redis-5.0.txt"_s << Status::Healthy << u"redis"_s << u"5.0.14"_s
                               << u"standalone"_s << 1855LL << QStringList();
    QTest::newRow("valkey 8.0") << u"valkey-8.0.txt"_s << Status::Healthy << u"valkey"_s
                                << u"8.0.1"_s << u"standalone"_s << 48930LL << QStringList();
    QTest::newRow("keydb 6.3") << u"keydb-6.3.txt"_s << Status::Degraded << u"keydb"_s << u"6.3.4"_s
                               << u"standalone"_s << 210049LL
                               << QStringList{u"memory fragmentation ratio 1.78 (RSS 682 MiB "
                                              "for 384 MiB of data)"_s};
}

void TestHealthReport::fixtures()
{
    QFETCH(QString, file);
    QFETCH(Status, status);
    QFETCH(QString, server);
    QFETCH(QString, version);
    QFETCH(QString, mode);
    QFETCH(qint64, totalKeys);
    QFETCH(QStringList, reasonStarts);

    const HealthReport report = evaluateHealth(parseInfo(readFixture(u"info/"_s + file)));
    QCOMPARE(statusName(report.status), statusName(status));
    QCOMPARE(report.server, server);
    QCOMPARE(report.version, version);
    QCOMPARE(report.mode, mode);
    QCOMPARE(report.totalKeys, std::optional(totalKeys));
    QCOMPARE(report.reasons.size(), reasonStarts.size());
    for (qsizetype i = 0; i < reasonStarts.size(); ++i)
        QVERIFY2(report.reasons.at(i).startsWith(reasonStarts.at(i)),
                 qPrintable(report.reasons.at(i)));
    QVERIFY(report.usedMemory > 0);
    QVERIFY(report.rss > 0);
    QVERIFY(report.fragmentationRatio > 0);
    QCOMPARE(report.rdbLastStatus, u"ok"_s);
    QCOMPARE(report.aofLastWriteStatus, u"ok"_s);
}

void TestHealthReport::statusNames()
{
    QCOMPARE(statusName(Status::Healthy), u"healthy"_s);
    QCOMPARE(statusName(Status::Degraded), u"degraded"_s);
    QCOMPARE(statusName(Status::Unhealthy), u"unhealthy"_s);
}

void TestHealthReport::formatBytes_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0LL << u"0 B"_s;
    QTest::newRow("bytes") << 812LL << u"812 B"_s;
    QTest::newRow("just below KiB") << 1023LL << u"1023 B"_s;
    QTest::newRow("one KiB") << 1024LL << u"1.0 KiB"_s;
    QTest::newRow("512 KiB") << 524288LL << u"512 KiB"_s;
    QTest::newRow("rounds up to 100") << 102399LL << u"100 KiB"_s;
    QTest::newRow("rounds up to MiB") << 1048575LL << u"1.0 MiB"_s;
    QTest::newRow("1.8 GiB") << 1958505088LL << u"1.8 GiB"_s;
    QTest::newRow("2 GiB") << 2147483648LL << u"2.0 GiB"_s;
    QTest::newRow("TiB") << 5LL * 1024 * 1024 * 1024 * 1024 << u"5.0 TiB"_s;
    QTest::newRow("negative") << -2048LL << u"-2.0 KiB"_s;
    QTest::newRow("max") << std::numeric_limits<qint64>::max() << u"8.0 EiB"_s;
    QTest::newRow("min") << std::numeric_limits<qint64>::min() << u"-8.0 EiB"_s;
}

void TestHealthReport::formatBytes()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(qs::monitor::formatBytes(bytes), text);
}

void TestHealthReport::formatCount_data()
{
    QTest::addColumn<qint64>("count");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0LL << u"0"_s;
    QTest::newRow("999") << 999LL << u"999"_s;
    QTest::newRow("1000") << 1000LL << u"1,000"_s;
    QTest::newRow("1204") << 1204LL << u"1,204"_s;
    QTest::newRow("million") << 1234567LL << u"1,234,567"_s;
    QTest::newRow("negative") << -1204LL << u"-1,204"_s;
    QTest::newRow("min") << std::numeric_limits<qint64>::min() << u"-9,223,372,036,854,775,808"_s;
}

void TestHealthReport::formatCount()
{
    QFETCH(qint64, count);
    QFETCH(QString, text);
    QCOMPARE(qs::monitor::formatCount(count), text);
}

void TestHealthReport::formatUnknown()
{
    QCOMPARE(qs::monitor::formatBytes(std::optional<qint64>()), u"unknown"_s);
    QCOMPARE(qs::monitor::formatCount(std::optional<qint64>()), u"unknown"_s);
    QCOMPARE(qs::monitor::formatBytes(std::optional<qint64>(2048)), u"2.0 KiB"_s);
    QCOMPARE(qs::monitor::formatCount(std::optional<qint64>(1204)), u"1,204"_s);
}

QTEST_APPLESS_MAIN(TestHealthReport)
#include "tst_healthreport.moc"
