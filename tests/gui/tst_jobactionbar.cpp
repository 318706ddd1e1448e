// The Jobs page's action bar offers each framework's actions in its own words, enabled for the
// state on screen: RQ's "Move to failed" (Restore) on started jobs only, "Requeue" on failed.
#include "jobactionbar.h"

#include <QLabel>
#include <QTest>
#include <QToolButton>

using qs::jobs::JobAction;
using qs::queues::Framework;
using qs::widgets::JobActionBar;

class TestJobActionBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rqOffersMoveToFailedOnStartedJobs()
    {
        JobActionBar bar;
        bar.setFramework(Framework::RQ, false, {});
        QToolButton *all = bar.button(JobAction::Restore, true);
        QToolButton *selected = bar.button(JobAction::Restore, false);
        QVERIFY(all && selected);
        QCOMPARE(all->text(), QStringLiteral("Move to failed all"));
        QCOMPARE(selected->text(), QStringLiteral("Move to failed selected"));
        QVERIFY(!bar.unsupportedInfo()->toolTip().contains(QLatin1String("restore")));

        bar.updateFor(QStringLiteral("started"), 1, true, false);
        QVERIFY(all->isEnabled());
        QVERIFY(selected->isEnabled());
        QVERIFY(!bar.button(JobAction::Retry, true)->isEnabled()); // Requeue: failed only
        bar.updateFor(QStringLiteral("failed"), 1, true, false);
        QVERIFY(!all->isEnabled());
        QVERIFY(bar.button(JobAction::Retry, true)->isEnabled());

        bar.setFramework(Framework::RQ, true, QStringLiteral("Profile “prod” is read-only"));
        bar.updateFor(QStringLiteral("started"), 1, true, false);
        QVERIFY(!bar.button(JobAction::Restore, true)->isEnabled());
        QCOMPARE(bar.button(JobAction::Restore, true)->toolTip(),
                 QStringLiteral("Profile “prod” is read-only"));
    }
};

QTEST_MAIN(TestJobActionBar)
#include "tst_jobactionbar.moc"
