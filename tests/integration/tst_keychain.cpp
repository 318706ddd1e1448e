// The real OS keychain behind KeychainSecretStore (build-notes: "Keychain without a desktop").
// The parent test functions start this same executable as a child in a controlled environment:
//  - under dbus-run-session with gnome-keyring-daemon --unlock in a throwaway HOME: a real
//    store / read / delete round trip;
//  - with no D-Bus session at all: every call fails with "no keychain available", nothing is
//    written in plain text.
// The *InChild functions skip unless QS_KEYCHAIN_CHILD names them.
#include "keychain/keychainsecretstore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using qs::core::readSecretBlocking;
using qs::core::removeSecretBlocking;
using qs::core::SecretStore;
using qs::core::writeSecretBlocking;
using qs::keychain::KeychainSecretStore;

namespace {

const QString kSecret =
    QStringLiteral("kc-S3cret-\u00e9\u6f22-%1").arg(QCoreApplication::applicationPid());
const QString kChildVar = QStringLiteral("QS_KEYCHAIN_CHILD");
// A service name of its own, so the test never touches a developer's real QueueScope entries.
const QString kService = QStringLiteral("QueueScope-test");

bool isChild(const char *function)
{
    return qEnvironmentVariable("QS_KEYCHAIN_CHILD") == QLatin1String(function);
}

// An environment with no way to a session bus: no address, no X11 autolaunch, an empty runtime
// dir (libdbus would otherwise try $XDG_RUNTIME_DIR/bus), and a throwaway HOME.
QProcessEnvironment isolatedEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XDG_CONFIG_HOME",
          "XDG_DATA_HOME", "XDG_CACHE_HOME", "GNOME_KEYRING_CONTROL", "SSH_AUTH_SOCK"})
        env.remove(QLatin1String(name));
    QDir(home).mkpath(QStringLiteral("run"));
    QFile::setPermissions(home + QStringLiteral("/run"),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
    return env;
}

struct ChildRun
{
    int exitCode = -1;
    QByteArray output;
};

