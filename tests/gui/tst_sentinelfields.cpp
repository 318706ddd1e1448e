// The profile editor's Sentinel fields against a real Sentinel group: "List masters" asks the
// given sentinels (a dead one first: the next one answers) and offers the names they monitor;
// with no sentinel reachable it says why, sentinel by sentinel. An overview tile of a saved
// profile behind password-protected sentinels connects with both passwords from the keychain.
#include "overviewpage.h"
#include "profileform.h"
#include "profiletile.h"
#include "sentinelfields.h"
#include "sentinelgroup.h"
#include "startorfail.h"

#include "core/credentialresolver.h"
#include "core/memorysecretstore.h"
#include "core/sentinelurl.h"

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

    void anOverviewTileReadsTheSentinelsPasswordFromTheKeychain()
    {
        test::SentinelGroupOptions options;
        options.dataPassword = QStringLiteral("data-secret-1");
        options.sentinelPassword = QStringLiteral("sentinel-secret-2");
        test::SentinelGroup group(options);
        QS_START_OR_FAIL(group);
        core::ConnectionProfile saved = group.profile(); // as profiles.json holds it: no secret
        saved.name = QStringLiteral("behind sentinels");
        saved.password.clear();
        saved.sentinel.password.clear();
        core::MemorySecretStore secrets;
        QVERIFY(core::writeSecretBlocking(secrets, saved.name, options.dataPassword));
        QVERIFY(core::writeSecretBlocking(secrets, core::sentinelSecretName(saved.name),
                                          options.sentinelPassword));
        core::CredentialResolver credentials(&secrets);
        widgets::OverviewPage overview(&credentials);
        overview.setProfiles({saved});
        QCOMPARE(overview.tiles().size(), 1);
        const widgets::ProfileTile *tile = overview.tiles().first();
        QTRY_VERIFY2_WITH_TIMEOUT(tile->stateText() == QLatin1String("healthy"),
                                  qPrintable(tile->stateText() + u' ' + tile->errorText()), 20'000);
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
