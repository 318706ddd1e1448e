#pragma once

#include "queues/queueadapter.h"

#include <functional>

namespace qs::queues {

// Sidekiq 6 (OSS; checked with 6.4.1), optionally behind redis-namespace ("<ns>:" before every
// key). Queues come from the registry set `queues`; per queue only the list `queue:<q>` exists,
// whose oldest job (the right end: clients LPUSH, processors BRPOP) gives the latency the way
// Sidekiq::Queue#latency computes it: now - enqueued_at.
//
// Everything else is server-wide, in ServerCounts: the `schedule`, `retry` and `dead` sorted
// sets hold jobs of every queue, `stat:processed`/`stat:failed` are global counters (flushed by
// each process's heartbeat, so they lag by up to ~5 s), and `busy` is the sum of the `busy`
// field of each process hash, named by the members of `processes`. Reading those hashes needs
// the identities first; instead of a second round trip, each tick reads the hashes of the
// identities the previous tick found (ServerCounts::carried), so a freshly started process
// shows up in `busy` one tick late.
class SidekiqAdapter final : public QueueAdapter
{
public:
    using Clock = std::function<qint64()>; // wall clock in ms since the epoch

    // ns: the redis-namespace, without the ':' ("" = none). clock: for tests; default: system.
    explicit SidekiqAdapter(QByteArray ns = {}, Clock clock = {});

    Framework framework() const override { return Framework::Sidekiq; }

    QList<ScanPattern> scanPatterns() const override { return {}; }
    QList<QueueRef> queuesFromKeys(const QList<QByteArray> &keys) const override;
    QList<redis::RedisCommand> registryCommands() const override;
    QList<QueueRef> queuesFromRegistry(const QList<redis::RedisReply> &replies) const override;

    QS_QUEUE_ADAPTER_COUNT_OVERRIDES

    // No reads: the oldest job comes with the counts, and the throughput is server-wide
    // (ServerCounts::completed/failed from stat:processed and stat:failed).
    QList<redis::RedisCommand> parseDetails(const QueueRef &queue, redis::ReplyRun replies,
                                            const QueueCounts &counts,
                                            QueueDetails &details) const override;

    QS_QUEUE_ADAPTER_SERVER_COUNT_OVERRIDES
    QList<QPair<QString, UnifiedState>> serverStates() const override;

    // At most this many process hashes are read per tick, to keep a tick bounded.
    static constexpr int kMaxProcesses = 1000;

    // A key under the namespace `ns` ("" = none): "ns:name".
    static QByteArray key(const QByteArray &ns, const QByteArray &name);

private:
    QByteArray key(const QByteArray &name) const;

    QByteArray m_ns;
    Clock m_clock;
};

} // namespace qs::queues
