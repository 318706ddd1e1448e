#include "monitor/slowlog.h"
#include "monitor/slowlogmodel.h"

#include "modelchanges.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace qs::monitor;
using qs::redis::RedisReply;
using Column = SlowLogModel::Column;
using namespace Qt::StringLiterals;

namespace {

RedisReply arguments(const QList<QByteArray> &argv)
{
    QList<RedisReply> elements;
    for (const QByteArray &argument : argv)
        elements.append(RedisReply::bulk(argument));
    return RedisReply::array(elements);
}

// One entry as Redis 4.0+ sends it: id, time, duration, arguments, client address, name.
RedisReply entry7(qint64 id, qint64 durationUs, const QList<QByteArray> &argv,
                  const QByteArray &address = "127.0.0.1:50000", const QByteArray &name = {})
{
    return RedisReply::array({RedisReply::number(id), RedisReply::number(1'700'000'000 + id),
                              RedisReply::number(durationUs), arguments(argv),
                              RedisReply::bulk(address), RedisReply::bulk(name)});
}

// Redis 2.2-3.2: no client fields.
RedisReply entry3(qint64 id, qint64 durationUs, const QList<QByteArray> &argv)
{
    return RedisReply::array({RedisReply::number(id), RedisReply::number(1'400'000'000),
                              RedisReply::number(durationUs), arguments(argv)});
}

SlowLogEntry makeEntry(qint64 id, QList<QByteArray> argv = {"GET", "k"})
{
    SlowLogEntry entry;
    entry.id = id;
    entry.timestamp = 1'700'000'000 + id;
    entry.durationUs = 10 * id;
    entry.arguments = std::move(argv);
    entry.clientAddress = QStringLiteral("10.0.0.%1:6000").arg(id);
    return entry;
}

QList<SlowLogEntry> entries(std::initializer_list<qint64> ids)
{
    return qs::test::rowsWithIds(ids, [](qint64 id) { return makeEntry(id); });
}

} // namespace

class TestSlowLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientDataIsShownVisibly()
    {
        SlowLogModel model;
        SlowLogEntry entry = makeEntry(1, {"SET", "k\x1b[2J", "v\xe2\x80\xae"});
        entry.clientName = QString::fromUtf8("w\x1b]0;t\x07\xe2\x80\xae");
        model.setEntries({entry});
        for (const int column :
             {int(SlowLogModel::Column::Command), int(SlowLogModel::Column::Client)}) {
            for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)}) {
                const QString text = model.data(model.index(0, column), role).toString();
                QVERIFY2(!text.contains(QChar(0x1b)) && !text.contains(QChar(0x202e)) &&
                             !text.contains(QChar(0x07)),
                         qPrintable(text));
            }
        }
        QVERIFY(model.data(model.index(0, int(SlowLogModel::Column::Client)))
                    .toString()
                    .contains(QStringLiteral("w\\x1b]0;t\\x07\\u202e")));
    }

    void parsesRedis7Entries()
    {
        const RedisReply reply = RedisReply::array(
            {entry7(12, 50'123, {"DEBUG", "SLEEP", "0.05"}, "127.0.0.1:41234", "queuescope"),
             entry7(11, 15'000, {"KEYS", "*"})});
        const QList<SlowLogEntry> parsed = parseSlowLog(reply);
        QCOMPARE(parsed.size(), 2);
        QCOMPARE(parsed.at(0).id, 12);
        QCOMPARE(parsed.at(0).timestamp, 1'700'000'012);
        QCOMPARE(parsed.at(0).durationUs, 50'123);
        QCOMPARE(parsed.at(0).arguments, (QList<QByteArray>{"DEBUG", "SLEEP", "0.05"}));
        QCOMPARE(parsed.at(0).clientAddress, u"127.0.0.1:41234"_s);
        QCOMPARE(parsed.at(0).clientName, u"queuescope"_s);
        QCOMPARE(parsed.at(0).omittedArguments, 0);
        QCOMPARE(displayCommand(parsed.at(1)), u"KEYS *"_s);
    }

    void parsesRedis3EntriesWithoutClientFields()
    {
        const QList<SlowLogEntry> parsed =
            parseSlowLog(RedisReply::array({entry3(4, 20'000, {"SORT", "list"})}));
        QCOMPARE(parsed.size(), 1);
        QCOMPARE(parsed.at(0).id, 4);
        QVERIFY(parsed.at(0).clientAddress.isEmpty());
        QVERIFY(parsed.at(0).clientName.isEmpty());
        QCOMPARE(displayCommand(parsed.at(0)), u"SORT list"_s);
    }

    void takesOutTheMoreArgumentsMarker()
    {
        QList<QByteArray> argv{"SADD", "set"};
        for (int i = 0; i < 29; ++i)
            argv.append(QByteArray::number(i));
        argv.append("... (970 more arguments)"); // what Redis sends for SADD with 1001 members
        const QList<SlowLogEntry> parsed = parseSlowLog(RedisReply::array({entry7(1, 900, argv)}));
        QCOMPARE(parsed.size(), 1);
        QCOMPARE(parsed.at(0).arguments.size(), 31);
        QCOMPARE(parsed.at(0).omittedArguments, 970);
        QVERIFY(displayCommand(parsed.at(0)).endsWith(u"28 … (970 more arguments)"_s));
        // A long string argument keeps Redis' own "more bytes" suffix: it is still an argument.
        const QByteArray truncated = QByteArray(128, 'x') + "... (872 more bytes)";
        const QList<SlowLogEntry> longString =
            parseSlowLog(RedisReply::array({entry7(2, 900, {"SET", "k", truncated})}));
        QCOMPARE(longString.at(0).arguments.last(), truncated);
        QCOMPARE(longString.at(0).omittedArguments, 0);
    }

    void toleratesMalformedReplies()
    {
        QVERIFY(parseSlowLog(RedisReply::error("NOPERM no permission")).isEmpty());
        QVERIFY(parseSlowLog(RedisReply{}).isEmpty());
        QVERIFY(parseSlowLog(RedisReply::array({})).isEmpty());
        const RedisReply mixed =
            RedisReply::array({RedisReply::bulk("garbage"),
                               RedisReply::array({RedisReply::number(1), RedisReply::number(2)}),
                               entry7(3, 100, {"PING"})});
        const QList<SlowLogEntry> parsed = parseSlowLog(mixed);
        QCOMPARE(parsed.size(), 1);
        QCOMPARE(parsed.at(0).id, 3);
    }

    void displaysArgumentsSafely_data()
    {
        QTest::addColumn<QByteArray>("argument");
        QTest::addColumn<QString>("shown");
        QTest::newRow("plain") << QByteArray("bull:emails:wait") << u"bull:emails:wait"_s;
        QTest::newRow("empty") << QByteArray() << u"\"\""_s;
        QTest::newRow("space") << QByteArray("a b") << u"\"a b\""_s;
        QTest::newRow("quote") << QByteArray("say \"hi\"") << u"\"say \\\"hi\\\"\""_s;
        QTest::newRow("backslash") << QByteArray("C:\\x41") << u"C:\\\\x41"_s;
        QTest::newRow("newline") << QByteArray("a\nb\r") << u"a\\x0ab\\x0d"_s;
        QTest::newRow("nul") << QByteArray("\0\x01", 2) << u"\\x00\\x01"_s;
        QTest::newRow("unicode") << QByteArray("café ✓ 😀") << u"\"café ✓ 😀\""_s;
        QTest::newRow("binary") << QByteArray("\xff\xfe\x80z") << u"\\xff\\xfe\\x80z"_s;
        QTest::newRow("truncated utf8") << QByteArray("\xe2\x9c") << u"\\xe2\\x9c"_s;
        QTest::newRow("overlong") << QByteArray("\xc0\xaf") << u"\\xc0\\xaf"_s;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << u"\\xed\\xa0\\x80"_s;
        QTest::newRow("line separator") << QByteArray("a\xe2\x80\xa8") << u"a\\xe2\\x80\\xa8"_s;
    }

    void displaysArgumentsSafely()
    {
        QFETCH(QByteArray, argument);
        QFETCH(QString, shown);
        QCOMPARE(displayArgument(argument), shown);
    }

    void modelShowsColumnsAndElidesLongCommands()
    {
        SlowLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        SlowLogEntry big = makeEntry(7, {"EVAL", QByteArray(500, 'a'), "0"});
        big.durationUs = 1'234;
        big.clientName = QStringLiteral("worker-1");
        model.setEntries({big});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), SlowLogModel::ColumnCount);
        QCOMPARE(model.headerData(int(Column::Command), Qt::Horizontal).toString(), u"Command"_s);
        const auto at = [&](Column column, int role = Qt::DisplayRole) {
            return model.data(model.index(0, int(column)), role);
        };
        QCOMPARE(at(Column::Id).toString(), u"7"_s);
        QCOMPARE(at(Column::Duration).toString(), u"1.2 ms"_s);
        QCOMPARE(at(Column::Duration, SlowLogModel::SortRole).toLongLong(), 1'234);
        QCOMPARE(at(Column::Time, SlowLogModel::SortRole).toLongLong(), 1'700'000'007);
        QCOMPARE(at(Column::Client).toString(), u"worker-1 (10.0.0.7:6000)"_s);
        const QString shown = at(Column::Command).toString();
        QCOMPARE(shown.size(), SlowLogModel::MaxCommandChars);
        QVERIFY(shown.endsWith(QChar(0x2026)));
        QCOMPARE(at(Column::Command, Qt::ToolTipRole).toString(),
                 u"EVAL "_s + QString(500, u'a') + u" 0"_s);
    }

    void formatsDurations()
    {
        QCOMPARE(formatDuration(850), u"850 µs"_s);
        QCOMPARE(formatDuration(12'345), u"12.3 ms"_s);
        QCOMPARE(formatDuration(250'000), u"250 ms"_s);
        QCOMPARE(formatDuration(1'200'000), u"1.20 s"_s);
    }

    void mergeKeepsRowsStable()
    {
        SlowLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        qs::test::ModelChanges changes(&model);
        auto &[resets, inserted, removed, changed] = changes;

        model.setEntries(entries({5, 4, 3, 2, 1}));
        QCOMPARE(model.rowCount(), 5);
        const QPersistentModelIndex three(model.index(2, int(Column::Command)));
        QCOMPARE(model.entry(three.row()).id, 3);
        inserted.clear();

        // New entries arrive, the oldest fall off the end of the log.
        model.setEntries(entries({8, 7, 6, 5, 4, 3}));
        QVERIFY(three.isValid());
        QCOMPARE(model.entry(three.row()).id, 3);
        QCOMPARE(three.column(), int(Column::Command));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(removed.size(), 1); // 2 and 1 in one block
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 0); // nothing that stayed changed

        // The same snapshot again changes nothing.
        inserted.clear();
        removed.clear();
        model.setEntries(entries({8, 7, 6, 5, 4, 3}));
        QCOMPARE(inserted.size() + removed.size() + changed.size(), 0);

        // Same id, other content (the server restarted): a dataChanged, not a remove/insert.
        QList<SlowLogEntry> restarted = entries({8, 7, 6, 5, 4, 3});
        restarted[5].arguments = {"FLUSHALL"};
        model.setEntries(restarted);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.entry(three.row()).arguments, QList<QByteArray>{"FLUSHALL"});

        // Removing rows around it keeps it too; an empty log removes everything.
        model.setEntries(entries({7, 3}));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.entry(three.row()).id, 3);
        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!three.isValid());
        QCOMPARE(resets.size(), 0);
    }

    void duplicateIdsDoNotDuplicateRows()
    {
        SlowLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries(entries({2, 2, 1}));
        QCOMPARE(model.rowCount(), 2);
    }

    void proxySortsNumerically()
    {
        SlowLogModel model;
        QList<SlowLogEntry> list = entries({1, 2, 3});
        list[0].durationUs = 900;     // "900 µs"
        list[1].durationUs = 100'000; // "100 ms"
        list[2].durationUs = 20'000;  // "20.0 ms"
        model.setEntries(list);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(SlowLogModel::SortRole);
        proxy.sort(int(Column::Duration), Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, int(Column::Id)).data().toString(), u"2"_s);
        QCOMPARE(proxy.index(1, int(Column::Id)).data().toString(), u"3"_s);
        QCOMPARE(proxy.index(2, int(Column::Id)).data().toString(), u"1"_s);
    }
};

QTEST_GUILESS_MAIN(TestSlowLogModel)
#include "tst_slowlogmodel.moc"
