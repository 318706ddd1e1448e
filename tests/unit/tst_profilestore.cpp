#include "core/memorysecretstore.h"
#include "core/profilestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using qs::core::ConnectionProfile;
using qs::core::MemorySecretStore;
using qs::core::ProfileStore;

namespace {

const QString kPassword = QStringLiteral("hunter2-S3cret-pw");

// Every field away from its default, so a field the store forgets shows up.
ConnectionProfile fullProfile(const QString &name)
{
    ConnectionProfile p;
    p.name = name;
    p.host = QStringLiteral("redis.prod.example");
    p.port = 6380;
    p.unixSocket = QStringLiteral("/run/redis/redis.sock");
    p.db = 7;
    p.username = QStringLiteral("monitor");
    p.password = kPassword;
    p.tls.enabled = true;
    p.tls.verifyPeer = false;
    p.tls.caFile = QStringLiteral("/etc/ssl/ca.pem");
    p.tls.certFile = QStringLiteral("/etc/ssl/client.pem");
    p.tls.keyFile = QStringLiteral("/etc/ssl/client.key");
    p.tls.serverName = QStringLiteral("redis.internal");
    p.readOnly = true;
    p.environment = QStringLiteral("production");
    p.connectTimeoutMs = 1234;
    p.commandTimeoutMs = 5678;
    p.pollIntervalMs = 2500;
    p.queueSources = {QStringLiteral("bullmq:{app}"), QStringLiteral("sidekiq:ns")};
    p.clusterAddressMap = {QStringLiteral("10.0.0.5:6379=127.0.0.1:7005")};
    return p;
}

ConnectionProfile withoutPassword(ConnectionProfile p)
{
    p.password.clear();
    return p;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

void writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

mode_t modeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void missingFileIsEmpty()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("none/profiles.json")));
        QVERIFY(store.load());
        QVERIFY(store.profiles().isEmpty());
    }

    void roundTripEveryField()
    {
        const QString path = m_dir.filePath(QStringLiteral("rt/profiles.json"));
        ProfileStore store(path);
        store.upsert(fullProfile(QStringLiteral("prod")));
        ConnectionProfile defaults;
        defaults.name = QStringLiteral("local");
        store.upsert(defaults);
        const auto saved = store.save();
        QVERIFY2(saved, qPrintable(saved.error()));

        ProfileStore again(path);
        const auto loaded = again.load();
        QVERIFY2(loaded, qPrintable(loaded.error()));
        QCOMPARE(again.profiles().size(), 2);
        QCOMPARE(again.names(), (QStringList{QStringLiteral("prod"), QStringLiteral("local")}));
        QVERIFY(*again.profile(QStringLiteral("prod")) ==
                withoutPassword(fullProfile(QStringLiteral("prod"))));
        QVERIFY(*again.profile(QStringLiteral("local")) == defaults);
        // Case-sensitive lookup.
        QVERIFY(!again.profile(QStringLiteral("PROD")));
    }

    void passwordNeverWritten()
    {
        const QString path = m_dir.filePath(QStringLiteral("pw/profiles.json"));
        ProfileStore store(path);
        store.upsert(fullProfile(QStringLiteral("prod")));
        QVERIFY(store.save());
        // Even a list built by hand with a password in it does not serialize the password.
        const QByteArray direct = ProfileStore::serialize({fullProfile(QStringLiteral("x"))});
        QVERIFY(!direct.contains(kPassword.toUtf8()));
        QVERIFY(!direct.contains("password"));

        const QByteArray bytes = readAll(path);
        QVERIFY(!bytes.isEmpty());
        QVERIFY2(!bytes.contains(kPassword.toUtf8()), bytes.constData());
        QVERIFY(!bytes.contains("password"));

        const QString exported = m_dir.filePath(QStringLiteral("pw/export.json"));
        QVERIFY(store.exportProfiles(exported));
        QVERIFY(!readAll(exported).contains(kPassword.toUtf8()));
    }

    void ownerOnlyPermissions()
    {
        const QString dir = m_dir.filePath(QStringLiteral("perm"));
        const QString path = dir + QStringLiteral("/profiles.json");
        ProfileStore store(path);
        store.upsert(fullProfile(QStringLiteral("prod")));
        QVERIFY(store.save());
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(modeOf(dir), mode_t(0700));

        // Loosened by someone else: the next save makes both private again.
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ReadOther));
        QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                               QFileDevice::ExeOther));
        QVERIFY(store.save());
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(modeOf(dir), mode_t(0700));
    }

    void malformedJsonKeepsFile()
    {
        const QString dir = m_dir.filePath(QStringLiteral("bad"));
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QStringLiteral("/profiles.json");
        const QByteArray broken = "{\n  \"profiles\": [\n    {\"name\": \"prod\",,}\n  ]\n}\n";
        writeAll(path, broken);

        ProfileStore store(path);
        const auto loaded = store.load();
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().contains(path), qPrintable(loaded.error()));
        QVERIFY2(loaded.error().contains(QStringLiteral("line 3")), qPrintable(loaded.error()));
        QVERIFY2(loaded.error().contains(QStringLiteral("offset")), qPrintable(loaded.error()));
        QVERIFY(store.profiles().isEmpty());

        // Saving now would destroy the operator's profiles: refused, file untouched.
        store.upsert(fullProfile(QStringLiteral("new")));
        const auto saved = store.save();
        QVERIFY(!saved);
        QVERIFY2(saved.error().contains(path), qPrintable(saved.error()));
        QCOMPARE(readAll(path), broken);
    }

    void invalidFieldIsReported()
    {
        const QString path = m_dir.filePath(QStringLiteral("type.json"));
        writeAll(path, R"({"profiles":[{"name":"prod","readOnly":"yes"}]})");
        ProfileStore store(path);
        const auto loaded = store.load();
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().contains(QStringLiteral("readOnly")), qPrintable(loaded.error()));
        QVERIFY(!ProfileStore::parse(R"({"profiles":[{"host":"x"}]})", QStringLiteral("f")));
        QVERIFY(!ProfileStore::parse(R"({"profiles":[{"name":"a"},{"name":"a"}]})",
                                     QStringLiteral("f")));
        QVERIFY(!ProfileStore::parse(R"({"profiles":[{"name":"a","port":70000}]})",
                                     QStringLiteral("f")));
        QVERIFY(!ProfileStore::parse(R"({"profiles":[{"name":"a","pollIntervalMs":10}]})",
                                     QStringLiteral("f")));
        QVERIFY(!ProfileStore::parse(R"({"profiles":[{"name":"a","queueSources":"bullmq"}]})",
                                     QStringLiteral("f")));
    }

    void reorderAndReplace()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("order.json")));
        for (const char *name : {"a", "b", "c"}) {
            ConnectionProfile p;
            p.name = QLatin1String(name);
            store.upsert(p);
        }
        QVERIFY(store.move(QStringLiteral("c"), 0));
        QCOMPARE(store.names(),
                 (QStringList{QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(store.move(QStringLiteral("c"), 99)); // clamped: to the end
        QCOMPARE(store.names().last(), QStringLiteral("c"));
        QVERIFY(!store.move(QStringLiteral("nope"), 0));
        store.setProfiles({fullProfile(QStringLiteral("only"))});
        QCOMPARE(store.names(), QStringList{QStringLiteral("only")});
        QVERIFY(store.profiles().first().password.isEmpty()); // never kept, even in memory
    }

    void unknownFieldsTolerated()
    {
        const QString path = m_dir.filePath(QStringLiteral("unknown.json"));
        writeAll(path, R"({"format":"queuescope-profiles","version":1,"futureTopLevel":{"a":1},
            "profiles":[{"name":"prod","host":"h","port":7000,"colour":"red",
                         "password":"from-a-hand-edit","tls":{"enabled":true,"pinning":["x"]}}]})");
        ProfileStore store(path);
        const auto loaded = store.load();
        QVERIFY2(loaded, qPrintable(loaded.error()));
        const auto p = store.profile(QStringLiteral("prod"));
        QVERIFY(p);
        QCOMPARE(p->host, QStringLiteral("h"));
        QCOMPARE(p->port, quint16(7000));
        QVERIFY(p->tls.enabled);
        QVERIFY(p->tls.verifyPeer); // missing = default
        QCOMPARE(p->db, 0);
        QVERIFY(p->password.isEmpty()); // a password in the file is never loaded
        // Saving rewrites the file without it.
        QVERIFY(store.save());
        QVERIFY(!readAll(path).contains("from-a-hand-edit"));
    }

    void exportImport()
    {
        ProfileStore source(m_dir.filePath(QStringLiteral("ex/a/profiles.json")));
        source.upsert(fullProfile(QStringLiteral("prod")));
        ConnectionProfile staging;
        staging.name = QStringLiteral("staging");
        staging.environment = QStringLiteral("staging");
        staging.password = kPassword;
        source.upsert(staging);

        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("ex"))));
        const QString file = m_dir.filePath(QStringLiteral("ex/export.json"));
        QVERIFY(source.exportProfiles(file, {QStringLiteral("staging")}));
        QVERIFY(!readAll(file).contains(kPassword.toUtf8()));
        QCOMPARE(modeOf(file), mode_t(0600));
        QVERIFY(!source.exportProfiles(file, {QStringLiteral("nope")}));

        ProfileStore target(m_dir.filePath(QStringLiteral("ex/b/profiles.json")));
        ConnectionProfile old;
        old.name = QStringLiteral("staging");
        old.host = QStringLiteral("old-host");
        target.upsert(old);
        const auto imported = target.importProfiles(file);
        QVERIFY2(imported, qPrintable(imported.error()));
        QCOMPARE(imported.value(), 1);
        QCOMPARE(target.profiles().size(), 1); // same name replaced
        QVERIFY(*target.profile(QStringLiteral("staging")) == withoutPassword(staging));

        // Export of everything round-trips through import.
        const QString all = m_dir.filePath(QStringLiteral("ex/all.json"));
        QVERIFY(source.exportProfiles(all));
        ProfileStore third(m_dir.filePath(QStringLiteral("ex/c/profiles.json")));
        QCOMPARE(third.importProfiles(all).value(), 2);
        QVERIFY(*third.profile(QStringLiteral("prod")) ==
                withoutPassword(fullProfile(QStringLiteral("prod"))));

        const QString bad = m_dir.filePath(QStringLiteral("ex/bad.json"));
        writeAll(bad, "[1,");
        const auto failed = third.importProfiles(bad);
        QVERIFY(!failed);
        QVERIFY(failed.error().contains(bad));
        QCOMPARE(third.profiles().size(), 2);
    }

    void removeProfile()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("rm/profiles.json")));
        store.upsert(fullProfile(QStringLiteral("a")));
        QVERIFY(store.remove(QStringLiteral("a")));
        QVERIFY(!store.remove(QStringLiteral("a")));
    }

    void memorySecretStore()
    {
        MemorySecretStore secrets;
        auto missing = qs::core::readSecretBlocking(secrets, QStringLiteral("prod"));
        QVERIFY(missing);
        QVERIFY(!missing.value());
        QVERIFY(qs::core::writeSecretBlocking(secrets, QStringLiteral("prod"), kPassword));
        QVERIFY(secrets.entries().contains(QStringLiteral("profile/prod/password")));
        QCOMPARE(*qs::core::readSecretBlocking(secrets, QStringLiteral("prod")).value(), kPassword);
        QCOMPARE(qs::core::removeSecretBlocking(secrets, QStringLiteral("prod")).value(), true);
        QCOMPARE(qs::core::removeSecretBlocking(secrets, QStringLiteral("prod")).value(), false);

        secrets.setUnavailable(true);
        const auto unavailable = qs::core::readSecretBlocking(secrets, QStringLiteral("prod"));
        QVERIFY(!unavailable);
        QVERIFY(unavailable.error().startsWith(QStringLiteral("no keychain available")));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