ChildRun runChild(const QString &program, const QStringList &arguments,
                  const QProcessEnvironment &env)
{
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(program, arguments);
    ChildRun run;
    if (!child.waitForStarted(10'000)) {
        run.output = child.errorString().toUtf8();
        return run;
    }
    if (!child.waitForFinished(90'000)) {
        child.kill();
        child.waitForFinished();
        run.output = "timed out\n" + child.readAll();
        return run;
    }
    run.output = child.readAll();
    run.exitCode = child.exitStatus() == QProcess::NormalExit ? child.exitCode() : -2;
    return run;
}

// True when a file under dir contains needle (plain-text leak check).
bool anyFileContains(const QString &dir, const QByteArray &needle)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private slots:
    void realRoundTrip()
    {
        if (!qEnvironmentVariableIsEmpty("QS_KEYCHAIN_CHILD"))
            QSKIP("parent-only test");
        const QString dbusRunSession =
            QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        const QString keyring =
            QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (dbusRunSession.isEmpty())
            QSKIP("dbus-run-session is not installed (package dbus-daemon): no private D-Bus "
                  "session for a real keychain");
        if (keyring.isEmpty())
            QSKIP("gnome-keyring-daemon is not installed (package gnome-keyring): no Secret "
                  "Service for a real keychain");

        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = isolatedEnvironment(home.path());
        env.insert(kChildVar, QStringLiteral("roundTripInChild"));
        // The keyring daemon creates and unlocks a "login" keyring with the password on stdin,
        // daemonizes, and dies with the session when the child test exits.
        const QString script = QStringLiteral(
            "echo throwaway-keyring-pw | \"$1\" --unlock --components=secrets >/dev/null || "
            "{ echo 'gnome-keyring-daemon failed to start' >&2; exit 97; }; "
            "exec \"$0\" roundTripInChild");
        const ChildRun run =
            runChild(dbusRunSession,
                     {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script,
                      QCoreApplication::applicationFilePath(), keyring},
                     env);
        if (run.exitCode != 0)
            qWarning().noquote() << "child output:\n" << run.output;
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("PASS   : TestKeychain::roundTripInChild"),
                 run.output.constData());
        QVERIFY2(!run.output.contains("SKIP"), run.output.constData());
        qInfo().noquote() << "real keychain child:\n" << run.output;
        // gnome-keyring stores the secret encrypted: never in plain text in the throwaway HOME.
        QVERIFY(!anyFileContains(home.path(), kSecret.toUtf8()));
    }

    void roundTripInChild()
    {
        if (!isChild("roundTripInChild"))
            QSKIP("runs only inside the dbus-run-session child of realRoundTrip");
        QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
        KeychainSecretStore store(kService);
        const QString name = QStringLiteral("prod eu/1");

        const auto before = readSecretBlocking(store, name, 30'000);
        QVERIFY2(before, qPrintable(before.error()));
        QVERIFY(!before.value());

        const auto written = writeSecretBlocking(store, name, kSecret, 30'000);
        QVERIFY2(written, qPrintable(written.error()));

        const auto read = readSecretBlocking(store, name, 30'000);
        QVERIFY2(read, qPrintable(read.error()));
        QVERIFY(read.value());
        QCOMPARE(*read.value(), kSecret);
        // Another profile's entry stays separate.
        const auto other = readSecretBlocking(store, QStringLiteral("staging"), 30'000);
        QVERIFY2(other, qPrintable(other.error()));
        QVERIFY(!other.value());

        const auto removed = removeSecretBlocking(store, name, 30'000);
        QVERIFY2(removed, qPrintable(removed.error()));
        const auto after = readSecretBlocking(store, name, 30'000);
        QVERIFY2(after, qPrintable(after.error()));
        QVERIFY(!after.value());
    }

    void noSessionSaysNoKeychain()
    {
        if (!qEnvironmentVariableIsEmpty("QS_KEYCHAIN_CHILD"))
            QSKIP("parent-only test");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = isolatedEnvironment(home.path());
        env.insert(kChildVar, QStringLiteral("noSessionInChild"));
        const ChildRun run = runChild(QCoreApplication::applicationFilePath(),
                                      {QStringLiteral("noSessionInChild")}, env);
        if (run.exitCode != 0)
            qWarning().noquote() << "child output:\n" << run.output;
        QCOMPARE(run.exitCode, 0); // not a crash
        QVERIFY2(run.output.contains("PASS   : TestKeychain::noSessionInChild"),
                 run.output.constData());
        qInfo().noquote() << "no-session child:\n" << run.output;
        // No plain-text fallback anywhere in the child's HOME.
        QVERIFY(!anyFileContains(home.path(), kSecret.toUtf8()));
    }

    void noSessionInChild()
    {
        if (!isChild("noSessionInChild"))
            QSKIP("runs only in the no-D-Bus child of noSessionSaysNoKeychain");
        KeychainSecretStore store(kService);
        const auto written = writeSecretBlocking(store, QStringLiteral("prod"), kSecret);
        QVERIFY(!written);
        QVERIFY2(written.error().startsWith(SecretStore::unavailableMessage()),
                 qPrintable(written.error()));
        QVERIFY(!written.error().contains(kSecret));

        const auto read = readSecretBlocking(store, QStringLiteral("prod"));
        QVERIFY(!read);
        QVERIFY2(read.error().startsWith(SecretStore::unavailableMessage()),
                 qPrintable(read.error()));
        qInfo().noquote() << "read error:" << read.error();

        const auto removed = removeSecretBlocking(store, QStringLiteral("prod"));
        QVERIFY(!removed);
        QVERIFY2(removed.error().startsWith(SecretStore::unavailableMessage()),
                 qPrintable(removed.error()));
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
