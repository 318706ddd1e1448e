// The profile editor's Sentinel fields against a real Sentinel group: "List masters" asks the
// given sentinels (a dead one first: the next one answers) and offers the names they monitor;
// with no sentinel reachable it says why, sentinel by sentinel.
#include "profileform.h"
#include "sentinelfields.h"
#include "sentinelgroup.h"
#include "startorfail.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace qs;

class TestSentinelFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listMastersOffersTheNames()
    {
        test::SentinelGroupOptions options;
        options.masterName = QStringLiteral("orders");
        test::SentinelGroup group(options);
        QS_START_OR_FAIL(group);
        widgets::ProfileForm form;
        widgets::SentinelFields *fields = form.sentinelFields();
        fields->setChecked(true);
        const QString dead = QStringLiteral("127.0.0.1:%1").arg(test::freeLoopbackPort());
        fields->addressesEdit()->setText(dead + u',' + group.sentinelAddresses().at(1));
        fields->listMastersButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(fields->masterBox()->findText(QStringLiteral("orders")) >= 0,
                                 15'000);
        QCOMPARE(fields->masterBox()->currentText(), QStringLiteral("orders"));
        QVERIFY2(fields->listMessage()->text().contains(QStringLiteral("orders")),
                 qPrintable(fields->listMessage()->text()));

        // The form's profile now finds its master through those sentinels.
        form.nameEdit()->setText(QStringLiteral("orders"));
        const core::ConnectionProfile profile = form.profile();
        QCOMPARE(profile.sentinel.masterName, QStringLiteral("orders"));
        QCOMPARE(profile.sentinel.addresses.size(), 2);
        QVERIFY2(form.validate().isEmpty(), qPrintable(form.validate()));
    }

    void noSentinelIsSaid()
    {
        widgets::SentinelFields fields;
        fields.setChecked(true);
        const QString dead = QStringLiteral("127.0.0.1:%1").arg(test::freeLoopbackPort());
        fields.addressesEdit()->setText(dead);
        fields.listMastersButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(fields.listMastersButton()->isEnabled(), 15'000);
        QVERIFY2(fields.listMessage()->text().contains(QStringLiteral("No sentinel answered")) &&
                     fields.listMessage()->text().contains(dead),
                 qPrintable(fields.listMessage()->text()));
    }
};

QTEST_MAIN(TestSentinelFields)
#include "tst_sentinelfields.moc"
