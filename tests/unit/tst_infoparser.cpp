#include "fixtures.h"
#include "redis/infosnapshot.h"

#include <QRandomGenerator>
#include <QTest>

using namespace qs::redis;
using namespace Qt::StringLiterals;
using qs::test::readFixture;

namespace {

const QStringList allFixtures = {
    u"redis-7.0-poll.txt"_s,
    u"redis-7.0-everything.txt"_s,
    u"redis-7.0-master-2-replicas.txt"_s,
    u"redis-7.0-replica-link-down.txt"_s,
    u"redis-7.0-evicting.txt"_s,
    u"redis-6.2.txt"_s,
    u"redis-5.0.txt"_s,
    u"valkey-8.0.txt"_s,
    u"keydb-6.3.txt"_s,
};

const KeyspaceEntry *findDb(const InfoSnapshot &info, int db)
{
    for (const KeyspaceEntry &entry : info.keyspace) {
        if (entry.db == db)
            return &entry;
    }
    return nullptr;
}

const CommandStat *findCommand(const InfoSnapshot &info, const QString &command)
{
    for (const CommandStat &stat : info.commandStats) {
        if (stat.command == command)
            return &stat;
    }
    return nullptr;
}

} // namespace

class TestInfoParser : public QObject
{
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
    void sectionsKeepServerOrder();
    void commandStats();
    void errorStats();
    void replicas();
    void synthetic();
    void numbers_data();
    void numbers();
    void emptyInput();
    void truncatedInputKeepsWhatItCan();
    void everyPrefixParses();
    void garbageDoesNotCrash();
};

void TestInfoParser::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("role");
    QTest::addColumn<qint64>("usedMemory");
    QTest::addColumn<qint64>("maxMemory");
    QTest::addColumn<int>("databases");
    QTest::addColumn<qint64>("db0Keys");
    QTest::addColumn<int>("commands");
    QTest::addColumn<int>("errors");
    QTest::addColumn<int>("replicas");

    QTest::newRow("redis 7.0 poll") << u"redis-7.0-poll.txt"_s << u"7.0.15"_s << u"master"_s
                                    << 1239456LL << 0LL << 2 << 6LL << 0 << 0 << 0;
    QTest::newRow("redis 7.0 everything")
        << u"redis-7.0-everything.txt"_s << u"7.0.15"_s << u"master"_s << 1214096LL << 0LL << 2
        << 6LL << 13 << 2 << 0;
    QTest::newRow("redis 7.0 master") << u"redis-7.0-master-2-replicas.txt"_s << u"7.0.15"_s
                                      << u"master"_s << 1355480LL << 0LL << 2 << 7LL << 0 << 0 << 2;
    QTest::newRow("redis 7.0 replica") << u"redis-7.0-replica-link-down.txt"_s << u"7.0.15"_s
                                       << u"slave"_s << 1105928LL << 0LL << 2 << 7LL << 0 << 0 << 0;
    QTest::newRow("redis 7.0 evicting") << u"redis-7.0-evicting.txt"_s << u"7.0.15"_s << u"master"_s
                                        << 4196472LL << 4194304LL << 1 << 2919LL << 0 << 0 << 0;
    QTest::newRow("redis 6.2") << u"redis-6.2.txt"_s << u"6.2.14"_s << u"master"_s << 1958505088LL
                               << 2147483648LL << 1 << 1281873LL << 20 << 3 << 1;
    QTest::newRow("redis 5.0") << u"redis-5.0.txt"_s << u"5.0.14"_s << u"master"_s << 2158392LL
                               << 0LL << 2 << 1843LL << 20 << 0 << 0;
    // Valkey keeps redis_version as a compatibility claim; its own version is valkey_version.
    QTest::newRow("valkey 8.0") << u"valkey-8.0.txt"_s << u"7.2.4"_s << u"master"_s << 73400320LL
                                << 1073741824LL << 1 << 48930LL << 13 << 1 << 1;
    QTest::newRow("keydb 6.3") << u"keydb-6.3.txt"_s << u"6.3.4"_s << u"master"_s << 402653184LL
                               << 4294967296LL << 2 << 210044LL << 0 << 0 << 0;
}

