// Test certificates made with the openssl command line (checked with OpenSSL 3.0 on Debian 12).
//
// All commands run in <dir> with OPENSSL_CONF pointing at <dir>/openssl.cnf (written below), so
// the machine's own openssl.cnf does not matter. In shell form:
//
//   # CA (self-signed, RSA 2048, 2 days)
//   openssl req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2
//       -subj "/CN=QueueScope Test CA" -config openssl.cnf -extensions ca_ext
//   # server key and request, then the certificate signed by the CA (SAN DNS:localhost,
//   # IP:127.0.0.1)
//   openssl req -new -newkey rsa:2048 -nodes -keyout server.key -out server.csr
//       -subj "/CN=localhost" -config openssl.cnf
//   openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial 2 -days 2 -sha256
//       -extfile openssl.cnf -extensions server_ext -out server.crt
//   # expired certificate for the same key: OpenSSL 3.0's "x509 -req" has no -not_before /
//   # -not_after (those came in 3.4), but "openssl ca" takes explicit dates. It needs a small CA
//   # database (index.txt, serial) which lives in ca-db/.
//   openssl ca -batch -config openssl.cnf -name test_ca -in server.csr -out server-expired.crt
//       -startdate <now-2d> -enddate <now-1d> -extfile openssl.cnf -extensions server_ext -notext
//   # client key, request and certificate for mutual TLS
//   openssl req -new -newkey rsa:2048 -nodes -keyout client.key -out client.csr
//       -subj "/CN=queuescope-test-client" -config openssl.cnf
//   openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -set_serial 3 -days 2 -sha256
//       -extfile openssl.cnf -extensions client_ext -out client.crt
//   # an unrelated CA that signed nothing here
//   openssl req -x509 -new -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt
//       -days 2 -subj "/CN=QueueScope Other CA" -config openssl.cnf -extensions ca_ext

#include "redisserver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

namespace qs::test {

namespace {

constexpr auto kOpensslConfig = R"(# Written by QueueScope's test support for one test run.
[ req ]
distinguished_name = dn
prompt = no

[ dn ]
CN = unused

[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ client_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ca ]
default_ca = test_ca

[ test_ca ]
dir = ca-db
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
certificate = ca.crt
private_key = ca.key
default_md = sha256
policy = any_policy
unique_subject = no
copy_extensions = none

[ any_policy ]
commonName = supplied
)";

class OpensslRunner
{
public:
    explicit OpensslRunner(const QString &dir)
        : m_dir(dir)
    {
        m_program = qEnvironmentVariable("QS_OPENSSL");
        if (m_program.isEmpty())
            m_program = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    }

    bool found() const { return !m_program.isEmpty(); }

    bool run(const QStringList &args, QString *error) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OPENSSL_CONF"), m_dir + QStringLiteral("/openssl.cnf"));
        QProcess process;
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_dir);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(m_program, args);
        const bool finished = process.waitForFinished(60'000);
        if (!finished)
            process.kill();
        process.waitForFinished();
        if (finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
            return true;
        if (error) {
            *error = QStringLiteral("openssl %1 failed (%2): %3")
                         .arg(args.join(QLatin1Char(' ')),
                              finished ? QStringLiteral("exit code %1").arg(process.exitCode())
                                       : process.errorString(),
                              QString::fromLocal8Bit(process.readAll()).trimmed().right(2000));
        }
        return false;
    }

private:
    QString m_dir;
    QString m_program;
};

bool writeFile(const QString &path, const QByteArray &content, QString *error)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
        file.write(content) == content.size())
        return true;
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return false;
}

QStringList newCa(const QString &name, const QString &subject)
{
    return {QStringLiteral("req"),         QStringLiteral("-x509"),
            QStringLiteral("-new"),        QStringLiteral("-newkey"),
            QStringLiteral("rsa:2048"),    QStringLiteral("-nodes"),
            QStringLiteral("-keyout"),     name + QStringLiteral(".key"),
            QStringLiteral("-out"),        name + QStringLiteral(".crt"),
            QStringLiteral("-days"),       QStringLiteral("2"),
            QStringLiteral("-subj"),       subject,
            QStringLiteral("-config"),     QStringLiteral("openssl.cnf"),
            QStringLiteral("-extensions"), QStringLiteral("ca_ext")};
}

QStringList newKeyAndRequest(const QString &name, const QString &subject)
{
    return {QStringLiteral("req"),
            QStringLiteral("-new"),
            QStringLiteral("-newkey"),
            QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"),
            QStringLiteral("-keyout"),
            name + QStringLiteral(".key"),
            QStringLiteral("-out"),
            name + QStringLiteral(".csr"),
            QStringLiteral("-subj"),
            subject,
            QStringLiteral("-config"),
            QStringLiteral("openssl.cnf")};
}

