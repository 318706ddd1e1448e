#pragma once

#include "connectionprofile.h"
#include "result.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QStringList>

namespace qs::core {

// A profile exactly as operators configure their apps: REDIS_URL wins; otherwise
// REDIS_HOST / REDIS_PORT / REDIS_PASSWORD / REDIS_USERNAME / REDIS_DB / REDIS_TLS.
// Fails with a clear message when none of these is set or a value is malformed.
Result<ConnectionProfile> profileFromEnvironment(const QMap<QString, QString> &env);
Result<ConnectionProfile> profileFromEnvironment(const QProcessEnvironment &env);

struct DotEnv
{
    QMap<QString, QString> values;
    QStringList warnings; // "line 7: no '=' (ignored)"
};
// Parses a .env file: comments, blank lines, `export KEY=...`, single/double quotes, inline
// comments after unquoted values, escapes in double quotes.
DotEnv parseDotEnv(const QByteArray &text);
Result<ConnectionProfile> profileFromDotEnvFile(const QString &path);

} // namespace qs::core
