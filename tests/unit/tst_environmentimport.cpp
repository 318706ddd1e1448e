#include "core/environmentimport.h"
#include "profileprinter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using qs::core::ConnectionProfile;
using qs::core::parseDotEnv;
using qs::core::profileFromDotEnvFile;
using qs::core::profileFromEnvironment;
using Env = QMap<QString, QString>;

namespace {

ConnectionProfile profile(const QString &host, quint16 port = 6379, int db = 0,
                          const QString &user = {}, const QString &password = {}, bool tls = false)
{
    ConnectionProfile p;
    p.host = host;
    p.port = port;
    p.db = db;
    p.username = user;
    p.password = password;
    p.tls.enabled = tls;
    return p;
}

const QString kPassword = QStringLiteral("hunter2-S3cret");

} // namespace

class TestEnvironmentImport : public QObject
{
    Q_OBJECT

private slots:
    void fromEnvironment_data();
    void fromEnvironment();
    void fromEnvironmentErrors_data();
    void fromEnvironmentErrors();
    void fromProcessEnvironment();
    void dotEnv_data();
    void dotEnv();
    void dotEnvFile();
    void dotEnvFileErrors();
};

void TestEnvironmentImport::fromEnvironment_data()
{
    QTest::addColumn<Env>("env");
    QTest::addColumn<ConnectionProfile>("expected");

    QTest::newRow("REDIS_URL") << Env{{"REDIS_URL", "rediss://app:pw@cache:6380/2"}}
                               << profile("cache", 6380, 2, "app", "pw", true);
    QTest::newRow("REDIS_URL wins over REDIS_HOST") << Env{{"REDIS_URL", "redis://from-url"},
                                                           {"REDIS_HOST", "from-host"},
                                                           {"REDIS_PORT", "1"},
                                                           {"REDIS_PASSWORD", "ignored"}}
                                                    << profile("from-url");
    QTest::newRow("empty REDIS_URL falls back to REDIS_HOST")
        << Env{{"REDIS_URL", ""}, {"REDIS_HOST", "from-host"}} << profile("from-host");
    QTest::newRow("REDIS_HOST alone") << Env{{"REDIS_HOST", "cache"}} << profile("cache");
    QTest::newRow("every variable")
        << Env{{"REDIS_HOST", "cache.example.com"},
               {"REDIS_PORT", "6380"},
               {"REDIS_PASSWORD", " pass word "},
               {"REDIS_USERNAME", "app"},
               {"REDIS_DB", "5"},
               {"REDIS_TLS", "true"}}
        << profile("cache.example.com", 6380, 5, "app", " pass word ", true);
    QTest::newRow("values with whitespace")
        << Env{{"REDIS_HOST", " cache "}, {"REDIS_PORT", " 6380 "}, {"REDIS_DB", " 1 "}}
        << profile("cache", 6380, 1);
    QTest::newRow("bracketed ipv6") << Env{{"REDIS_HOST", "[::1]"}} << profile("::1");
    QTest::newRow("plain ipv6") << Env{{"REDIS_HOST", "::1"}} << profile("::1");
    for (const char *on : {"true", "1", "yes", "on", "TRUE", "Yes"})
        QTest::addRow("REDIS_TLS=%s", on)
            << Env{{"REDIS_HOST", "h"}, {"REDIS_TLS", on}} << profile("h", 6379, 0, {}, {}, true);
    for (const char *off : {"false", "0", "no", "off", ""})
        QTest::addRow("REDIS_TLS=%s", off)
            << Env{{"REDIS_HOST", "h"}, {"REDIS_TLS", off}} << profile("h");
}

void TestEnvironmentImport::fromEnvironment()
{
    QFETCH(Env, env);
    QFETCH(ConnectionProfile, expected);

    const auto result = profileFromEnvironment(env);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value(), expected);
}