void TestInfoParser::fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, version);
    QFETCH(QString, role);
    QFETCH(qint64, usedMemory);
    QFETCH(qint64, maxMemory);
    QFETCH(int, databases);
    QFETCH(qint64, db0Keys);
    QFETCH(int, commands);
    QFETCH(int, errors);
    QFETCH(int, replicas);
    const InfoSnapshot info = parseInfo(readFixture(u"info/"_s + file));

    QVERIFY(!info.isEmpty());
    QCOMPARE(info.text(u"redis_version"_s), version);
    QCOMPARE(info.text(u"role"_s), role);
    QCOMPARE(info.integer(u"used_memory"_s), std::optional<qint64>(usedMemory));
    QCOMPARE(info.integer(u"maxmemory"_s), std::optional<qint64>(maxMemory));
    QCOMPARE(info.keyspace.size(), databases);
    const KeyspaceEntry *db0 = findDb(info, 0);
    QVERIFY(db0);
    QCOMPARE(db0->keys, db0Keys);
    QCOMPARE(info.commandStats.size(), commands);
    QCOMPARE(info.errorStats.size(), errors);
    QCOMPARE(info.replicas.size(), replicas);

    // Every field is also in its section, and no CR from CRLF leaks into keys or values.
    qsizetype inSections = 0;
    for (const InfoSection &section : info.sections) {
        QVERIFY2(!section.name.isEmpty(), "every fixture starts with a # Server header");
        for (const InfoField &field : section.fields) {
            QVERIFY(!field.key.contains(u'\r') && !field.value.contains(u'\r'));
            QCOMPARE(info.fields.value(field.key), field.value);
            ++inSections;
        }
    }
    QCOMPARE(inSections, info.fields.size()); // INFO keys are unique
    QCOMPARE(info.sections.first().name, u"Server"_s);
    QVERIFY(info.real(u"mem_fragmentation_ratio"_s).has_value());
    QVERIFY(info.real(u"used_memory_peak_perc"_s).has_value()); // "94.60%"
    QVERIFY(!info.integer(u"mem_fragmentation_ratio"_s).has_value());
    QVERIFY(!info.integer(u"maxmemory_policy"_s).has_value());
}

void TestInfoParser::sectionsKeepServerOrder()
{
    const InfoSnapshot info = parseInfo(readFixture(u"info/redis-7.0-everything.txt"_s));
    QStringList names;
    for (const InfoSection &section : info.sections)
        names << section.name;
    QCOMPARE(names,
             QStringList({u"Server"_s, u"Clients"_s, u"Memory"_s, u"Persistence"_s, u"Stats"_s,
                          u"Replication"_s, u"CPU"_s, u"Modules"_s, u"Commandstats"_s,
                          u"Errorstats"_s, u"Latencystats"_s, u"Cluster"_s, u"Keyspace"_s}));
    QVERIFY(info.sections.at(7).fields.isEmpty()); // "# Modules" with no module is kept
    QCOMPARE(info.sections.first().fields.first().key, u"redis_version"_s);
    QCOMPARE(info.text(u"config_file"_s), QString()); // "config_file:" is an empty value
    QVERIFY(info.fields.contains(u"config_file"_s));
    // Latency percentiles stay as text: "p50=12.031,p99=18.047,p99.9=18.047".
    QVERIFY(info.text(u"latency_percentiles_usec_client|list"_s).startsWith(u"p50="_s));

    const InfoSnapshot keydb = parseInfo(readFixture(u"info/keydb-6.3.txt"_s));
    QCOMPARE(keydb.sections.last().name, u"KeyDB"_s); // a fork's own section
    QCOMPARE(keydb.integer(u"mvcc_depth"_s), std::optional<qint64>(0));
    QCOMPARE(keydb.integer(u"thread_3_clients"_s), std::optional<qint64>(10));
    QCOMPARE(keydb.text(u"availability_zone"_s), QString());
}

