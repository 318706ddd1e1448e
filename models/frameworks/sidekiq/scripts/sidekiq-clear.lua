--! keys: {ns}queue:{q} {ns}queues {ns}retry {ns}dead {ns}schedule
--! argv: state {q}
--! items:
--! returns: standard
--
-- Sidekiq 6: clear a whole queue or set, as Sidekiq does, reporting how many jobs went.
--   state = queue: Queue#clear = UNLINK queue:<q> + SREM queues <q> (Sidekiq: one MULTI);
--   state = retry | dead | schedule: RetrySet/DeadSet/ScheduledSet#clear = UNLINK the zset.
-- done = LLEN / ZCARD read just before, in the same atomic step. UNLINK frees large values in
-- a background thread, so this stays fast at any size (hence no batching). A job pushed after
-- the call SADDs the queue again, as with Sidekiq.
-- Redis 5 compatible (UNLINK: 4.0); no TIME.

local state, queueName = ARGV[1], ARGV[2]
local count
if state == 'queue' then
    count = redis.call('LLEN', KEYS[1])
    redis.call('UNLINK', KEYS[1])
    redis.call('SREM', KEYS[2], queueName)
elseif state == 'retry' or state == 'dead' or state == 'schedule' then
    local key = (state == 'retry' and KEYS[3]) or (state == 'dead' and KEYS[4]) or KEYS[5]
    count = redis.call('ZCARD', key)
    redis.call('UNLINK', key)
else
    return redis.error_reply('sidekiq-clear: state must be queue, retry, dead or schedule')
end
return {count, 0, 0, {}}
