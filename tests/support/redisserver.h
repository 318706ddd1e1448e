#pragma once

#include "core/connectionprofile.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace qs::test {

// Paths of PEM files made with openssl for one test run (see testcertificates.cpp).
struct TestCertificates
{
    QString caCert, caKey;         // the CA that signed everything below
    QString serverCert, serverKey; // CN=localhost, SAN DNS:localhost, IP:127.0.0.1
    QString expiredServerCert;     // same key as serverKey, expired yesterday
    QString clientCert, clientKey; // client certificate for mutual TLS
    QString otherCaCert;           // a CA that signed nothing here (for "untrusted")

    // Generates all of the above in dir; false + error on failure (e.g. no openssl).
    static bool generate(const QString &dir, QString *error);
    // The paths generate() writes in dir (absolute); the files exist only after generate().
    static TestCertificates inDirectory(const QString &dir);
};

struct RedisServerOptions
{
    enum class Tls { Off, On, Mutual };
    QString password; // requirepass for the default user
    // Full ACL rules, e.g. "alice on >secret ~* +@read". Each is split on whitespace into the
    // argv words of one --user option (redis-server 7 refuses the rule as a single argument),
    // so a password inside a rule cannot contain spaces.
    QStringList aclUsers;
    Tls tls = Tls::Off;
    bool expiredCertificate = false; // serve expiredServerCert instead of serverCert
    bool unixSocket = false;         // also listen on a unix socket (unixSocketPath())
    QStringList extraArgs;           // e.g. {"--rename-command", "CONFIG", ""}
};

// A throwaway redis-server on a free loopback port, owned by one test. No persistence, its own
// temporary directory; stopped (SIGTERM, then SIGKILL) in the destructor.
class RedisServer
{
public:
    explicit RedisServer(RedisServerOptions options = {});
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // Starts and waits until the server answers PING (at most 10 s).
    bool start(QString *error = nullptr);
    void stop();                            // graceful
    void kill();                            // SIGKILL: the connection drops with no goodbye
    bool restart(QString *error = nullptr); // start again on the same port with the same options
    bool isRunning() const;

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString unixSocketPath() const;
    const TestCertificates &certificates() const { return m_certs; }
    QString directory() const;

    // A profile that reaches this server as the default user (password, TLS CA / client cert
    // filled in as the options require). Tests then change what they want to test.
    core::ConnectionProfile profile() const;

    // Runs redis-cli against this server (auth and TLS flags added) and returns stdout.
    // For arranging test data only; what is under test talks through RedisConnection.
    QByteArray cli(const QStringList &args, int *exitCode = nullptr) const;

    // The last lines of the server's log and stdout/stderr: for failure messages.
    QString logTail(int maxLines = 20) const;

private:
    QStringList serverArguments() const;
    bool launch(QString *error);               // one attempt on m_port
    bool waitUntilReady(QString *error) const; // PING answered within 10 s
    bool answersPing() const;

    RedisServerOptions m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    TestCertificates m_certs;
    quint16 m_port = 0;
};

// Returns a free TCP port on 127.0.0.1 (bound and released).
quint16 freeLoopbackPort();

} // namespace qs::test
