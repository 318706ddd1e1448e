#pragma once

#include "targetoptions.h"

#include "redis/rediserror.h"

namespace qs::cli {

// The error's message with what to do about it where that depends on how the target was given:
// a missing password (NOAUTH) is fixed in the URL for --url, in REDIS_PASSWORD for REDIS_HOST,
// in the keychain for --profile. Other errors are returned as they are.
QString withTargetAdvice(const redis::RedisError &error, const Target &target);

} // namespace qs::cli
