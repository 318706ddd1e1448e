#include "monitor/clientlist.h"
#include "monitor/clientlistmodel.h"

#include "modelchanges.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace qs::monitor;
using namespace Qt::StringLiterals;
using Column = ClientListModel::Column;

namespace {

// CLIENT LIST as each version prints it (captured from redis-server 5.0, 6.2, 7.0 and 7.2).
const QByteArray kRedis5 =
    "id=3 addr=127.0.0.1:54844 fd=8 name= age=12 idle=0 flags=N db=0 sub=0 psub=0 multi=-1 "
    "qbuf=26 qbuf-free=32742 obl=0 oll=0 omem=0 events=r cmd=client\n"
    "id=7 addr=10.1.2.3:40112 fd=9 name=celery-worker age=4000 idle=3 flags=b db=2 sub=0 "
    "psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=brpop\n";

const QByteArray kRedis62 =
    "id=3 addr=127.0.0.1:40170 laddr=127.0.0.1:6379 fd=8 name= age=0 idle=0 flags=N db=0 sub=0 "
    "psub=0 multi=-1 qbuf=26 qbuf-free=40928 argv-mem=10 obl=0 oll=0 omem=0 tot-mem=61466 "
    "events=r cmd=client user=default redir=-1\r\n";

const QByteArray kRedis7 =
    "id=4 addr=127.0.0.1:55518 laddr=127.0.0.1:6399 fd=8 name= age=1 idle=1 flags=N db=0 sub=0 "
    "psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 "
    "rbp=16384 obl=0 oll=0 omem=0 tot-mem=37658 events=r cmd=client|list user=default "
    "redir=-1 resp=2\n"
    "id=9 addr=/tmp/redis.sock:0 laddr=/tmp/redis.sock:0 fd=10 name=bullmq:w1 age=90061 "
    "idle=5 flags=bU db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=40 "
    "multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=2097152 events=r cmd=bzpopmin "
    "user=worker redir=-1 resp=3 lib-name=ioredis lib-ver=5.3.2\n";

ClientInfo client(qint64 id, qint64 idle = 0)
{
    ClientInfo info;
    info.id = id;
    info.address = QStringLiteral("10.0.0.%1:5000").arg(id);
    info.name = QStringLiteral("c%1").arg(id);
    info.idleSeconds = idle;
    info.totalMemory = 1000 * id;
    info.flags = QStringLiteral("N");
    return info;
}

QList<ClientInfo> clients(std::initializer_list<qint64> ids)
{
    return qs::test::rowsWithIds(ids, [](qint64 id) { return client(id); });
}

} // namespace

class TestClientListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesRedis5()
    {
        const QList<ClientInfo> parsed = parseClientList(kRedis5);
        QCOMPARE(parsed.size(), 2);
        const ClientInfo &worker = parsed.at(1);
        QCOMPARE(worker.id, 7);
        QCOMPARE(worker.address, u"10.1.2.3:40112"_s);
        QCOMPARE(worker.name, u"celery-worker"_s);
        QCOMPARE(worker.ageSeconds, 4000);
        QCOMPARE(worker.db, 2);
        QCOMPARE(worker.flags, u"b"_s);
        QCOMPARE(worker.command, u"brpop"_s);
        // Fields Redis 5 does not have read as unknown, not as zero.
        QCOMPARE(worker.totalMemory, -1);
        QCOMPARE(worker.argvMemory, -1);
        QVERIFY(worker.user.isEmpty());
        QVERIFY(worker.localAddress.isEmpty());
        QVERIFY(parsed.at(0).name.isEmpty());
    }

    void parsesRedis62WithCrLf()
    {
        const QList<ClientInfo> parsed = parseClientList(kRedis62);
        QCOMPARE(parsed.size(), 1);
        QCOMPARE(parsed.at(0).localAddress, u"127.0.0.1:6379"_s);
        QCOMPARE(parsed.at(0).totalMemory, 61466);
        QCOMPARE(parsed.at(0).user, u"default"_s);
        QCOMPARE(parsed.at(0).redirect, -1);
        QCOMPARE(parsed.at(0).protocol, -1); // resp= arrived in 7.0
    }

    void parsesRedis7()
    {
        const QList<ClientInfo> parsed = parseClientList(kRedis7);
        QCOMPARE(parsed.size(), 2);
        QCOMPARE(parsed.at(0).command, u"client|list"_s);
        QCOMPARE(parsed.at(0).shardSubscriptions, 0);
        QCOMPARE(parsed.at(0).multiMemory, 0);
        QCOMPARE(parsed.at(0).multi, -1);
        const ClientInfo &worker = parsed.at(1);
        QCOMPARE(worker.address, u"/tmp/redis.sock:0"_s);
        QCOMPARE(worker.name, u"bullmq:w1"_s);
        QCOMPARE(worker.user, u"worker"_s);
        QCOMPARE(worker.protocol, 3);
        QCOMPARE(worker.libraryName, u"ioredis"_s);
        QCOMPARE(worker.libraryVersion, u"5.3.2"_s);
        QCOMPARE(worker.totalMemory, 2 * 1024 * 1024);
        // Unknown keys (rbs, rbp) are kept in server order.
        QCOMPARE(worker.fields.first().first, u"id"_s);
        QVERIFY(worker.fields.contains(qMakePair(u"rbs"_s, u"1024"_s)));
    }

    void skipsLinesWithoutId()
    {
        const QList<ClientInfo> parsed =
            parseClientList("\n  \naddr=1.2.3.4:5 name=x\nid=oops addr=x\nid=5 addr=y name=z=1\n");
        QCOMPARE(parsed.size(), 1);
        QCOMPARE(parsed.at(0).id, 5);
        QCOMPARE(parsed.at(0).name, u"z=1"_s); // split at the first '=' only
        QVERIFY(parseClientList({}).isEmpty());
    }

    void describesFlags()
    {
        const QStringList lines = describeClientFlags(u"bSMPxQ"_s);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines.at(0), u"b = blocked (BRPOP/BZPOPMIN: a waiting worker)"_s);
        QCOMPARE(lines.at(1), u"S = replica"_s);
        QCOMPARE(lines.at(2), u"M = master"_s);
        QCOMPARE(lines.at(3), u"P = pub/sub subscriber"_s);
        QCOMPARE(lines.at(4), u"x = in MULTI"_s);
        QCOMPARE(lines.at(5), u"Q = unknown flag"_s);
    }

    void serverDataIsShownVisibly()
    {
        ClientInfo client;
        client.id = 1;
        client.name = QString::fromUtf8("w\x1b[2J\xe2\x80\xae");
        client.command = QString::fromUtf8("get\xc2\x9b");
        ClientListModel model;
        model.setClients({client});
        QCOMPARE(model.data(model.index(0, int(Column::Name))).toString(), u"w\\x1b[2J\\u202e"_s);
        QCOMPARE(model.data(model.index(0, int(Column::Command))).toString(), u"get\\u009b"_s);
    }

    void modelShowsColumns()
    {
        ClientListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClients(parseClientList(kRedis7));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), ClientListModel::ColumnCount);
        const auto at = [&](int row, Column column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, int(column)), role);
        };
        QCOMPARE(at(1, Column::Id).toString(), u"9"_s);
        QCOMPARE(at(1, Column::Name).toString(), u"bullmq:w1"_s);
        QCOMPARE(at(1, Column::User).toString(), u"worker"_s);
        QCOMPARE(at(1, Column::Age).toString(), u"1 d 1 h"_s);
        QCOMPARE(at(1, Column::Age, ClientListModel::SortRole).toLongLong(), 90061);
        QCOMPARE(at(1, Column::Idle).toString(), u"5 s"_s);
        QCOMPARE(at(1, Column::Command).toString(), u"bzpopmin"_s);
        QCOMPARE(at(1, Column::Memory).toString(), u"2.0 MiB"_s);
        QCOMPARE(at(1, Column::Memory, ClientListModel::SortRole).toLongLong(), 2097152);
        QCOMPARE(at(1, Column::Flags).toString(), u"bU"_s);
        const QString flags = at(1, Column::Flags, Qt::ToolTipRole).toString();
        QVERIFY2(flags.contains(u"b = blocked (BRPOP/BZPOPMIN: a waiting worker)"_s),
                 qPrintable(flags));
        QVERIFY(flags.contains(u"U = connected through a Unix socket"_s));
        QVERIFY(at(1, Column::Name, Qt::ToolTipRole).toString().contains(u"lib-name=ioredis"_s));
        QCOMPARE(model.headerData(int(Column::Memory), Qt::Horizontal).toString(), u"Memory"_s);

        model.setClients(parseClientList(kRedis5));
        QCOMPARE(at(0, Column::Memory).toString(), u"—"_s); // Redis 5 has no tot-mem
        QVERIFY(at(0, Column::Memory, Qt::ToolTipRole).toString().contains(u"6.0"_s));
    }

    // BullMQ/Bull connection names: "<prefix>:<base64(queue)>" (+ ":w:<name>", ":qe").
    void readsBullConnectionNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("shown");
        QTest::newRow("worker") << u"bull:ZW1haWxz"_s << u"bull:emails · worker"_s;
        QTest::newRow("named worker")
            << u"bull:ZW1haWxz:w:mailer:1"_s << u"bull:emails · worker mailer:1"_s;
        QTest::newRow("queue events") << u"bull:ZW1haWxz:qe"_s << u"bull:emails · QueueEvents"_s;
        QTest::newRow("prefix with colons")
            << u"my:app:cmVwb3J0cw=="_s << u"my:app:reports · worker"_s;
        QTest::newRow("unicode queue") << u"bull:0L7RgtGH0ZHRgtGL"_s << u"bull:отчёты · worker"_s;
        // Ordinary names stay as they are, even when their tail happens to be base64.
        QTest::newRow("plain") << u"celery-worker"_s << u"celery-worker"_s;
        QTest::newRow("base64 of bytes") << u"app:main"_s << u"app:main"_s;
        QTest::newRow("unpadded") << u"bull:ZW1haWw"_s << u"bull:ZW1haWw"_s;
        QTest::newRow("no prefix") << u":ZW1haWxz"_s << u":ZW1haWxz"_s;
        QTest::newRow("control bytes") << u"bull:AAEC"_s << u"bull:AAEC"_s;
    }

    void readsBullConnectionNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, shown);
        ClientInfo info = client(1);
        info.name = name;
        ClientListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClients({info});
        const QModelIndex cell = model.index(0, int(ClientListModel::Column::Name));
        QCOMPARE(cell.data().toString(), shown);
        if (shown != name)
            QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(name));
    }

    void formatsSeconds()
    {
        QCOMPARE(formatSeconds(0), u"0 s"_s);
        QCOMPARE(formatSeconds(59), u"59 s"_s);
        QCOMPARE(formatSeconds(720), u"12 min"_s);
        QCOMPARE(formatSeconds(3 * 3600 + 5 * 60), u"3 h 5 min"_s);
        QCOMPARE(formatSeconds(-1), u"—"_s);
    }

    void mergeKeepsRowsStable()
    {
        ClientListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        qs::test::ModelChanges changes(&model);
        auto &[resets, inserted, removed, changed] = changes;
        model.setClients(clients({1, 2, 3, 4, 5}));
        const QPersistentModelIndex four(model.index(3, int(Column::Name)));
        QCOMPARE(four.data().toString(), u"c4"_s);
        inserted.clear();

        // 2 disconnected, 6 and 7 connected, 4 went idle: same persistent index, new data.
        QList<ClientInfo> next = clients({1, 3, 4, 5, 6, 7});
        next[2].idleSeconds = 30;
        model.setClients(next);
        QVERIFY(four.isValid());
        QCOMPARE(four.data().toString(), u"c4"_s);
        QCOMPARE(model.index(four.row(), int(Column::Idle)).data().toString(), u"30 s"_s);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 1);

        model.setClients(clients({4}));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(four.row(), 0);
        QCOMPARE(four.data().toString(), u"c4"_s);
        QCOMPARE(resets.size(), 0);
    }

    void mergeKeepsTheSelectionThroughAProxy()
    {
        ClientListModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(ClientListModel::SortRole);
        proxy.sort(int(Column::Idle), Qt::DescendingOrder);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<ClientInfo> list = clients({1, 2, 3});
        list[0].idleSeconds = 5;
        list[1].idleSeconds = 50;
        list[2].idleSeconds = 500;
        model.setClients(list);
        QItemSelectionModel selection(&proxy);
        selection.select(proxy.index(1, 0),
                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(proxy.index(1, int(Column::Id)).data().toString(), u"2"_s);

        // Client 2 becomes the idlest: it moves to the top and stays selected.
        list[1].idleSeconds = 5000;
        list.append(client(4, 1));
        model.setClients(list);
        const QModelIndexList rows = selection.selectedRows(int(Column::Id));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().row(), 0);
        QCOMPARE(rows.first().data().toString(), u"2"_s);
    }
};

QTEST_GUILESS_MAIN(TestClientListModel)
#include "tst_clientlistmodel.moc"
