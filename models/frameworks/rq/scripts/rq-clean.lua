--! keys: rq:finished:{q} rq:failed:{q} rq:canceled:{q}
--! argv: rq:job: rq:results: state limit now cutoff cursor
--! items:
--! returns: cursor
--
-- RQ 1.13: delete the jobs of one registry (state = finished | failed | canceled) that ended at
-- or before `cutoff` (ms; cutoff >= now = every job). RQ has no such operation (its registry
-- cleanup only drops entries whose expiry score has passed, leaving hashes to their TTL); this
-- is job.delete() applied to each: ZREM the registry, DEL rq:job:<id>, :dependents,
-- rq:job::<id>:dependencies, plus the rq:results:<id> stream (RQ 1.13's delete leaves it, and
-- failed runs' streams never expire). Queue list and other registries are not touched: the
-- status check below guarantees the job is in this state only.
--
-- Age: registry scores are expiry times (now + result_ttl / failure_ttl), not end times, so
-- the script reads each job: ended_at (ISO "...%fZ"; compared as text with `cutoff` formatted
-- the same way), falling back to last_heartbeat / started_at / enqueued_at / created_at; for
-- canceled (no ended_at: cancel() does not set it) the score, which is the cancel time in
-- whole seconds (rounded up here, so the script errs towards keeping a job).
-- A job whose status is not the registry's (finished; failed or stopped; canceled) is a stale
-- entry of a job living elsewhere: left alone and reported. An entry whose hash is gone is
-- removed (done): it is what RQ's cleanup would drop.
--
-- Cursor: the rank in the registry where the next call continues (entries left in place --
-- younger than cutoff or stale -- are stepped over). "0" = finished. If RQ removes expired
-- entries (lowest scores) concurrently, ranks shift and a pass may leave a few jobs that
-- qualified; they are never deleted wrongly, a second pass takes them.
-- Redis 5 compatible; no TIME; per-job keys derived from ARGV[1]/ARGV[2].

local jobPrefix, resultsPrefix, state = ARGV[1], ARGV[2], ARGV[3]
local limit = tonumber(ARGV[4])
local nowMs, cutoffMs = tonumber(ARGV[5]), tonumber(ARGV[6])
local cursor = tonumber(ARGV[7]) or 0

local key, statuses
if state == 'finished' then
    key, statuses = KEYS[1], {finished = true}
elseif state == 'failed' then
    key, statuses = KEYS[2], {failed = true, stopped = true}
elseif state == 'canceled' then
    key, statuses = KEYS[3], {canceled = true}
else
    return redis.error_reply('rq-clean: state must be finished, failed or canceled')
end

--! include: rq-timestamp

local everything = cutoffMs >= nowMs
-- Microseconds that RQ keeps beyond our ms are compared too: "…59.123999Z" > "…59.123000Z" is
-- right (it ended after the cutoff instant).
local cutoffText = rqTimestamp(cutoffMs)
local function normalise(text) -- RQ < 1.0 wrote "%Y-%m-%dT%H:%M:%SZ"
    if #text == 20 and string.sub(text, 20) == 'Z' then
        return string.sub(text, 1, 19) .. '.000000Z'
    end
    return text
end

--! include: outcome
--! include: rq-job-keys

local done, left = 0, 0

-- Deletions are collected and sent in chunks (the ids were read from the registry by this very
-- script, so nothing can take them in between).
local doomedIds, doomedKeys = {}, {}
local function delete(id)
    doomedIds[#doomedIds + 1] = id
    for _, doomed in ipairs({rqJobKeys(jobPrefix, resultsPrefix, id)}) do
        doomedKeys[#doomedKeys + 1] = doomed
    end
    done = done + 1
end

local entries = redis.call('ZRANGE', key, cursor, cursor + limit - 1, 'WITHSCORES')
for i = 1, #entries, 2 do
    local id, score = entries[i], entries[i + 1]
    local jobKey = jobPrefix .. id
    local f = redis.call('HMGET', jobKey, 'status', 'ended_at', 'last_heartbeat', 'started_at',
        'enqueued_at', 'created_at')
    local status = f[1]
    if not status and redis.call('EXISTS', jobKey) == 0 then
        delete(id)
    elseif not statuses[status or ''] then
        skip(id, 'status is ' .. tostring(status or 'missing') .. ', not ' .. state)
        left = left + 1
    else
        local old = everything
        if not old then
            local ended = f[2]
            if (not ended or ended == '') and state == 'canceled' then
                -- whole seconds (RQ's current_timestamp): the end of that second must be
                -- at or before cutoff, so a job canceled after cutoff is never taken
                old = (tonumber(score) + 1) * 1000 <= cutoffMs
            else
                for k = 2, 6 do
                    if f[k] and f[k] ~= '' then
                        ended = f[k]
                        break
                    end
                end
                -- no timestamp at all: treat as old (nothing says it is recent)
                old = (not ended or ended == '') or normalise(ended) <= cutoffText
            end
        end
        if old then
            delete(id)
        else
            left = left + 1
        end
    end
end

for i = 1, #doomedIds, 1000 do
    redis.call('ZREM', key, unpack(doomedIds, i, math.min(i + 999, #doomedIds)))
end
for i = 1, #doomedKeys, 1000 do
    redis.call('DEL', unpack(doomedKeys, i, math.min(i + 999, #doomedKeys)))
end

local more, nextCursor = 0, '0'
if #entries / 2 >= limit then
    more = 1
    nextCursor = tostring(cursor + left)
end
return {done, skipped, more, details, nextCursor}