void TestInfoParser::commandStats()
{
    const InfoSnapshot redis7 = parseInfo(readFixture(u"info/redis-7.0-everything.txt"_s));
    const CommandStat *clientList = findCommand(redis7, u"client|list"_s);
    QVERIFY(clientList);
    QCOMPARE(clientList->calls, 1);
    QCOMPARE(clientList->usec, 19.0);
    QCOMPARE(clientList->usecPerCall, 19.0);
    const CommandStat *get = findCommand(redis7, u"get"_s);
    QVERIFY(get);
    QCOMPARE(get->rejectedCalls, 1); // GET with no key: rejected before it ran
    QCOMPARE(get->failedCalls, 1);   // GET on a list: WRONGTYPE
    const CommandStat *rpush = findCommand(redis7, u"rpush"_s);
    QVERIFY(rpush);
    QCOMPARE(rpush->calls, 20);
    QCOMPARE(rpush->usecPerCall, 10.55);

    // Redis 5 has no rejected_calls/failed_calls and no subcommands.
    const InfoSnapshot redis5 = parseInfo(readFixture(u"info/redis-5.0.txt"_s));
    const CommandStat *brpop = findCommand(redis5, u"brpop"_s);
    QVERIFY(brpop);
    QCOMPARE(brpop->calls, 1104211);
    QCOMPARE(brpop->usec, 16372204.0);
    QCOMPARE(brpop->usecPerCall, 14.83);
    QCOMPARE(brpop->rejectedCalls, 0);
    QCOMPARE(brpop->failedCalls, 0);
    QVERIFY(findCommand(redis5, u"client"_s));

    const InfoSnapshot redis62 = parseInfo(readFixture(u"info/redis-6.2.txt"_s));
    const CommandStat *evalsha = findCommand(redis62, u"evalsha"_s);
    QVERIFY(evalsha);
    QCOMPARE(evalsha->calls, 412847763);
    QCOMPARE(evalsha->usec, 6606364208.0);
    QCOMPARE(evalsha->failedCalls, 1382);
    QCOMPARE(redis62.commandStats.first().command, u"evalsha"_s); // server order kept
}

void TestInfoParser::errorStats()
{
    const InfoSnapshot redis7 = parseInfo(readFixture(u"info/redis-7.0-everything.txt"_s));
    QCOMPARE(redis7.errorStats.size(), 2);
    QCOMPARE(redis7.errorStats.at(0).prefix, u"ERR"_s);
    QCOMPARE(redis7.errorStats.at(0).count, 2);
    QCOMPARE(redis7.errorStats.at(1).prefix, u"WRONGTYPE"_s);
    QCOMPARE(redis7.errorStats.at(1).count, 1);

    const InfoSnapshot valkey = parseInfo(readFixture(u"info/valkey-8.0.txt"_s));
    QCOMPARE(valkey.errorStats.size(), 1);
    QCOMPARE(valkey.errorStats.first().prefix, u"NOPERM"_s);
    QCOMPARE(valkey.errorStats.first().count, 5);
}

