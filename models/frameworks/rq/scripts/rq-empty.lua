--! keys: rq:queue:{q}
--! argv: rq:job: rq:results: limit
--! items:
--! returns: standard
--
-- RQ 1.13: Queue.empty(), bounded. RQ's own script LPOPs the whole list in one call (blocks
-- Redis for large queues) and deletes rq:job:<id> and rq:job:<id>:dependents of every id.
-- This takes at most `limit` ids from the head per call (LRANGE + LTRIM, Redis 5 has no
-- LPOP count) and deletes the same keys, plus rq:job::<id>:dependencies and rq:results:<id>
-- (RQ 1.13 leaks both: a queued job can have them after depends_on / a requeue).
-- Like RQ: registries (deferred, scheduled, ...) and rq:queues are untouched, and the ids are
-- taken without looking at the hashes (the list is the ownership: an id taken here is no
-- longer in the list, so no worker can get it). more=1 while ids remain.
-- Redis 5 compatible; no TIME; per-job keys derived from ARGV[1]/ARGV[2].

local queueKey = KEYS[1]
local jobPrefix, resultsPrefix = ARGV[1], ARGV[2]
local limit = tonumber(ARGV[3])

--! include: rq-job-keys

local ids = redis.call('LRANGE', queueKey, 0, limit - 1)
if #ids > 0 then
    redis.call('LTRIM', queueKey, #ids, -1)
end
for _, id in ipairs(ids) do
    redis.call('DEL', rqJobKeys(jobPrefix, resultsPrefix, id))
end
local more = 0
if redis.call('LLEN', queueKey) > 0 then
    more = 1
end
return {#ids, 0, more, {}}
