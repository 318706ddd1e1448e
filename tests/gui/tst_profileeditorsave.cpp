// The profile editor never changes what the operator did not change: saving untouched profiles
// leaves the file byte for byte as it was (also a hand-written file, also while the keychain
// answers late), loading a profile into the form is not an edit, and editing one field changes
// that field alone. (Issue: Save wrote 127.0.0.1:6379, no user and readOnly false over a
// production profile, because loading the environment emitted "edited".)
#include "profiledialog.h"
#include "profileform.h"

#include "core/memorysecretstore.h"
#include "core/profilestore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <functional>
#include <memory>

using namespace qs;

namespace {

// One profile of every kind the editor shows, with values the widgets cannot all show exactly
// (an interval of 1,250 ms, timeouts that are not on the form).
QList<core::ConnectionProfile> everyKind()
{
    core::ConnectionProfile production;
    production.name = QStringLiteral("orders-prod");
    production.host = QStringLiteral("10.1.2.3");
    production.port = 6601;
    production.username = QStringLiteral("alice");
    production.environment = QStringLiteral("production");
    production.readOnly = true;
    production.pollIntervalMs = 1'250;
    production.queueSources = {QStringLiteral("bullmq:{app}"), QStringLiteral("sidekiq:myns")};

    core::ConnectionProfile mutualTls;
    mutualTls.name = QStringLiteral("cache-tls");
    mutualTls.host = QStringLiteral("cache.internal.example");
    mutualTls.port = 6380;
    mutualTls.db = 3;
    mutualTls.tls = {true,
                     true,
                     QStringLiteral("/etc/qs/ca.pem"),
                     QStringLiteral("/etc/qs/c.pem"),
                     QStringLiteral("/etc/qs/c.key"),
                     QStringLiteral("redis.example")};
    mutualTls.environment = QStringLiteral("staging");
    mutualTls.connectTimeoutMs = 3'000;

    core::ConnectionProfile selfSigned;
    selfSigned.name = QStringLiteral("render");
    selfSigned.host = QStringLiteral("oregon-keyvalue.render.com");
    selfSigned.username = QStringLiteral("red-abc123");
    selfSigned.tls.enabled = true;
    selfSigned.tls.verifyPeer = false;
    selfSigned.environment = QStringLiteral("production");
    selfSigned.readOnly = false; // deliberately writable production

    core::ConnectionProfile socket;
    socket.name = QStringLiteral("local socket");
    socket.unixSocket = QStringLiteral("/var/run/redis/redis.sock");
    socket.db = 2;
    socket.environment = QStringLiteral("development");
    socket.commandTimeoutMs = 7'000;

    core::ConnectionProfile other;
    other.name = QStringLiteral("db fifteen");
    other.db = 15;
    other.environment = QStringLiteral("qa-eu");
    other.pollIntervalMs = 60'000;
    core::ConnectionProfile sentinel;
    sentinel.name = QStringLiteral("queues behind sentinel");
    sentinel.sentinel.addresses = {QStringLiteral("10.0.0.1:26379"),
                                   QStringLiteral("10.0.0.2:26380")};
    sentinel.sentinel.masterName = QStringLiteral("mymaster");
    sentinel.sentinel.username = QStringLiteral("watcher");
    sentinel.db = 1;
    core::ConnectionProfile cluster;
    cluster.name = QStringLiteral("cluster behind nat");
    cluster.host = QStringLiteral("10.0.0.5");
    cluster.clusterAddressMap = {QStringLiteral("10.0.0.5:6379=127.0.0.1:7005")};
    return {production, mutualTls, selfSigned, socket, other, sentinel, cluster};
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QPushButton *saveButton(widgets::ProfileDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
}

// Shows every profile on the form once (as an operator browsing the list does), waits for the
// keychain's late answers, and presses Save.
void browseAllAndSave(widgets::ProfileDialog &dialog, const QStringList &names)
{
    for (const QString &name : names) {
        dialog.selectProfile(name);
        QCOMPARE(dialog.form()->nameEdit()->text(), name);
        QCoreApplication::processEvents();
    }
    QTest::qWait(0);
    saveButton(dialog)->click();
}

// The lines of `after` that differ from `before` (same number of lines expected).
QList<QByteArray> changedLines(const QByteArray &before, const QByteArray &after)
{
    const QList<QByteArray> a = before.split('\n');
    const QList<QByteArray> b = after.split('\n');
    if (a.size() != b.size())
        return b;
    QList<QByteArray> changed;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i) != b.at(i))
            changed << b.at(i).trimmed();
    }
    return changed;
}

} // namespace

