--! keys: rq:wip:{q} rq:failed:{q} rq:queue:{q} rq:scheduled:{q} rq:queues
--! argv: rq:job: rq:worker: {q} mode limit now cursor
--! items: id
--! returns: cursor
--
-- RQ 1.13: started jobs whose worker is gone -> failed, as StartedJobRegistry.cleanup() does
-- (RQ runs it from a live worker's maintenance, at most every 15 minutes per queue, and only for
-- entries whose expiry score has passed), but atomic and only for jobs nobody runs any more.
--
-- A job is taken only when all of these hold (else it is left where it is and reported):
--   * it is in rq:wip:<q> (ZSCORE; "not in started"), its origin is this queue and its status
--     is started (anything else is a stale entry of a job living elsewhere);
--   * its worker is gone: the job's worker_name names an rq:worker:<name> hash that no longer
--     exists or carries `death` (the worker said goodbye). A job that records no worker is
--     judged by its score alone;
--   * its score (the expiry the running worker keeps pushing forward, epoch seconds) is at or
--     before `now`: nothing has heartbeated it since. +inf never expires.
-- An expired entry whose job hash is gone is removed from started (RQ's cleanup drops it too).
--
-- What RQ's cleanup writes, per job:
--   retries_left > 0 (job.retry): retries_left - 1; the interval retry_intervals[max(n -
--     retries_left, 0)] (0 without intervals); interval > 0: status=scheduled, ZADD
--     rq:scheduled:<q> <now s + interval>; else status=queued, origin, enqueued_at=<now> (RQ's
--     utcformat), timeout=180 when the job has none (Queue's default), EXPIRE of the hash,
--     :dependents and ::dependencies by the job's positive `ttl`, RPUSH rq:queue:<q>. Both:
--     SADD rq:queues rq:queue:<q>.
--   else: status=failed, exc_info = zlib("Moved to FailedJobRegistry at <time>"), ZADD
--     rq:failed:<q> <now s + failure_ttl> (default 1 year) and EXPIRE of the hash, :dependents
--     and ::dependencies by that ttl (FailedJobRegistry.add). No rq:results entry (RQ's cleanup
--     writes none: the job's detail shows exc_info, RQ's job.exc_info the latest result).
--   Both: ZREM rq:wip:<q> id.
-- Differences from RQ: the checks above (RQ fails every expired entry, whoever runs it);
-- exc_info says QueueScope did it and why; a negative failure_ttl scores +inf (RQ 1.13 stores
-- the negative number itself as the score, so its next failed-registry cleanup drops the entry);
-- the time in exc_info is UTC ISO (RQ writes the worker's local time).
--
-- Modes: ids = the ids follow. all = the expired entries (score <= now) from rank `cursor`;
-- entries left in place count into the returned cursor; "0" = done.
-- Reply: {done, skipped, more, details, cursor, tally}: tally = flat {what, count, ...} of the
-- done jobs ("moved to failed", "requeued (retries left)", "scheduled for retry (retries left)").
-- Redis 5 compatible; no TIME; per-job and worker keys derived from ARGV[1]/ARGV[2].

local wipKey, failedKey, queueKey, scheduledKey, queuesKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4],
    KEYS[5]
local jobPrefix, workerPrefix, queueName, mode = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local limit = tonumber(ARGV[5])
local nowMs = tonumber(ARGV[6])
local cursor = tonumber(ARGV[7]) or 0
local nowSecs = math.floor(nowMs / 1000) -- RQ's current_timestamp(): whole seconds
local DEFAULT_FAILURE_TTL, DEFAULT_TIMEOUT = 31536000, 180

--! include: rq-timestamp
--! include: outcome

local enqueuedAt = rqTimestamp(nowMs)

-- A zlib stream of one stored (uncompressed) deflate block: what Python's zlib.decompress reads
-- back as `text` (RQ's exc_info is zlib.compress(text)). #text < 65536.
local function zlibStored(text)
    local a, b = 1, 0
    for i = 1, #text do
        a = (a + string.byte(text, i)) % 65521
        b = (b + a) % 65521
    end
    local n, fl = #text, math.floor
    return 'x\001\001' .. string.char(n % 256, fl(n / 256), (65535 - n) % 256, fl((65535 - n) / 256))
        .. text .. string.char(fl(b / 256), b % 256, fl(a / 256), a % 256)
end

local function expired(score)
    if score == 'inf' or score == '+inf' then
        return false
    end
    return tonumber(score) <= nowMs / 1000
end

-- The interval RQ's job.get_retry_interval() picks (0 without intervals or if unreadable).
local function retryInterval(rawIntervals, retriesLeft)
    if not rawIntervals or rawIntervals == '' then
        return 0
    end
    local ok, intervals = pcall(cjson.decode, rawIntervals)
    if not ok or type(intervals) ~= 'table' or #intervals == 0 then
        return 0
    end
    local index = math.max(#intervals - retriesLeft, 0) + 1
    return tonumber(intervals[math.min(index, #intervals)]) or 0
end

local done, left = 0, 0
local tally = {}
local function count(what)
    tally[what] = (tally[what] or 0) + 1
    done = done + 1
end

local function expireJob(jobKey, id, ttl)
    redis.call('EXPIRE', jobKey, ttl)
    redis.call('EXPIRE', jobKey .. ':dependents', ttl)
    redis.call('EXPIRE', jobPrefix .. ':' .. id .. ':dependencies', ttl)
end

local function retry(jobKey, id, f, retriesLeft)
    local interval = retryInterval(f[5], retriesLeft)
    redis.call('HSET', jobKey, 'retries_left', retriesLeft - 1)
    redis.call('SADD', queuesKey, queueKey)
    if interval > 0 then
        redis.call('HSET', jobKey, 'status', 'scheduled')
        redis.call('ZADD', scheduledKey, nowSecs + interval, id)
        count('scheduled for retry (retries left)')
        return
    end
    redis.call('HSET', jobKey, 'status', 'queued', 'origin', queueName, 'enqueued_at', enqueuedAt)
    if not f[8] or f[8] == '' then
        redis.call('HSET', jobKey, 'timeout', DEFAULT_TIMEOUT)
    end
    local ttl = tonumber(f[7])
    if ttl and ttl > 0 then
        expireJob(jobKey, id, ttl)
    end
    redis.call('RPUSH', queueKey, id)
    count('requeued (retries left)')
end

-- The registry writes are batched (the ids were checked in this very script): flat
-- {score, id, ...} for rq:failed:<q>, and the ids leaving rq:wip:<q>.
local failedEntries, leaving = {}, {}
local excInfos = {} -- why -> zlib'd exc_info: the same few texts for a whole batch

local function fail(jobKey, id, f, why)
    local excInfo = excInfos[why]
    if not excInfo then
        excInfo = zlibStored('Moved to FailedJobRegistry at ' .. enqueuedAt .. ' by QueueScope: '
            .. why)
        excInfos[why] = excInfo
    end
    redis.call('HSET', jobKey, 'status', 'failed', 'exc_info', excInfo)
    local ttl = tonumber(f[6]) or DEFAULT_FAILURE_TTL
    local score = '+inf'
    if ttl >= 0 then
        score = nowSecs + ttl
    end
    if ttl > 0 then
        expireJob(jobKey, id, ttl)
    end
    failedEntries[#failedEntries + 1] = score
    failedEntries[#failedEntries + 1] = id
    count('moved to failed')
end

local workerGone = {} -- worker name -> true/false, read once per call
local function isGone(workerName)
    local gone = workerGone[workerName]
    if gone == nil then
        local workerKey = workerPrefix .. workerName
        gone = redis.call('EXISTS', workerKey) == 0 or redis.call('HEXISTS', workerKey, 'death') == 1
        workerGone[workerName] = gone
    end
    return gone
end

-- Returns true when the entry stays in started (the all-mode cursor steps over it).
local function recover(id, score)
    if not score then
        skip(id, 'not in started')
        return false
    end
    local jobKey = jobPrefix .. id
    local f = redis.call('HMGET', jobKey, 'status', 'origin', 'worker_name', 'retries_left',
        'retry_intervals', 'failure_ttl', 'ttl', 'timeout')
    local status, origin, workerName = f[1], f[2], f[3]
    if origin and origin ~= queueName then
        skip(id, 'job belongs to queue ' .. origin)
        return true
    end
    local why = 'no worker recorded and its heartbeat expired'
    if workerName and workerName ~= '' then
        if not isGone(workerName) then
            skip(id, 'its worker is alive')
            return true
        end
        why = 'worker ' .. string.sub(workerName, 1, 1000) .. ' is gone'
    end
    if not expired(score) then
        skip(id, 'its heartbeat has not expired yet')
        return true
    end
    if not status and redis.call('EXISTS', jobKey) == 0 then
        redis.call('ZREM', wipKey, id)
        skip(id, 'job hash is gone (expired); removed from started')
        return false
    end
    if status ~= 'started' then
        skip(id, 'status is ' .. tostring(status or 'missing') .. ', not started')
        return true
    end
    local retriesLeft = tonumber(f[4])
    if retriesLeft and retriesLeft > 0 then
        retry(jobKey, id, f, retriesLeft)
    else
        fail(jobKey, id, f, why)
    end
    leaving[#leaving + 1] = id
    return false
end

local more, nextCursor = 0, '0'
if mode == 'all' then
    local entries = redis.call('ZRANGEBYSCORE', wipKey, '-inf', string.format('%.3f', nowMs / 1000),
        'WITHSCORES', 'LIMIT', cursor, limit)
    for i = 1, #entries, 2 do
        if recover(entries[i], entries[i + 1]) then
            left = left + 1
        end
    end
    if #entries / 2 >= limit then
        more = 1
        nextCursor = tostring(cursor + left)
    end
else
    for i = 8, #ARGV do
        recover(ARGV[i], redis.call('ZSCORE', wipKey, ARGV[i]))
    end
end

-- Chunks far below Lua's unpack limit.
for i = 1, #leaving, 1000 do
    redis.call('ZREM', wipKey, unpack(leaving, i, math.min(i + 999, #leaving)))
end
for i = 1, #failedEntries, 2000 do
    redis.call('ZADD', failedKey, unpack(failedEntries, i, math.min(i + 1999, #failedEntries)))
end

local counts = {}
for _, what in ipairs({'moved to failed', 'requeued (retries left)',
    'scheduled for retry (retries left)'}) do
    if tally[what] then
        counts[#counts + 1] = what
        counts[#counts + 1] = tally[what]
    end
end
return {done, skipped, more, details, nextCursor, counts}
