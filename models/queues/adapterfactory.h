#pragma once

#include "queueadapter.h"

#include <memory>

namespace qs::queues {

// The adapter that counts `queue` (its framework with the queue's key prefix).
std::unique_ptr<QueueAdapter> makeAdapter(const QueueRef &queue);

} // namespace qs::queues
