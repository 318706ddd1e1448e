#include "queues/queueref.h"

#include <QTest>

using qs::queues::Framework;
using qs::queues::QueueRef;

class TestQueueRef : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void displayName_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("shown");
        QTest::newRow("ascii") << QByteArray("emails") << QStringLiteral("emails");
        QTest::newRow("unicode and emoji")
            << QByteArray("\xc3\xa9mails-\xf0\x9f\x93\xa7") << QStringLiteral("émails-📧");
        QTest::newRow("space") << QByteArray("with space") << QStringLiteral("with space");
        QTest::newRow("binary") << QByteArray("q\x01\xff", 3) << QStringLiteral("q\\x01\\xff");
        QTest::newRow("newline") << QByteArray("a\nb") << QStringLiteral("a\\x0ab");
        QTest::newRow("unicode with ESC")
            << QByteArray("\xc3\xa9\x1b[2J") << QStringLiteral("\u00e9\\x1b[2J");
        QTest::newRow("bidi override") << QByteArray("a\xe2\x80\xae"
                                                     "b")
                                       << QStringLiteral("a\\u202eb");
    }
    void displayName()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, shown);
        const QueueRef ref{Framework::BullMQ, "bull", name};
        QCOMPARE(ref.displayName(), shown);
        QCOMPARE(ref.id(), QStringLiteral("bullmq/bull/") + shown);
    }

    void frameworkNamesRoundTrip()
    {
        for (Framework f : {Framework::BullMQ, Framework::Bull, Framework::Celery, Framework::RQ,
                            Framework::Sidekiq})
            QCOMPARE(qs::queues::frameworkFromName(qs::queues::frameworkName(f)), f);
        QVERIFY(!qs::queues::frameworkFromName(QStringLiteral("resque")));
    }
};

QTEST_GUILESS_MAIN(TestQueueRef)
#include "tst_queueref.moc"
