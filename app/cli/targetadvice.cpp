#include "targetadvice.h"

namespace qs::cli {

namespace {

QString passwordAdvice(const Target &target)
{
    switch (target.origin) {
    case Target::Origin::Url:
        return QStringLiteral("put it in the URL (redis://:PASSWORD@host:port), or keep it off "
                              "the command line as --help describes");
    case Target::Origin::EnvironmentUrl:
        return QStringLiteral("put it in REDIS_URL (redis://:PASSWORD@host:port)");
    case Target::Origin::EnvironmentParts:
        return QStringLiteral("set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user)");
    case Target::Origin::Profile:
        return QStringLiteral("profile '%1' has no password in the keychain; save one in the "
                              "window's profile editor (File > Manage profiles)")
            .arg(target.profile.name);
    case Target::Origin::Default:
        return QStringLiteral("give the server and its password in REDIS_URL, or REDIS_HOST "
                              "and REDIS_PASSWORD (see --help)");
    }
    return {};
}

} // namespace

QString withTargetAdvice(const redis::RedisError &error, const Target &target)
{
    if (error.kind != redis::RedisError::Kind::AuthRequired)
        return error.message;
    return error.message + QStringLiteral(": ") + passwordAdvice(target);
}

} // namespace qs::cli
