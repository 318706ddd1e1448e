--! keys: rq:failed:{q} rq:queue:{q} rq:queues
--! argv: rq:job: {q} mode limit now cursor
--! items: id
--! returns: cursor
--
-- RQ 1.13: failed -> queued, as FailedJobRegistry.requeue() / `rq requeue` does, but atomic
-- (RQ does ZREM and the push in two round trips: a crash in between loses the job).
--
-- Per job, in one step: ZREM rq:failed:<q> id (must be 1), then the fields RQ's requeue writes:
-- status=queued, started_at='', ended_at='', exc_info=zlib('') (the exact bytes RQ writes for
-- its cleared exc_info), origin=<q>, enqueued_at=<now> formatted here from the caller's `now`
-- (ms) as RQ's utcformat does: '%Y-%m-%dT%H:%M:%S.%fZ' ("2024-05-01T12:00:00.123000Z", the
-- microseconds are ms*1000); EXPIRE of the hash, :dependents and ::dependencies when the job
-- has a positive `ttl` field (Queue.enqueue_job's job.cleanup(ttl)); RPUSH rq:queue:<q> id;
-- SADD rq:queues rq:queue:<q>. The hash keeps its failure TTL, retries_left and its
-- rq:results:<id> stream, as with RQ. No wake-up needed: workers BLPOP rq:queue:<q>.
--
-- Differences from RQ, all stricter (the job is left where it is and reported):
--   * status must be failed or stopped (the two statuses RQ files under failed). Any other
--     status means the registry entry is stale and the job lives elsewhere: requeueing it would
--     run it twice. RQ does not check.
--   * the job's origin must be this queue. RQ pushes to Queue(job.origin); a failed job whose
--     origin is another queue (only after manual re-enqueueing elsewhere) is reported instead,
--     so a job can never land in a queue whose failed list the operator was not looking at.
--   * an entry whose hash is gone (expired with its failure_ttl, or deleted) is removed from
--     failed (as RQ's own registry cleanup would) and reported, never pushed: a worker would
--     drop the id anyway.
--
-- Modes: ids = the ids follow (at most limit). all = the script takes failed entries in score
-- order (= failure order to the second for one failure_ttl: scores are whole seconds, ties go
-- by id) from rank `cursor`; entries it leaves in place
-- are counted into the returned cursor so the next call does not see them again; "0" = done.
-- Redis 5 compatible; no TIME; per-job keys derived from ARGV[1] ("rq:job:").

local failedKey, queueKey, queuesKey = KEYS[1], KEYS[2], KEYS[3]
local jobPrefix, queueName, mode = ARGV[1], ARGV[2], ARGV[3]
local limit = tonumber(ARGV[4])
local nowMs = tonumber(ARGV[5])
local cursor = tonumber(ARGV[6]) or 0

--! include: rq-timestamp

local enqueuedAt = rqTimestamp(nowMs)
-- What RQ's requeue stores for its cleared exc_info: zlib.compress(b''). Job.fetch reads it back
-- as '' (an empty string would read back as None).
local EMPTY_EXC_INFO = 'x\156\003\000\000\000\000\001'
--! include: outcome

local done, left = 0, 0

-- Returns true when the entry stays in failed (the all-mode cursor steps over it).
-- Common path: HMGET, ZREM (the ownership check), HSET; the RPUSHes are batched below.
-- `listed`: the id was just read from failed in this script (all mode), so its ZREM is batched.
local pushes = {}
local function requeue(id, listed)
    local jobKey = jobPrefix .. id
    local fields = redis.call('HMGET', jobKey, 'status', 'origin', 'ttl')
    local status, origin, ttl = fields[1], fields[2], tonumber(fields[3])
    if (status == 'failed' or status == 'stopped') and (not origin or origin == queueName) then
        if not listed and redis.call('ZREM', failedKey, id) ~= 1 then
            skip(id, 'not in failed')
            return false
        end
    elseif not listed and not redis.call('ZSCORE', failedKey, id) then
        skip(id, 'not in failed')
        return false
    elseif not status and redis.call('EXISTS', jobKey) == 0 then
        redis.call('ZREM', failedKey, id)
        skip(id, 'job hash is gone (expired); removed from failed')
        return false
    elseif status ~= 'failed' and status ~= 'stopped' then
        skip(id, 'status is ' .. tostring(status or 'missing') .. ', not failed')
        return true
    else
        skip(id, 'job belongs to queue ' .. origin)
        return true
    end
    if origin then
        redis.call('HSET', jobKey, 'status', 'queued', 'started_at', '', 'ended_at', '',
            'exc_info', EMPTY_EXC_INFO, 'enqueued_at', enqueuedAt)
    else
        redis.call('HSET', jobKey, 'status', 'queued', 'started_at', '', 'ended_at', '',
            'exc_info', EMPTY_EXC_INFO, 'enqueued_at', enqueuedAt, 'origin', queueName)
    end
    if ttl and ttl > 0 then
        redis.call('EXPIRE', jobKey, ttl)
        redis.call('EXPIRE', jobKey .. ':dependents', ttl)
        redis.call('EXPIRE', jobPrefix .. ':' .. id .. ':dependencies', ttl)
    end
    pushes[#pushes + 1] = id
    done = done + 1
    return false
end

local more, nextCursor = 0, '0'
if mode == 'all' then
    local ids = redis.call('ZRANGE', failedKey, cursor, cursor + limit - 1)
    for _, id in ipairs(ids) do
        if requeue(id, true) then
            left = left + 1
        end
    end
    for i = 1, #pushes, 1000 do
        redis.call('ZREM', failedKey, unpack(pushes, i, math.min(i + 999, #pushes)))
    end
    if #ids >= limit then
        more = 1
        nextCursor = tostring(cursor + left)
    end
else
    for i = 7, #ARGV do
        requeue(ARGV[i])
    end
end
-- In the order taken, at the tail (RQ's RPUSH; workers BLPOP the head). Chunks stay far below
-- Lua's unpack limit.
for i = 1, #pushes, 1000 do
    redis.call('RPUSH', queueKey, unpack(pushes, i, math.min(i + 999, #pushes)))
end
if done > 0 then
    redis.call('SADD', queuesKey, queueKey)
end
return {done, skipped, more, details, nextCursor}
