// Time stamps read from stored job fields (BullMQ ms, Sidekiq/Celery float seconds): what a
// client wrote, however absurd, gives a time or "unknown" (-1), never undefined behaviour.
#include "queues/payloadformat.h"

#include <QTest>

using qs::jobs::millisFromNumber;

class TestPayloadFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void millisFromNumber_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("seconds");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("bullmq ms") << QByteArray("1700000000123") << false << 1700000000123LL;
        QTest::newRow("sidekiq seconds")
            << QByteArray(" 1700000000.25 ") << true << 1700000000250LL;
        QTest::newRow("empty") << QByteArray() << true << -1LL;
        QTest::newRow("zero") << QByteArray("0") << false << -1LL;
        QTest::newRow("negative") << QByteArray("-5") << true << -1LL;
        QTest::newRow("text") << QByteArray("soon") << true << -1LL;
        // Found by fuzz_payloadformat: these overflowed the cast to qint64 (UBSan:
        // float-cast-overflow, "1.11111e+63 is outside the range of representable values").
        QTest::newRow("1e63 seconds") << QByteArray("1111111111111111111111111111111111111111111"
                                                    "11111111111111111111")
                                      << true << -1LL;
        QTest::newRow("1e300 ms") << QByteArray("1e300") << false << -1LL;
        QTest::newRow("1e16 seconds") << QByteArray("1e16") << true << -1LL;
        QTest::newRow("inf") << QByteArray("inf") << true << -1LL;
        QTest::newRow("nan") << QByteArray("nan") << false << -1LL;
    }

    void millisFromNumber()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, seconds);
        QFETCH(qint64, expected);
        QCOMPARE(::millisFromNumber(text, seconds), expected);
    }
};

QTEST_APPLESS_MAIN(TestPayloadFormat)
#include "tst_payloadformat.moc"