void TestEnvironmentImport::fromEnvironmentErrors_data()
{
    QTest::addColumn<Env>("env");
    QTest::addColumn<QString>("error");

    QTest::newRow("nothing set") << Env{} << "neither REDIS_URL nor REDIS_HOST is set";
    QTest::newRow("only other variables")
        << Env{{"REDIS_PORT", "6379"}, {"REDIS_PASSWORD", kPassword}}
        << "neither REDIS_URL nor REDIS_HOST is set";
    QTest::newRow("both empty") << Env{{"REDIS_URL", " "}, {"REDIS_HOST", ""}}
                                << "neither REDIS_URL nor REDIS_HOST is set (they are present";
    QTest::newRow("bad REDIS_URL") << Env{{"REDIS_URL", "redis://:" + kPassword + "@host:99999"}}
                                   << "REDIS_URL: port '99999' is out of range (1-65535)";
    QTest::newRow("REDIS_URL with an unencoded @")
        << Env{{"REDIS_URL", "redis://:hunter2@S3cret@host"}} << "REDIS_URL: the user name or";
    QTest::newRow("REDIS_PORT word") << Env{{"REDIS_HOST", "h"}, {"REDIS_PORT", "abc"}}
                                     << "REDIS_PORT 'abc' is not a port number (1-65535)";
    QTest::newRow("REDIS_PORT too big") << Env{{"REDIS_HOST", "h"}, {"REDIS_PORT", "70000"}}
                                        << "REDIS_PORT '70000' is not a port number";
    QTest::newRow("REDIS_PORT zero")
        << Env{{"REDIS_HOST", "h"}, {"REDIS_PORT", "0"}} << "REDIS_PORT '0' is not a port number";
    QTest::newRow("REDIS_DB negative") << Env{{"REDIS_HOST", "h"}, {"REDIS_DB", "-1"}}
                                       << "REDIS_DB '-1' is not a number from 0 to 2^31";
    QTest::newRow("REDIS_DB word")
        << Env{{"REDIS_HOST", "h"}, {"REDIS_DB", "two"}} << "REDIS_DB 'two' is not a number";
    QTest::newRow("REDIS_DB 2^31") << Env{{"REDIS_HOST", "h"}, {"REDIS_DB", "2147483648"}}
                                   << "REDIS_DB '2147483648' is not a number";
    QTest::newRow("REDIS_TLS maybe") << Env{{"REDIS_HOST", "h"}, {"REDIS_TLS", "maybe"}}
                                     << "REDIS_TLS 'maybe' is not one of true, false";
    QTest::newRow("URL in REDIS_HOST")
        << Env{{"REDIS_HOST", "redis://:" + kPassword + "@h"}} << "REDIS_HOST holds a URL";
    QTest::newRow("credentials in REDIS_HOST")
        << Env{{"REDIS_HOST", "app:" + kPassword + "@h"}} << "REDIS_HOST must be a host name only";
    QTest::newRow("invalid REDIS_HOST")
        << Env{{"REDIS_HOST", "ho st"}} << "REDIS_HOST 'ho st' is not a valid host name";
}

void TestEnvironmentImport::fromEnvironmentErrors()
{
    QFETCH(Env, env);
    QFETCH(QString, error);
    // Every failing configuration also carries a password, which must never be quoted.
    if (!env.contains(QStringLiteral("REDIS_PASSWORD")))
        env.insert(QStringLiteral("REDIS_PASSWORD"), kPassword);

    const auto result = profileFromEnvironment(env);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(error), qPrintable(result.error()));
    QVERIFY2(!result.error().contains(QStringLiteral("S3cret")), qPrintable(result.error()));
    QVERIFY2(!result.error().contains(QStringLiteral("hunter2")), qPrintable(result.error()));
}

void TestEnvironmentImport::fromProcessEnvironment()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("REDIS_HOST"), QStringLiteral("cache"));
    env.insert(QStringLiteral("REDIS_PORT"), QStringLiteral("6390"));
    env.insert(QStringLiteral("REDIS_PASSWORD"), kPassword);
    env.insert(QStringLiteral("REDIS_TLS"), QStringLiteral("1"));
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin"));
    const auto result = profileFromEnvironment(env);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value(), profile("cache", 6390, 0, {}, kPassword, true));

    env.insert(QStringLiteral("REDIS_URL"), QStringLiteral("redis://other:1/4"));
    QCOMPARE(profileFromEnvironment(env).value(), profile("other", 1, 4));

    const auto missing = profileFromEnvironment(QProcessEnvironment());
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error(), QStringLiteral("neither REDIS_URL nor REDIS_HOST is set"));
}

