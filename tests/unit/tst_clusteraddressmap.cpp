// The cluster address map as the profile editor, the command line and the router read it: what
// an operator types ("announced=reachable" per node) and every way of getting it wrong.
#include "core/clusteraddressmap.h"
#include "core/hostport.h"

#include <QTest>

using qs::core::parseClusterAddressMap;
using qs::core::parseHostPort;

class TestClusterAddressMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void entriesMapAnnouncedToReachable()
    {
        const auto map =
            parseClusterAddressMap({QStringLiteral("172.18.0.3:6379=127.0.0.1:7003"),
                                    QStringLiteral(" 172.18.0.4:6379 = localhost:7004 "),
                                    QStringLiteral("[fd00::5]:6379=[::1]:7005")});
        QVERIFY2(map, qPrintable(map.error()));
        QCOMPARE(map->size(), 3);
        QCOMPARE(map->value(QStringLiteral("172.18.0.3:6379")), QStringLiteral("127.0.0.1:7003"));
        QCOMPARE(map->value(QStringLiteral("172.18.0.4:6379")), QStringLiteral("localhost:7004"));
        QCOMPARE(map->value(QStringLiteral("[fd00::5]:6379")), QStringLiteral("[::1]:7005"));
        QVERIFY(parseClusterAddressMap({}));
    }

    void whatIsWrongIsSaid_data()
    {
        QTest::addColumn<QStringList>("entries");
        QTest::addColumn<QString>("said");
        QTest::newRow("no =") << QStringList{QStringLiteral("172.18.0.3:6379")}
                              << QStringLiteral("cluster address map '172.18.0.3:6379': write "
                                                "ANNOUNCED_HOST:PORT=REACHABLE_HOST:PORT");
        QTest::newRow("two =") << QStringList{QStringLiteral("a:1=b:2=c:3")}
                               << QStringLiteral("cluster address map 'a:1=b:2=c:3': write "
                                                 "ANNOUNCED_HOST:PORT=REACHABLE_HOST:PORT");
        QTest::newRow("no port") << QStringList{QStringLiteral("10.0.0.5:6379=127.0.0.1")}
                                 << QStringLiteral("cluster address map '10.0.0.5:6379=127.0.0.1'"
                                                   ": the reachable address '127.0.0.1' names no "
                                                   "port (write 127.0.0.1:6379)");
        QTest::newRow("port out of range")
            << QStringList{QStringLiteral("10.0.0.5:70000=127.0.0.1:7000")}
            << QStringLiteral("cluster address map '10.0.0.5:70000=127.0.0.1:7000': the announced "
                              "address port '70000' is out of range (1-65535)");
        QTest::newRow("bare IPv6")
            << QStringList{QStringLiteral("fd00::5:6379=127.0.0.1:7000")}
            << QStringLiteral("cluster address map 'fd00::5:6379=127.0.0.1:7000': the announced "
                              "address 'fd00::5:6379' is not host:port (an IPv6 address goes in "
                              "brackets: [::1]:6379)");
        QTest::newRow("mapped twice")
            << QStringList{QStringLiteral("10.0.0.5:6379=127.0.0.1:7000"),
                           QStringLiteral("10.0.0.5:6379=127.0.0.1:7001")}
            << QStringLiteral("cluster address map: 10.0.0.5:6379 is mapped twice");
    }

    void whatIsWrongIsSaid()
    {
        QFETCH(QStringList, entries);
        QFETCH(QString, said);
        const auto map = parseClusterAddressMap(entries);
        QVERIFY(!map);
        QCOMPARE(map.error(), said);
    }

    void hostPortTakesADefaultOnlyWhenGivenOne()
    {
        QCOMPARE(parseHostPort(QStringLiteral("h"), quint16(26379))->second, quint16(26379));
        QCOMPARE(parseHostPort(QStringLiteral("[::1]:7000"), std::nullopt)->first,
                 QStringLiteral("::1"));
        QVERIFY(!parseHostPort(QStringLiteral("h"), std::nullopt));
        QVERIFY(!parseHostPort(QStringLiteral("h:0"), std::nullopt));
        QVERIFY(!parseHostPort(QStringLiteral(""), quint16(1)));
    }
};

QTEST_APPLESS_MAIN(TestClusterAddressMap)
#include "tst_clusteraddressmap.moc"
