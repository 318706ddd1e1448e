// "Did you mean ...?" for mistyped commands and queue names.
#include "core/closestmatch.h"

#include <QTest>

using qs::core::closestMatch;
using qs::core::editDistance;

class TestClosestMatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void distances_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("distance");
        QTest::newRow("same") << "queues"
                              << "queues" << 0;
        QTest::newRow("empty") << ""
                               << "abc" << 3;
        QTest::newRow("one left out") << "queus"
                                      << "queues" << 1;
        QTest::newRow("swapped neighbours") << "emial"
                                            << "email" << 1;
        QTest::newRow("swap and append") << "bullmq/emial"
                                         << "bullmq/emails" << 2;
        QTest::newRow("framework short") << "bull/emails"
                                         << "bullmq/emails" << 2;
        QTest::newRow("substitution") << "jobs"
                                      << "jabs" << 1;
        QTest::newRow("unrelated") << "check"
                                   << "drain" << 5;
    }
    void distances()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, distance);
        QCOMPARE(editDistance(a, b), distance);
        QCOMPARE(editDistance(b, a), distance);
    }

    void suggestions_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("candidates");
        QTest::addColumn<QString>("suggestion");
        const QStringList verbs{"check",  "queues", "watch", "jobs",   "job",   "retry",  "promote",
                                "remove", "clean",  "pause", "resume", "drain", "restore"};
        QTest::newRow("queus") << "queus" << verbs << "queues";
        QTest::newRow("retyr") << "retyr" << verbs << "retry";
        QTest::newRow("jbos") << "jbos" << verbs << "jobs";
        QTest::newRow("exact is no typo") << "job" << verbs << "";
        QTest::newRow("nothing close") << "frobnicate" << verbs << "";
        QTest::newRow("short words allow one edit") << "jb" << verbs << "job";
        QTest::newRow("empty") << "" << verbs << "";
        QTest::newRow("queue") << "bullmq/emial"
                               << QStringList{"bullmq/reports", "bullmq/emails", "rq/default"}
                               << "bullmq/emails";
        QTest::newRow("tie goes to the first") << "ab" << QStringList{"abc", "abd"} << "abc";
    }
    void suggestions()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, candidates);
        QFETCH(QString, suggestion);
        QCOMPARE(closestMatch(typed, candidates), suggestion);
    }
};

QTEST_GUILESS_MAIN(TestClosestMatch)
#include "tst_closestmatch.moc"