void TestInfoParser::replicas()
{
    const InfoSnapshot master = parseInfo(readFixture(u"info/redis-7.0-master-2-replicas.txt"_s));
    QCOMPARE(master.integer(u"connected_slaves"_s), std::optional<qint64>(2));
    QCOMPARE(master.replicas.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const ReplicaEntry &replica = master.replicas.at(i);
        QCOMPARE(replica.index, i);
        QCOMPARE(replica.ip, u"127.0.0.1"_s);
        QCOMPARE(replica.state, u"online"_s);
        QCOMPARE(replica.offset, 2494);
        QCOMPARE(replica.lagSeconds, 0);
    }
    QCOMPARE(master.replicas.at(0).port, 47609);
    QCOMPARE(master.replicas.at(1).port, 54979);

    // A replica's own fields (slave_repl_offset, slave_priority...) are not replica entries.
    const InfoSnapshot replica = parseInfo(readFixture(u"info/redis-7.0-replica-link-down.txt"_s));
    QVERIFY(replica.replicas.isEmpty());
    QCOMPARE(replica.text(u"master_link_status"_s), u"down"_s);
    QCOMPARE(replica.integer(u"master_link_down_since_seconds"_s), std::optional<qint64>(4));
    QCOMPARE(replica.integer(u"slave_priority"_s), std::optional<qint64>(100));

    const InfoSnapshot redis62 = parseInfo(readFixture(u"info/redis-6.2.txt"_s));
    QCOMPARE(redis62.replicas.size(), 1);
    QCOMPARE(redis62.replicas.first().ip, u"10.0.2.41"_s);
    QCOMPARE(redis62.replicas.first().offset, 918273645512LL);
    QCOMPARE(redis62.replicas.first().lagSeconds, 1);
}

void TestInfoParser::synthetic()
{
    // Fields before any header, LF and CRLF mixed, blank lines, a line without ':', values
    // with ':' in them, an unknown section, IPv6 replicas, and Redis 7.4's subexpiry.
    const QByteArray text = "loose_field:1\n"
                            "# Server\r\n"
                            "redis_version:7.4.1\r\n"
                            "executable:/opt/redis:7.4/bin/redis-server\r\n"
                            "config_file:C:\\redis\\redis.conf\n"
                            "this line has no colon\r\n"
                            ":no key\r\n"
                            "\r\n"
                            "   \r\n"
                            "# Vendor Extras\r\n"
                            "vendor_thing:a=b,c=d\r\n"
                            "# Replication\r\n"
                            "role:master\r\n"
                            "slave0:ip=::1,port=6380,state=online,offset=42,lag=3\r\n"
                            "slave1:ip=fe80::1%eth0,port=6381,state=wait_bgsave,offset=0,lag=0\r\n"
                            "slave_expires_tracked_keys:0\r\n"
                            "# Keyspace\r\n"
                            "db0:keys=10,expires=2,avg_ttl=5000,subexpiry=1\r\n"
                            "db15:keys=1,expires=0,avg_ttl=0\r\n"
                            "dbx:keys=1\r\n";
    const InfoSnapshot info = parseInfo(text);

    QCOMPARE(info.sections.size(), 5);
    QCOMPARE(info.sections.at(0).name, QString()); // the headerless start
    QCOMPARE(info.sections.at(0).fields.first().key, u"loose_field"_s);
    QCOMPARE(info.sections.at(2).name, u"Vendor Extras"_s);
    QCOMPARE(info.text(u"vendor_thing"_s), u"a=b,c=d"_s);
    QCOMPARE(info.text(u"executable"_s), u"/opt/redis:7.4/bin/redis-server"_s);
    QCOMPARE(info.text(u"config_file"_s), u"C:\\redis\\redis.conf"_s);
    QVERIFY(!info.fields.contains(u"this line has no colon"_s));
    QVERIFY(!info.fields.contains(QString()));
    QCOMPARE(info.sections.at(1).fields.size(), 3);

    QCOMPARE(info.replicas.size(), 2);
    QCOMPARE(info.replicas.at(0).ip, u"::1"_s);
    QCOMPARE(info.replicas.at(0).port, 6380);
    QCOMPARE(info.replicas.at(0).lagSeconds, 3);
    QCOMPARE(info.replicas.at(1).ip, u"fe80::1%eth0"_s);
    QCOMPARE(info.replicas.at(1).state, u"wait_bgsave"_s);

    QCOMPARE(info.keyspace.size(), 2); // "dbx" is not a database
    QCOMPARE(info.keyspace.at(0).db, 0);
    QCOMPARE(info.keyspace.at(0).keys, 10);
    QCOMPARE(info.keyspace.at(0).expires, 2);
    QCOMPARE(info.keyspace.at(0).avgTtlMs, 5000);
    QCOMPARE(info.text(u"db0"_s), u"keys=10,expires=2,avg_ttl=5000,subexpiry=1"_s);
    QCOMPARE(info.keyspace.at(1).db, 15);
}

