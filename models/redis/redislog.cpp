#include "redislog.h"

Q_LOGGING_CATEGORY(lcRedis, "queuescope.redis", QtWarningMsg)
