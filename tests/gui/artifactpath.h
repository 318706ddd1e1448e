#pragma once

#include <QDir>
#include <QString>

namespace qs::test {

// Where a test saves a file for a person to look at (a screenshot, an export): under
// $QS_TEST_ARTIFACTS, else <temp>/qs-test-artifacts; the directory is made when missing.
inline QString artifactPath(const QString &name)
{
    QString dir = qEnvironmentVariable("QS_TEST_ARTIFACTS");
    if (dir.isEmpty())
        dir = QDir::tempPath() + QStringLiteral("/qs-test-artifacts");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name;
}

} // namespace qs::test