void TestInfoParser::numbers_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<std::optional<qint64>>("integer");
    QTest::addColumn<std::optional<double>>("real");

    const std::optional<qint64> noInt;
    const std::optional<double> noReal;
    QTest::newRow("integer") << "1239456"_ba << std::optional<qint64>(1239456)
                             << std::optional(1239456.0);
    QTest::newRow("negative") << "-1"_ba << std::optional<qint64>(-1) << std::optional(-1.0);
    QTest::newRow("zero") << "0"_ba << std::optional<qint64>(0) << std::optional(0.0);
    QTest::newRow("max") << "9223372036854775807"_ba
                         << std::optional<qint64>(std::numeric_limits<qint64>::max())
                         << std::optional(9223372036854775807.0);
    QTest::newRow("overflow") << "9223372036854775808"_ba << noInt
                              << std::optional(9223372036854775808.0);
    QTest::newRow("ratio") << "1.23"_ba << noInt << std::optional(1.23);
    QTest::newRow("cpu seconds") << "0.018397"_ba << noInt << std::optional(0.018397);
    QTest::newRow("percent") << "100.20%"_ba << noInt << std::optional(100.20);
    QTest::newRow("human") << "1.18M"_ba << noInt << noReal;
    QTest::newRow("word") << "ok"_ba << noInt << noReal;
    QTest::newRow("empty") << ""_ba << noInt << noReal;
    QTest::newRow("trailing junk") << "12abc"_ba << noInt << noReal;
    QTest::newRow("inner space") << "1 2"_ba << noInt << noReal;
    QTest::newRow("hex") << "0x10"_ba << noInt << noReal;
    QTest::newRow("inf") << "inf"_ba << noInt << noReal;
    QTest::newRow("nan") << "nan"_ba << noInt << noReal;
    QTest::newRow("percent only") << "%"_ba << noInt << noReal;
    QTest::newRow("list") << "keys=1,expires=0"_ba << noInt << noReal;
}

void TestInfoParser::numbers()
{
    QFETCH(QByteArray, value);
    QFETCH(std::optional<qint64>, integer);
    QFETCH(std::optional<double>, real);
    const InfoSnapshot info = parseInfo("# Test\r\nfield:" + value + "\r\n");
    QCOMPARE(info.integer(u"field"_s), integer);
    QCOMPARE(info.real(u"field"_s), real);
    QCOMPARE(info.integerOr(u"field"_s, 77), integer.value_or(77));
    QCOMPARE(info.integer(u"missing"_s), std::optional<qint64>());
    QCOMPARE(info.real(u"missing"_s), std::optional<double>());
    QCOMPARE(info.realOr(u"missing"_s, 2.5), 2.5);
}

void TestInfoParser::emptyInput()
{
    for (const QByteArray &text : {QByteArray(), ""_ba, "\r\n"_ba, "\n\n\n"_ba, "   "_ba}) {
        const InfoSnapshot info = parseInfo(text);
        QVERIFY2(info.isEmpty(), text.constData());
        QVERIFY(info.keyspace.isEmpty() && info.commandStats.isEmpty());
        QVERIFY(info.errorStats.isEmpty() && info.replicas.isEmpty());
        QCOMPARE(info.integer(u"used_memory"_s), std::optional<qint64>());
    }
    // A header alone is a section with no fields: not empty, but nothing to read.
    const InfoSnapshot header = parseInfo("# Keyspace\r\n");
    QCOMPARE(header.sections.size(), 1);
    QVERIFY(header.fields.isEmpty());
}