void TestEnvironmentImport::dotEnv_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Env>("values");
    QTest::addColumn<QStringList>("warnings");
    const QStringList none;

    QTest::newRow("empty") << QByteArray() << Env{} << none;
    QTest::newRow("comments and blank lines")
        << QByteArray("# a comment\n\n   \n  # indented comment\nA=1\n") << Env{{"A", "1"}} << none;
    QTest::newRow("export") << QByteArray("export A=1\nexport\tB=2\nexport=3\n")
                            << Env{{"A", "1"}, {"B", "2"}, {"export", "3"}} << none;
    QTest::newRow("whitespace around =") << QByteArray("  A  =  spaced value  \nB= x\n")
                                         << Env{{"A", "spaced value"}, {"B", "x"}} << none;
    QTest::newRow("missing value") << QByteArray("A=\nB=   \nC= # just a comment\n")
                                   << Env{{"A", ""}, {"B", ""}, {"C", ""}} << none;
    QTest::newRow("inline comments")
        << QByteArray("A=value # comment\nB=pa#ss\nC=x\t# tab comment\nD=#notcomment\n")
        << Env{{"A", "value"}, {"B", "pa#ss"}, {"C", "x"}, {"D", "#notcomment"}} << none;
    QTest::newRow("single quotes are literal")
        << QByteArray("A='a\\nb $HOME \"q\" # not a comment' # comment\n")
        << Env{{"A", "a\\nb $HOME \"q\" # not a comment"}} << none;
    QTest::newRow("double-quote escapes")
        << QByteArray(R"(A="l1\nl2 \"q\" back\\slash\ttab \d")"
                      "\n")
        << Env{{"A", "l1\nl2 \"q\" back\\slash\ttab \\d"}} << none;
    QTest::newRow("'=' in the value")
        << QByteArray("URL=redis://h/0?db=0\n") << Env{{"URL", "redis://h/0?db=0"}} << none;
    QTest::newRow("CRLF line endings") << QByteArray("A=1\r\nB=\"two\"\r\nC='3'\r\n\r\n")
                                       << Env{{"A", "1"}, {"B", "two"}, {"C", "3"}} << none;
    QTest::newRow("UTF-8 BOM and unicode")
        << QByteArray("\xEF\xBB\xBFREDIS_PASSWORD=p\xC3\xA4ss\n")
        << Env{{"REDIS_PASSWORD", QStringLiteral("päss")}} << none;
    QTest::newRow("no final newline") << QByteArray("A=1") << Env{{"A", "1"}} << none;
    QTest::newRow("later value wins") << QByteArray("A=1\nA=2\n") << Env{{"A", "2"}} << none;
    QTest::newRow("line without =")
        << QByteArray("A=1\nhunter2\nB=2\n") << Env{{"A", "1"}, {"B", "2"}}
        << QStringList{"line 2: no '=' (ignored)"};
    QTest::newRow("invalid names")
        << QByteArray("MY-KEY=1\n1ST=2\nOK_1=3\n = 4\n") << Env{{"OK_1", "3"}}
        << QStringList{"line 1: 'MY-KEY' is not a valid variable name (ignored)",
                       "line 2: '1ST' is not a valid variable name (ignored)",
                       "line 4: no name before '=' (ignored)"};
    QTest::newRow("multi-line double-quoted value keeps line numbers")
        << QByteArray("KEY=\"-----BEGIN-----\r\nabc\r\n-----END-----\"\nbroken\nB=1\n")
        << Env{{"KEY", "-----BEGIN-----\nabc\n-----END-----"}, {"B", "1"}}
        << QStringList{"line 4: no '=' (ignored)"};
    QTest::newRow("unterminated quote") << QByteArray("A=\"never closed\nB=2\n") << Env{{"B", "2"}}
                                        << QStringList{"line 1: A has no closing quote (ignored)"};
    QTest::newRow("text after the closing quote")
        << QByteArray("A='one' two\nB=3\n") << Env{{"A", "one"}, {"B", "3"}}
        << QStringList{"line 1: text after the closing quote of A (ignored)"};
}

void TestEnvironmentImport::dotEnv()
{
    QFETCH(QByteArray, text);
    QFETCH(Env, values);
    QFETCH(QStringList, warnings);

    const auto dotEnv = parseDotEnv(text);
    QCOMPARE(dotEnv.values, values);
    QCOMPARE(dotEnv.warnings, warnings);
}

void TestEnvironmentImport::dotEnvFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral(".env"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# staging\nexport REDIS_HOST=cache.internal\nREDIS_PORT=6380 # not the default\n"
               "REDIS_PASSWORD=\"p@ss # with hash\"\nREDIS_TLS=yes\nUNRELATED=1\n");
    file.close();

    const auto result = profileFromDotEnvFile(path);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value(), profile("cache.internal", 6380, 0, {}, "p@ss # with hash", true));
}

void TestEnvironmentImport::dotEnvFileErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    const QString missingPath = dir.filePath(QStringLiteral("missing.env"));
    const auto missing = profileFromDotEnvFile(missingPath);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().startsWith(QStringLiteral("cannot read '%1': ").arg(missingPath)),
             qPrintable(missing.error()));

    const auto directory = profileFromDotEnvFile(dir.path());
    QVERIFY(!directory.ok());
    QVERIFY2(directory.error().contains(QStringLiteral("cannot read '%1'").arg(dir.path())),
             qPrintable(directory.error()));

    // A malformed REDIS_URL line: the warning explains why nothing was found, and the password
    // on that line is not repeated.
    const QString brokenPath = dir.filePath(QStringLiteral("broken.env"));
    QFile broken(brokenPath);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("REDIS_PASSWORD=" + kPassword.toUtf8() +
                 "\nREDIS_URL redis://:" + kPassword.toUtf8() + "@h\n");
    broken.close();
    const auto result = profileFromDotEnvFile(brokenPath);
    QVERIFY(!result.ok());
    QCOMPARE(result.error(), QStringLiteral("%1: neither REDIS_URL nor REDIS_HOST is set "
                                            "(line 2: no '=' (ignored))")
                                 .arg(brokenPath));
}

QTEST_GUILESS_MAIN(TestEnvironmentImport)
#include "tst_environmentimport.moc"
