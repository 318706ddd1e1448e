#pragma once

#include "frameworks/bullfamily/bullfamilyadapter.h"
#include "frameworks/bullfamily/bullkeys.h"

namespace qs::queues {

// Bull 4 (and 3). Bull keeps no registry and no meta with a version, so discovery scans the job
// id counter `SCAN MATCH <prefix>:*:id TYPE string` and confirms each candidate with a few reads:
// a BullMQ queue on the same prefix has a :id counter too and must be left to BullMqAdapter.
// Counting is read-only and O(1): 7 commands.
class BullAdapter final : public BullFamilyAdapter
{
public:
    explicit BullAdapter(QByteArray prefix = bullkeys::kDefaultPrefix);

    Framework framework() const override { return Framework::Bull; }

    QList<redis::RedisCommand> confirmCommands(const QueueRef &candidate) const override;
    bool confirmQueue(const QueueRef &candidate,
                      const QList<redis::RedisReply> &replies) const override;

    QS_QUEUE_ADAPTER_COUNT_OVERRIDES
};

} // namespace qs::queues