void TestInfoParser::truncatedInputKeepsWhatItCan()
{
    const InfoSnapshot info = parseInfo("# Server\r\nredis_version:7.0.15\r\n# Stats\r\n"
                                        "cmdstat_get:calls=5,usec=4\r\n"
                                        "cmdstat_set:calls=\r\n"
                                        "slave0:ip=10.0.0.2,po\r\n"
                                        "errorstat_ERR:cou\r\n"
                                        "db0:keys=12,exp");
    QCOMPARE(info.text(u"redis_version"_s), u"7.0.15"_s);
    QCOMPARE(info.commandStats.size(), 1); // "set" has no parsable number left
    QCOMPARE(info.commandStats.first().calls, 5);
    QCOMPARE(info.commandStats.first().usec, 4.0);
    QCOMPARE(info.replicas.size(), 1);
    QCOMPARE(info.replicas.first().ip, u"10.0.0.2"_s);
    QCOMPARE(info.replicas.first().port, 0);
    QVERIFY(info.errorStats.isEmpty());
    QCOMPARE(info.keyspace.size(), 1);
    QCOMPARE(info.keyspace.first().keys, 12);
    QCOMPARE(info.keyspace.first().expires, 0);
    QCOMPARE(info.text(u"db0"_s), u"keys=12,exp"_s);
}

void TestInfoParser::everyPrefixParses()
{
    // A reply cut anywhere (a short read, a dropped connection) parses without crashing and
    // never yields more than the whole reply.
    const QByteArray text = readFixture(u"info/redis-7.0-everything.txt"_s);
    const InfoSnapshot whole = parseInfo(text);
    for (qsizetype length = 0; length <= text.size(); ++length) {
        const InfoSnapshot part = parseInfo(QByteArrayView(text).first(length));
        QVERIFY(part.fields.size() <= whole.fields.size());
        QVERIFY(part.commandStats.size() <= whole.commandStats.size());
        QVERIFY(part.keyspace.size() <= whole.keyspace.size());
    }
}

void TestInfoParser::garbageDoesNotCrash()
{
    QRandomGenerator random(20240611); // fixed seed: a failure must be reproducible
    const QByteArray alphabet = "#:=,\r\n abcdefgslave0db1cmdstat_errorstat_|%-.9"_ba;
    for (int round = 0; round < 2000; ++round) {
        QByteArray text(random.bounded(1, 300), Qt::Uninitialized);
        for (char &c : text) {
            c = round % 2 ? char(random.bounded(256))
                          : alphabet.at(random.bounded(qsizetype(alphabet.size())));
        }
        const InfoSnapshot info = parseInfo(text);
        for (const InfoSection &section : info.sections) {
            for (const InfoField &field : section.fields)
                QVERIFY(!field.key.isEmpty() && info.fields.contains(field.key));
        }
    }
    // Embedded NULs and one very long line.
    QByteArray nul("# Server\r\nredis_version:7.0\0x\r\nrole:master\r\n", 43);
    QCOMPARE(parseInfo(nul).text(u"role"_s), u"master"_s);
    const QByteArray longLine = "# Server\r\nexecutable:" + QByteArray(1 << 20, 'x') + "\r\n";
    // Kept in part: a hostile INFO must not make `check` print a megabyte "path".
    const QString executable = parseInfo(longLine).text(u"executable"_s);
    QVERIFY(executable.startsWith(QString(1024, u'x')));
    QVERIFY2(executable.endsWith(u"… (truncated, 1048576 bytes)"_s),
             qPrintable(executable.right(40)));
    // And so is the number of fields (a real INFO ALL has ~400).
    QByteArray many = "# Keyspace\r\n";
    for (int i = 0; i < 30'000; ++i)
        many += "k" + QByteArray::number(i) + ":1\r\n";
    const InfoSnapshot capped = parseInfo(many);
    QCOMPARE(capped.fields.size(), 20'000);
    QVERIFY(capped.fields.contains(u"k19999"_s) && !capped.fields.contains(u"k20000"_s));
}

QTEST_APPLESS_MAIN(TestInfoParser)
#include "tst_infoparser.moc"
