#pragma once

#include "frameworks/bullfamily/bullfamilyadapter.h"
#include "frameworks/bullfamily/bullkeys.h"

namespace qs::queues {

// BullMQ (v1 to v6). Discovery: `SCAN MATCH <prefix>:*:meta TYPE hash`, confirmed by the meta
// fields (a paused Bull 4 queue has a meta hash too). Counting is read-only and O(1): 9 commands.
class BullMqAdapter final : public BullFamilyAdapter
{
public:
    explicit BullMqAdapter(QByteArray prefix = bullkeys::kDefaultPrefix);

    Framework framework() const override { return Framework::BullMQ; }

    QList<redis::RedisCommand> confirmCommands(const QueueRef &candidate) const override;
    bool confirmQueue(const QueueRef &candidate,
                      const QList<redis::RedisReply> &replies) const override;

    QS_QUEUE_ADAPTER_COUNT_OVERRIDES
};

} // namespace qs::queues
