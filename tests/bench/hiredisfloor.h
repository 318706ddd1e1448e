#pragma once

// The C hiredis floor the benchmarks compare QueueScope's own client with.

#include "redis/redisreply.h"

#include <QList>
#include <QtGlobal>

#include <hiredis/hiredis.h>

#include <vector>

namespace qs::bench {

// One command; a failed one (or an error reply) ends the bench.
inline redisReply *commandOrDie(redisContext *context, const char *text)
{
    auto *reply = static_cast<redisReply *>(redisCommand(context, text));
    if (!reply || reply->type == REDIS_REPLY_ERROR)
        qFatal("%s failed: %s", text, reply ? reply->str : context->errstr);
    return reply;
}

// One pipeline: every command written, then every reply read; an error reply ends the bench.
inline void floorPipeline(redisContext *context, const QList<redis::RedisCommand> &commands)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const redis::RedisCommand &command : commands) {
        argv.clear();
        lengths.clear();
        for (const QByteArray &arg : command) {
            argv.push_back(arg.constData());
            lengths.push_back(size_t(arg.size()));
        }
        redisAppendCommandArgv(context, int(argv.size()), argv.data(), lengths.data());
    }
    for (qsizetype i = 0; i < commands.size(); ++i) {
        void *reply = nullptr;
        if (redisGetReply(context, &reply) != REDIS_OK)
            qFatal("hiredis: %s", context->errstr);
        if (static_cast<redisReply *>(reply)->type == REDIS_REPLY_ERROR)
            qFatal("floor command %lld failed: %s", static_cast<long long>(i),
                   static_cast<redisReply *>(reply)->str);
        freeReplyObject(reply);
    }
}

} // namespace qs::bench
