// What a command loads. The window is a module (queuescope-gui) the executable loads only when it
// opens the window: a command (here the exporter, the longest-running one) never maps Qt Widgets,
// Qt Gui or the module, and the window still opens; without its module the executable says so.
// The exporter loads TLS (Qt's TLS backend, OpenSSL) only when a server it watches uses it, and
// serves either way; its connections read on its one thread. Linux: what a process maps is read
// from /proc/<pid>/maps.
#include "cliprocess.h"
#include "redisserver.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using qs::test::RedisServer;
using qs::test::RedisServerOptions;

namespace {

QByteArray mapsOf(const QProcess &process)
{
    QFile maps(QStringLiteral("/proc/%1/maps").arg(process.processId()));
    return maps.open(QIODevice::ReadOnly) ? maps.readAll() : QByteArray();
}

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost) ? probe.serverPort() : 0;
}

void stop(QProcess &process)
{
    process.kill();
    qs::test::finishes(process, 10'000);
}

// One plain HTTP/1.0 GET of /metrics: the body, or nothing.
QByteArray scrape(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5'000))
        return {};
    socket.write("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray response;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5'000))
        response += socket.readAll();
    response += socket.readAll();
    return response;
}

// An exporter on a free port watching `arguments`' server, serving (past every library it loads
// at start) once it printed its address. Its port, or 0.
quint16 startExporter(QProcess &exporter, const QStringList &arguments)
{
    const quint16 port = freePort();
    exporter.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
                   QStringList{QStringLiteral("exporter"), QStringLiteral("--listen"),
                               QStringLiteral("127.0.0.1:%1").arg(port)} +
                       arguments);
    if (!port || !exporter.waitForStarted())
        return 0;
    QByteArray errors;
    const bool settled = QTest::qWaitFor(
        [&] {
            errors += exporter.readAllStandardError();
            return errors.contains("serving") || exporter.state() == QProcess::NotRunning;
        },
        30'000);
    return settled && exporter.state() == QProcess::Running ? port : 0;
}

// Until the exporter reads the server as up (its first poll), at most 30 s.
bool readsUp(quint16 port)
{
    static const QRegularExpression up(QStringLiteral("\nredis_up\\{[^}]*\\} 1\n"));
    return QTest::qWaitFor([&] { return up.match(QString::fromUtf8(scrape(port))).hasMatch(); },
                           30'000);
}

} // namespace

class TestLoadedLibraries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("reads /proc/<pid>/maps");
#endif
        QVERIFY(QFile::exists(qEnvironmentVariable("QS_QUEUESCOPE_BIN")));
        QString error;
        QVERIFY2(m_redis.start(&error), qPrintable(error));
    }

    void aCommandDoesNotMapTheWindowsLibraries()
    {
        QProcess exporter;
        const quint16 port =
            startExporter(exporter, {QStringLiteral("--url"),
                                     QStringLiteral("redis://127.0.0.1:%1").arg(m_redis.port())});
        QVERIFY2(port, exporter.readAllStandardError().constData());
        const QByteArray maps = mapsOf(exporter);
        stop(exporter);
        QVERIFY(maps.contains("libQt6Core"));
        QVERIFY2(!maps.contains("libQt6Widgets"), "the exporter mapped Qt Widgets");
        QVERIFY2(!maps.contains("libQt6Gui"), "the exporter mapped Qt Gui");
        QVERIFY2(!maps.contains("queuescope-gui"), "the exporter mapped the window's module");
    }

    // Nothing uses TLS: no TLS backend, no OpenSSL, nothing said about it, and the server is
    // polled and served as usual.
    void anExporterWithoutTlsLoadsNone()
    {
        QProcess exporter;
        const quint16 port =
            startExporter(exporter, {QStringLiteral("--url"),
                                     QStringLiteral("redis://127.0.0.1:%1").arg(m_redis.port())});
        QVERIFY2(port, exporter.readAllStandardError().constData());
        QVERIFY(readsUp(port));
        const QByteArray maps = mapsOf(exporter);
        const QByteArray errors = exporter.readAllStandardError();
        QFile status(QStringLiteral("/proc/%1/status").arg(exporter.processId()));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QByteArray threads = status.readAll();
        stop(exporter);
        // Its connection reads on its one thread: no thread per watched server.
        QVERIFY2(threads.contains("\nThreads:\t1\n"), threads.constData());
        QVERIFY2(!maps.contains("libqopensslbackend"), "the exporter loaded Qt's TLS backend");
        QVERIFY2(!maps.contains("libcrypto"), "the exporter loaded OpenSSL");
        QVERIFY2(!errors.contains("TLS"), errors.constData());
    }

    // A rediss:// server: TLS is loaded, and the server is read over it.
    void anExporterOfATlsServerLoadsTls()
    {
        RedisServerOptions options;
        options.tls = RedisServerOptions::Tls::On;
        RedisServer tls(options);
        QString error;
        QVERIFY2(tls.start(&error), qPrintable(error));
        QProcess exporter;
        const quint16 port =
            startExporter(exporter, {QStringLiteral("--url"),
                                     QStringLiteral("rediss://127.0.0.1:%1").arg(tls.port()),
                                     QStringLiteral("--tls-ca"), tls.certificates().caCert});
        QVERIFY2(port, exporter.readAllStandardError().constData());
        QVERIFY(readsUp(port));
        const QByteArray maps = mapsOf(exporter);
        stop(exporter);
        QVERIFY2(maps.contains("libcrypto"), "the exporter of a TLS server did not load OpenSSL");
    }

    void theWindowOpensWithItsModule()
    {
        QProcess window;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        window.setProcessEnvironment(environment);
        window.start(
            qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
            {QStringLiteral("--url"), QStringLiteral("redis://127.0.0.1:%1").arg(m_redis.port())});
        QVERIFY(window.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(mapsOf(window).contains("libQt6Widgets") ||
                                     window.state() == QProcess::NotRunning,
                                 30'000);
        const QByteArray maps = mapsOf(window);
        const QByteArray errors = window.readAllStandardError();
        stop(window);
        QVERIFY2(maps.contains("queuescope-gui"), errors.constData());
        QVERIFY2(maps.contains("libQt6Widgets"), errors.constData());
    }

    void withoutItsModuleTheWindowSaysSo()
    {
        QTemporaryDir alone; // the executable without the module next to it
        QVERIFY(alone.isValid());
        const QString copy = alone.filePath(QStringLiteral("queuescope"));
        QVERIFY(QFile::copy(qEnvironmentVariable("QS_QUEUESCOPE_BIN"), copy));
        QProcess window;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        window.setProcessEnvironment(environment);
        window.start(copy, {});
        QVERIFY(window.waitForStarted());
        QVERIFY(qs::test::finishes(window, 30'000));
        QCOMPARE(window.exitCode(), 2);
        const QByteArray errors = window.readAllStandardError();
        QVERIFY2(errors.contains("the window's module (queuescope-gui.so) did not load: not found"),
                 errors.constData());
        // The commands work without it.
        QProcess version;
        version.start(copy, {QStringLiteral("--version")});
        QVERIFY(qs::test::finishes(version, 30'000));
        QCOMPARE(version.exitCode(), 0);
    }

private:
    RedisServer m_redis;
};

QTEST_GUILESS_MAIN(TestLoadedLibraries)
#include "tst_loadedlibraries.moc"
