#pragma once

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace qs::test {

// The contents of tests/fixtures/<relativePath>, e.g. readFixture(u"info/redis-6.2.txt"_s).
// ctest sets QS_SOURCE_DIR; run by hand, fall back to the tree this header was compiled from.
// A missing fixture is a broken checkout, not a test result, hence qFatal.
inline QByteArray readFixture(const QString &relativePath)
{
    const QString root = qEnvironmentVariable("QS_SOURCE_DIR");
    const QString dir = root.isEmpty() ? QFileInfo(QStringLiteral(__FILE__)).absolutePath() +
                                             QStringLiteral("/../fixtures/")
                                       : root + QStringLiteral("/tests/fixtures/");
    QFile file(dir + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

} // namespace qs::test
