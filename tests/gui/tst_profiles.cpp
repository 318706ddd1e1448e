// Connection profiles in the window, against real redis-servers: the editor (fill from a pasted
// URL, production turns read-only, "Test connection" says who answered or exactly what
// failed, save, reopen), passwords only in the secret store (never in the profile file, the
// settings or the log), the message when there is no keychain, and the overview of every
// profile with the tray's alerts.
#include "redisserver.h"
#include "widgetfit.h"

#include "logpane.h"
#include "mainwindow.h"
#include "overviewpage.h"
#include "profiledialog.h"
#include "profileform.h"
#include "profiletile.h"
#include "serverview.h"
#include "trayicon.h"

#include "core/memorysecretstore.h"
#include "core/profilestore.h"
#include "monitor/connectiontest.h"
#include "session/serversession.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/stat.h>

using namespace qs;

namespace {

const QString kPassword = QStringLiteral("Ops-S3cret-7781");

void saveScreenshot(QWidget *widget, const QString &name)
{
    QVERIFY(test::saveScreenshot(widget, name));
}

// Every file under dir that contains `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            hits << file.fileName();
    }
    return hits;
}

test::RedisServerOptions withAclUser()
{
    test::RedisServerOptions options;
    options.aclUsers = {QStringLiteral("ops on >") + kPassword + QStringLiteral(" ~* &* +@all")};
    return options;
}

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Issue 11: the form was wider than its pane (fields and spin-box arrows cut off, a
    // horizontal scroll bar). At the dialog's own size, in light and dark, every field of a
    // TLS profile is inside the pane.
    void editorFitsItsPane_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void editorFitsItsPane()
    {
        QFETCH(bool, dark);
        test::usePalette(dark);
        QTemporaryDir dir;
        core::ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
        core::MemorySecretStore secrets;
        widgets::ProfileDialog dialog(store, secrets);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.width() <= 1280 && dialog.height() <= 800);
        core::ConnectionProfile profile;
        profile.name = QStringLiteral("render");
        profile.environment = QStringLiteral("production");
        profile.tls.enabled = true;
        dialog.addProfile(profile);
        widgets::ProfileForm *form = dialog.form();
        auto *scroll = dialog.findChild<QScrollArea *>(QStringLiteral("profileFormScroll"));
        QVERIFY(scroll);
        QTRY_VERIFY(form->tlsGroup()->isVisible());
        QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0);
        QList<QWidget *> fields;
        for (QWidget *field : form->findChildren<QWidget *>()) {
            if (qobject_cast<QLineEdit *>(field) || qobject_cast<QAbstractSpinBox *>(field) ||
                qobject_cast<QComboBox *>(field) || qobject_cast<QAbstractButton *>(field))
                fields.append(field);
        }
        QVERIFY(fields.size() > 15);
        const QStringList cut = test::cutFields(scroll->viewport(), fields);
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QStringLiteral(", "))));
        test::saveScreenshot(&dialog,
                             QStringLiteral("profiles-editor-%1.png")
                                 .arg(dark ? QStringLiteral("dark") : QStringLiteral("light")));
        test::usePalette(false);
    }

    void editorFillsTestsSavesAndReopens()
    {
        test::RedisServer server(withAclUser());
        QVERIFY2(server.start(), qPrintable(server.logTail()));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config/profiles.json"));
        core::ProfileStore store(path);
        core::MemorySecretStore secrets;
        {
            widgets::ProfileDialog dialog(store, secrets);
            dialog.show();
            dialog.addProfile({});
            widgets::ProfileForm *form = dialog.form();
            QVERIFY(form->fillFromUrl(
                QStringLiteral("redis://ops:%1@127.0.0.1:%2/2").arg(kPassword).arg(server.port())));
            QCOMPARE(form->hostEdit()->text(), QStringLiteral("127.0.0.1"));
            QCOMPARE(form->portBox()->value(), int(server.port()));
            QCOMPARE(form->dbBox()->value(), 2);
            QCOMPARE(form->usernameEdit()->text(), QStringLiteral("ops"));
            QCOMPARE(form->passwordEdit()->text(), kPassword);
            QVERIFY(form->urlEdit()->text().isEmpty()); // the URL with its password is gone
            QVERIFY(!form->urlMessage()->text().contains(kPassword));
            QVERIFY(!form->fillFromUrl(QStringLiteral("http://nope")));
            QVERIFY(!form->urlMessage()->text().isEmpty());

            form->nameEdit()->setText(QStringLiteral("orders"));
            QVERIFY(!form->readOnlyBox()->isChecked());
            form->environmentBox()->setCurrentText(QStringLiteral("production"));
            QVERIFY(form->readOnlyBox()->isChecked()); // production starts read-only
            Q_EMIT form->edited();

            dialog.testButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(
                dialog.testResult()->text().startsWith(QLatin1String("Connected")), 15'000);
            const QString answer = dialog.testResult()->text();
            QVERIFY2(answer.contains(QLatin1String("Redis 7")), qPrintable(answer));
            QVERIFY2(answer.contains(QLatin1String("as user 'ops'")), qPrintable(answer));
            QVERIFY(answer.contains(QLatin1String("master")));
            saveScreenshot(&dialog, QStringLiteral("profiles-dialog.png"));

            // A wrong password is named as such.
            dialog.addProfile({});
            QVERIFY(dialog.form()->fillFromUrl(
                QStringLiteral("redis://ops:Bad-Guess-991@127.0.0.1:%1").arg(server.port())));
            dialog.form()->nameEdit()->setText(QStringLiteral("typo"));
            Q_EMIT dialog.form()->edited();
            dialog.testButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(
                dialog.testResult()->text().contains(QLatin1String("authentication failed")),
                15'000);
            QVERIFY(!dialog.testResult()->text().contains(QLatin1String("Bad-Guess-991")));
            QVERIFY(dialog.saveAll());
        }
        // The file: owner-only, no password; the secret store has it.
        struct stat info
        {
        };
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        QVERIFY(filesContaining(dir.path(), kPassword.toUtf8()).isEmpty());
        QCOMPARE(*core::readSecretBlocking(secrets, QStringLiteral("orders")).value(), kPassword);

        // Reopened: the saved profile, its password shown as kept in the keychain.
        core::ProfileStore again(path);
        QVERIFY(again.load());
        QCOMPARE(again.names(), (QStringList{QStringLiteral("orders"), QStringLiteral("typo")}));
        QVERIFY(again.profile(QStringLiteral("orders"))->readOnly);
        widgets::ProfileDialog reopened(again, secrets);
        reopened.selectProfile(QStringLiteral("orders"));
        QCOMPARE(reopened.form()->nameEdit()->text(), QStringLiteral("orders"));
        QTRY_VERIFY(
            reopened.form()->passwordEdit()->placeholderText().contains(QLatin1String("keychain")));
        QVERIFY(reopened.form()->passwordEdit()->text().isEmpty());
    }

    void testConnectionDescribesTheTlsSession()
    {
        test::RedisServerOptions options;
        options.tls = test::RedisServerOptions::Tls::On;
        test::RedisServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        monitor::ConnectionTest test(server.profile());
        QSignalSpy finished(&test, &monitor::ConnectionTest::finished);
        test.start();
        QVERIFY(finished.wait(15'000));
        const auto result = finished.first().first().value<monitor::ConnectionTestResult>();
        QVERIFY2(result.ok, qPrintable(result.describe()));
        QVERIFY2(result.tls.startsWith(QLatin1String("TLS 1.")), qPrintable(result.tls));
        QVERIFY(result.tls.contains(QLatin1String("localhost")));
        QVERIFY(result.tls.endsWith(QLatin1String("verified")));

        core::ConnectionProfile untrusted = server.profile();
        untrusted.tls.caFile.clear(); // the test CA is not a system CA
        monitor::ConnectionTest refused(untrusted);
        QSignalSpy refusedDone(&refused, &monitor::ConnectionTest::finished);
        refused.start();
        QVERIFY(refusedDone.wait(15'000));
        const auto why = refusedDone.first().first().value<monitor::ConnectionTestResult>();
        QVERIFY(!why.ok);
        QVERIFY2(why.describe().contains(QLatin1String("not trusted")), qPrintable(why.describe()));
    }

    void withoutAKeychainItSaysSoAndKeepsNoPassword()
    {
        QTemporaryDir dir;
        core::ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
        core::NoSecretStore none;
        widgets::ProfileDialog dialog(store, none);
        core::ConnectionProfile p;
        p.name = QStringLiteral("staging");
        p.password = kPassword;
        dialog.addProfile(p);
        QVERIFY(dialog.saveAll());
        QVERIFY2(dialog.message()->text().contains(QLatin1String("no keychain available")),
                 qPrintable(dialog.message()->text()));
        QVERIFY(dialog.message()->text().contains(QLatin1String("asks for it when connecting")));
        QVERIFY(filesContaining(dir.path(), kPassword.toUtf8()).isEmpty());
    }

    // No keychain: a server that needs no password opens without a question; one that needs a
    // password asks for it (once, kept for the session) and then connects.
    void withoutAKeychainTheWindowAsksOnlyWhenTheServerWantsAPassword()
    {
        test::RedisServer open;
        test::RedisServerOptions locked;
        locked.password = kPassword;
        test::RedisServer guarded(locked);
        QVERIFY(open.start());
        QVERIFY(guarded.start());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        {
            core::ProfileStore store(path);
            core::ConnectionProfile a = open.profile();
            a.name = QStringLiteral("open");
            core::ConnectionProfile b = guarded.profile();
            b.name = QStringLiteral("guarded");
            b.password.clear();
            store.upsert(a);
            store.upsert(b);
            QVERIFY(store.save());
        }
        widgets::MainWindow window(nullptr, path); // no keychain at all
        window.show();
        int asked = 0;
        QTimer answer;
        connect(&answer, &QTimer::timeout, this, [&] {
            if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
                ++asked;
                QVERIFY(dialog->labelText().contains(QLatin1String("No keychain")));
                dialog->setTextValue(kPassword);
                dialog->accept();
            }
        });
        answer.start(50);
        QVERIFY(window.openProfile(QStringLiteral("open")));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentView() &&
                                     window.currentView()->session()->status().state ==
                                         redis::ConnectionState::Connected,
                                 15'000);
        QCOMPARE(asked, 0);
        QVERIFY(window.openProfile(QStringLiteral("guarded")));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentView() &&
                                     window.currentView()->session()->profile().name ==
                                         QLatin1String("guarded") &&
                                     window.currentView()->session()->status().state ==
                                         redis::ConnectionState::Connected,
                                 15'000);
        QCOMPARE(asked, 1);
    }

    void overviewTilesTrayAndNoPasswordAnywhere()
    {
        test::RedisServer server(withAclUser());
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        {
            core::ProfileStore store(path);
            core::ConnectionProfile good = server.profile();
            good.name = QStringLiteral("orders");
            good.username = QStringLiteral("ops");
            good.environment = QStringLiteral("production");
            good.readOnly = true;
            core::ConnectionProfile down;
            down.name = QStringLiteral("gone");
            down.port = test::freeLoopbackPort(); // nothing listens there
            down.environment = QStringLiteral("staging");
            store.upsert(good);
            store.upsert(down);
            QVERIFY(store.save());
        }
        core::MemorySecretStore secrets;
        QVERIFY(core::writeSecretBlocking(secrets, QStringLiteral("orders"), kPassword));

        widgets::MainWindow window(&secrets, path);
        window.resize(1300, 800);
        window.show();
        const QList<widgets::ProfileTile *> tiles = window.overview()->tiles();
        QCOMPARE(tiles.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(tiles.at(0)->stateText(), QStringLiteral("healthy"), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            tiles.at(0)->failedText().startsWith(QLatin1String("failed jobs: 0")), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(tiles.at(1)->errorText().contains(QLatin1String("refused")),
                                 20'000);
        QVERIFY2(tiles.at(1)->stateText().startsWith(QLatin1String("unreachable")),
                 qPrintable(tiles.at(1)->stateText()));
        // The error is said once per tile (it was printed twice: in the state and below it).
        int said = 0;
        for (const QLabel *label : tiles.at(1)->findChildren<QLabel *>())
            said += label->isVisibleTo(tiles.at(1)) ? int(label->text().count(u"refused")) : 0;
        QCOMPARE(said, 1);
        QTRY_COMPARE_WITH_TIMEOUT(window.tray()->level(),
                                  monitor::ServerNotification::Level::Critical, 20'000);
        QVERIFY(window.logPane()->toPlainText().contains(QLatin1String("gone: server lost")));
        saveScreenshot(&window, QStringLiteral("overview.png"));

        // Open the saved profile: its password comes from the secret store; the environment is
        // on the page and in the title.
        QVERIFY(window.openProfile(QStringLiteral("orders")));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentView() &&
                                     window.currentView()->session()->status().state ==
                                         redis::ConnectionState::Connected,
                                 15'000);
        QVERIFY(window.windowTitle().contains(QLatin1String("[PRODUCTION]")));
        QVERIFY(window.currentView()->findChild<QLabel *>(QStringLiteral("environmentStrip")));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentView()->session()->latest().ok(), 15'000);
        QVERIFY(window.openProfile(QStringLiteral("orders"))); // already open: shown, not twice
        window.close();

        // After the session: no password in the profile file, the settings, the app's data or
        // the log.
        for (const QString &location :
             {dir.path(), QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
              QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
              QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)}) {
            const QStringList hits = filesContaining(location, kPassword.toUtf8());
            QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char(' '))));
        }
        QVERIFY(!window.logPane()->toPlainText().contains(kPassword));
    }
};

QTEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
