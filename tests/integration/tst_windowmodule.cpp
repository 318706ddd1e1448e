// The window is a module (queuescope-gui) the executable loads only when it opens the window: a
// command (here the exporter, the longest-running one) never maps Qt Widgets, Qt Gui or the
// module, and the window still opens; without its module the executable says so. Linux: what a
// process maps is read from /proc/<pid>/maps.
#include "cliprocess.h"
#include "redisserver.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using qs::test::RedisServer;

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

} // namespace

class TestWindowModule : public QObject
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
        const quint16 port = freePort();
        QVERIFY(port);
        QProcess exporter;
        exporter.start(qEnvironmentVariable("QS_QUEUESCOPE_BIN"),
                       {QStringLiteral("exporter"), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--url"),
                        QStringLiteral("redis://127.0.0.1:%1").arg(m_redis.port())});
        QVERIFY(exporter.waitForStarted());
        // Serving (and so past every library it loads at start) once it printed its address.
        QByteArray errors;
        QTRY_VERIFY_WITH_TIMEOUT((errors += exporter.readAllStandardError()).contains("serving") ||
                                     exporter.state() == QProcess::NotRunning,
                                 30'000);
        QVERIFY2(exporter.state() == QProcess::Running, errors.constData());
        const QByteArray maps = mapsOf(exporter);
        stop(exporter);
        QVERIFY(maps.contains("libQt6Core"));
        QVERIFY2(!maps.contains("libQt6Widgets"), "the exporter mapped Qt Widgets");
        QVERIFY2(!maps.contains("libQt6Gui"), "the exporter mapped Qt Gui");
        QVERIFY2(!maps.contains("queuescope-gui"), "the exporter mapped the window's module");
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

QTEST_GUILESS_MAIN(TestWindowModule)
#include "tst_windowmodule.moc"