QStringList signByCa(const QString &name, int serial, const QString &extensions)
{
    return {QStringLiteral("x509"),
            QStringLiteral("-req"),
            QStringLiteral("-in"),
            name + QStringLiteral(".csr"),
            QStringLiteral("-CA"),
            QStringLiteral("ca.crt"),
            QStringLiteral("-CAkey"),
            QStringLiteral("ca.key"),
            QStringLiteral("-set_serial"),
            QString::number(serial),
            QStringLiteral("-days"),
            QStringLiteral("2"),
            QStringLiteral("-sha256"),
            QStringLiteral("-extfile"),
            QStringLiteral("openssl.cnf"),
            QStringLiteral("-extensions"),
            extensions,
            QStringLiteral("-out"),
            name + QStringLiteral(".crt")};
}

} // namespace

TestCertificates TestCertificates::inDirectory(const QString &dirPath)
{
    const QDir dir(QDir(dirPath).absolutePath());
    TestCertificates certs;
    certs.caCert = dir.filePath(QStringLiteral("ca.crt"));
    certs.caKey = dir.filePath(QStringLiteral("ca.key"));
    certs.serverCert = dir.filePath(QStringLiteral("server.crt"));
    certs.serverKey = dir.filePath(QStringLiteral("server.key"));
    certs.expiredServerCert = dir.filePath(QStringLiteral("server-expired.crt"));
    certs.clientCert = dir.filePath(QStringLiteral("client.crt"));
    certs.clientKey = dir.filePath(QStringLiteral("client.key"));
    certs.otherCaCert = dir.filePath(QStringLiteral("other-ca.crt"));
    return certs;
}

bool TestCertificates::generate(const QString &dirPath, QString *error)
{
    const QDir dir(dirPath);
    const QString absDir = dir.absolutePath();
    if (!QDir().mkpath(absDir + QStringLiteral("/ca-db"))) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(absDir);
        return false;
    }
    OpensslRunner openssl(absDir);
    if (!openssl.found()) {
        if (error)
            *error =
                QStringLiteral("openssl not found on PATH (scripts/install-deps.sh installs it)");
        return false;
    }

    // openssl ca: an empty database and a serial that does not collide with the ones above.
    if (!writeFile(absDir + QStringLiteral("/openssl.cnf"), kOpensslConfig, error) ||
        !writeFile(absDir + QStringLiteral("/ca-db/index.txt"), {}, error) ||
        !writeFile(absDir + QStringLiteral("/ca-db/serial"), "1000\n", error))
        return false;

    // Expired yesterday, valid for one day before that. UTC, GeneralizedTime (YYYYMMDDHHMMSSZ).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString format = QStringLiteral("yyyyMMddHHmmss'Z'");
    const QString expiredStart = now.addDays(-2).toString(format);
    const QString expiredEnd = now.addDays(-1).toString(format);

    const QList<QStringList> steps{
        newCa(QStringLiteral("ca"), QStringLiteral("/CN=QueueScope Test CA")),
        newKeyAndRequest(QStringLiteral("server"), QStringLiteral("/CN=localhost")),
        signByCa(QStringLiteral("server"), 2, QStringLiteral("server_ext")),
        {QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"),
         QStringLiteral("openssl.cnf"), QStringLiteral("-name"), QStringLiteral("test_ca"),
         QStringLiteral("-in"), QStringLiteral("server.csr"), QStringLiteral("-out"),
         QStringLiteral("server-expired.crt"), QStringLiteral("-startdate"), expiredStart,
         QStringLiteral("-enddate"), expiredEnd, QStringLiteral("-extfile"),
         QStringLiteral("openssl.cnf"), QStringLiteral("-extensions"), QStringLiteral("server_ext"),
         QStringLiteral("-notext")},
        newKeyAndRequest(QStringLiteral("client"), QStringLiteral("/CN=queuescope-test-client")),
        signByCa(QStringLiteral("client"), 3, QStringLiteral("client_ext")),
        newCa(QStringLiteral("other-ca"), QStringLiteral("/CN=QueueScope Other CA")),
    };
    for (const QStringList &step : steps) {
        if (!openssl.run(step, error))
            return false;
    }

    const TestCertificates certs = inDirectory(absDir);
    for (const QString &file :
         {certs.caCert, certs.caKey, certs.serverCert, certs.serverKey, certs.expiredServerCert,
          certs.clientCert, certs.clientKey, certs.otherCaCert}) {
        if (!QFile::exists(file)) {
            if (error)
                *error = QStringLiteral("openssl did not write %1").arg(file);
            return false;
        }
    }
    return true;
}

} // namespace qs::test