class TestProfileEditorSave : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_files = 0;
    std::unique_ptr<core::MemorySecretStore> m_secrets;

    // A profiles file as QueueScope writes it; its bytes.
    QByteArray writeProfiles(const QList<core::ConnectionProfile> &profiles)
    {
        m_path = m_dir.filePath(QStringLiteral("profiles-%1.json").arg(++m_files));
        const QByteArray bytes = core::ProfileStore::serialize(profiles);
        QFile file(m_path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return {};
        return bytes;
    }

private Q_SLOTS:
    void init()
    {
        m_secrets = std::make_unique<core::MemorySecretStore>();
        m_secrets->setAnswersLater(true); // like the OS keychain: answers on the event loop
        QVERIFY(core::writeSecretBlocking(*m_secrets, QStringLiteral("orders-prod"),
                                          QStringLiteral("not-shown-1")));
        QVERIFY(core::writeSecretBlocking(*m_secrets, QStringLiteral("render"),
                                          QStringLiteral("not-shown-2")));
    }

    void loadingAProfileIsNotAnEdit()
    {
        widgets::ProfileForm form;
        QSignalSpy edited(&form, &widgets::ProfileForm::edited);
        for (const core::ConnectionProfile &p : everyKind()) {
            form.setProfile(p, true);
            QCOMPARE(form.profile(), p);
        }
        QCOMPARE(edited.count(), 0);
        // An operator's change is one.
        form.portBox()->setValue(7000);
        QCOMPARE(edited.count(), 1);
    }

    void savingUntouchedProfilesKeepsTheFileByteForByte()
    {
        const QList<core::ConnectionProfile> profiles = everyKind();
        const QByteArray before = writeProfiles(profiles);
        QVERIFY(!before.isEmpty());
        core::ProfileStore store(m_path);
        QVERIFY(store.load());
        widgets::ProfileDialog dialog(store, *m_secrets);
        dialog.show();
        QStringList names;
        for (const core::ConnectionProfile &p : profiles)
            names << p.name;
        browseAllAndSave(dialog, names);
        QCOMPARE(readAll(m_path), before);
        // And once more in reverse order, selecting while the keychain's answers are pending.
        widgets::ProfileDialog again(store, *m_secrets);
        std::reverse(names.begin(), names.end());
        browseAllAndSave(again, names);
        QCOMPARE(readAll(m_path), before);
        QCOMPARE(store.profiles(), profiles);
    }

    // The report's case: a file written by hand (not in QueueScope's own layout).
    void savingAHandWrittenFileUntouchedLeavesIt()
    {
        m_path = m_dir.filePath(QStringLiteral("hand-written.json"));
        const QByteArray before =
            R"({"profiles":[{"name":"alice-prod","host":"10.1.2.3","port":6601,"username":"alice",)"
            R"("environment":"production","readOnly":true},{"name":"db3","db":3}]})";
        {
            QFile file(m_path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(before);
        }
        core::ProfileStore store(m_path);
        QVERIFY(store.load());
        widgets::ProfileDialog dialog(store, *m_secrets);
        dialog.show();
        browseAllAndSave(dialog, {QStringLiteral("alice-prod"), QStringLiteral("db3")});
        QCOMPARE(readAll(m_path), before);
        QVERIFY(dialog.message()->text().startsWith(QLatin1String("No changes")));
    }

    void editingOneFieldChangesOnlyThatField_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("expectedLine");
        QTest::addColumn<std::function<void(widgets::ProfileForm &)>>("edit");
        using Edit = std::function<void(widgets::ProfileForm &)>;
        QTest::newRow("port") << QStringLiteral("orders-prod") << QByteArray(R"("port": 6602,)")
                              << Edit([](widgets::ProfileForm &f) { f.portBox()->stepUp(); });
        QTest::newRow("db") << QStringLiteral("cache-tls") << QByteArray(R"("db": 4,)")
                            << Edit([](widgets::ProfileForm &f) { f.dbBox()->stepUp(); });
        QTest::newRow("user") << QStringLiteral("orders-prod")
                              << QByteArray(R"("username": "alice2")")
                              << Edit([](widgets::ProfileForm &f) {
                                     f.usernameEdit()->setFocus();
                                     f.usernameEdit()->end(false);
                                     QTest::keyClicks(f.usernameEdit(), QStringLiteral("2"));
                                 });
        QTest::newRow("read-only off")
            << QStringLiteral("orders-prod") << QByteArray(R"("readOnly": false,)")
            << Edit([](widgets::ProfileForm &f) { f.readOnlyBox()->click(); });
        QTest::newRow("skip verify")
            << QStringLiteral("cache-tls") << QByteArray(R"("verifyPeer": false)")
            << Edit([](widgets::ProfileForm &f) { f.skipVerifyBox()->click(); });
        QTest::newRow("cluster address map")
            << QStringLiteral("cluster behind nat")
            << QByteArray(R"("10.0.0.5:6379=127.0.0.1:7006")") << Edit([](widgets::ProfileForm &f) {
                   f.clusterAddressMapEdit()->end(false);
                   QTest::keyClick(f.clusterAddressMapEdit(), Qt::Key_Backspace);
                   QTest::keyClicks(f.clusterAddressMapEdit(), QStringLiteral("6"));
               });
        QTest::newRow("host") << QStringLiteral("db fifteen")
                              << QByteArray(R"("host": "127.0.0.10",)")
                              << Edit([](widgets::ProfileForm &f) {
                                     f.hostEdit()->end(false);
                                     QTest::keyClicks(f.hostEdit(), QStringLiteral("0"));
                                 });
    }

    void editingOneFieldChangesOnlyThatField()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, expectedLine);
        QFETCH(std::function<void(widgets::ProfileForm &)>, edit);
        const QByteArray before = writeProfiles(everyKind());
        QVERIFY(!before.isEmpty());
        core::ProfileStore store(m_path);
        QVERIFY(store.load());
        widgets::ProfileDialog dialog(store, *m_secrets);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        for (const core::ConnectionProfile &p : everyKind())
            dialog.selectProfile(p.name); // every profile shown once first
        dialog.selectProfile(profile);
        QTest::qWait(0); // the keychain's answers
        edit(*dialog.form());
        saveButton(dialog)->click();
        const QByteArray after = readAll(m_path);
        QCOMPARE(changedLines(before, after), QList<QByteArray>{expectedLine});
    }

    void aClusterMapThatDoesNotParseIsRefusedAndNothingIsSaved()
    {
        const QByteArray before = writeProfiles(everyKind());
        core::ProfileStore store(m_path);
        QVERIFY(store.load());
        widgets::ProfileDialog dialog(store, *m_secrets);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.selectProfile(QStringLiteral("cluster behind nat"));
        QLineEdit *map = dialog.form()->clusterAddressMapEdit();
        map->selectAll();
        QTest::keyClicks(map, QStringLiteral("10.0.0.5:6379=127.0.0.1"));
        saveButton(dialog)->click();
        QCOMPARE(readAll(m_path), before);
        QVERIFY2(dialog.message()->text().contains(
                     QLatin1String("cluster address map '10.0.0.5:6379=127.0.0.1'")) &&
                     dialog.message()->text().contains(QLatin1String("names no port")),
                 qPrintable(dialog.message()->text()));
    }
};

QTEST_MAIN(TestProfileEditorSave)
#include "tst_profileeditorsave.moc"
