#pragma once

#include "queues/queueref.h"

#include <optional>

namespace qs::cli {

class HeadlessServer;

// An unknown queue is an error on every command that takes one, not an empty list or "0 done".
// nullopt when `queue` exists on the connected server (or when that cannot be told: the server
// did not answer, or an ACL hides its keys); otherwise prints "no queue 'bullmq/emial' on
// <server>; did you mean 'bullmq/emails'?" and returns the exit code.
// Cost: one round trip of O(1) reads; a discovery pass only when those find no sign of it.
std::optional<int> requireQueue(HeadlessServer &server, const queues::QueueRef &queue,
                                const QString &serverName);

} // namespace qs::cli
