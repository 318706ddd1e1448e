#pragma once

#include "redis/redisconnection.h"

#include <QTest>

#include <memory>
#include <optional>

namespace qs::test {

// Runs one pipeline (commands, or redis::EncodedCommands) and waits for its result (the event
// loop keeps running: no sleeping). Returns nullopt when no result arrived within timeoutMs.
template <typename Commands = QList<redis::RedisCommand>>
std::optional<redis::PipelineResult> runPipeline(redis::RedisConnection &connection,
                                                 const Commands &commands, int timeoutMs = 15'000)
{
    auto result = std::make_shared<std::optional<redis::PipelineResult>>();
    QObject context;
    connection.pipeline(commands, &context,
                        [result](const redis::PipelineResult &r) { *result = r; });
    (void)QTest::qWaitFor([&] { return result->has_value(); }, timeoutMs);
    return *result;
}

struct CommandOutcome
{
    redis::RedisReply reply;
    redis::RedisError error;
};

inline std::optional<CommandOutcome> runCommand(redis::RedisConnection &connection,
                                                const redis::RedisCommand &command,
                                                int timeoutMs = 15'000)
{
    auto result = std::make_shared<std::optional<CommandOutcome>>();
    QObject context;
    connection.command(command, &context,
                       [result](const redis::RedisReply &reply, const redis::RedisError &error) {
                           *result = CommandOutcome{reply, error};
                       });
    (void)QTest::qWaitFor([&] { return result->has_value(); }, timeoutMs);
    return *result;
}

// Options for a connection that fails for good instead of reconnecting.
inline redis::TransportOptions noReconnect()
{
    redis::TransportOptions options;
    options.autoReconnect = false;
    return options;
}

// Opens the connection and waits (at most 20 s) until it is up or has failed for good; its
// status then.
inline redis::ConnectionStatus connectAndSettle(redis::RedisConnection &connection)
{
    connection.open();
    (void)QTest::qWaitFor(
        [&] {
            const auto state = connection.status().state;
            return state == redis::ConnectionState::Connected ||
                   state == redis::ConnectionState::Failed;
        },
        20'000);
    return connection.status();
}

inline bool waitForState(const redis::RedisConnection &connection, redis::ConnectionState state,
                         int timeoutMs = 15'000)
{
    return QTest::qWaitFor([&] { return connection.status().state == state; }, timeoutMs);
}

// Opens a connection and waits until it is connected; nullptr when it did not connect in time.
inline std::unique_ptr<redis::RedisConnection>
openConnection(const core::ConnectionProfile &profile, const redis::TransportOptions &options = {},
               int timeoutMs = 15'000)
{
    auto connection = std::make_unique<redis::RedisConnection>(profile, options);
    connection->open();
    if (!waitForState(*connection, redis::ConnectionState::Connected, timeoutMs))
        return nullptr;
    return connection;
}

} // namespace qs::test
