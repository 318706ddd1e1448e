--! keys: rq:queue:{q} rq:wip:{q} rq:finished:{q} rq:failed:{q} rq:deferred:{q} rq:scheduled:{q} rq:canceled:{q}
--! argv: rq:job: rq:results: {q} now
--! items: id
--! returns: standard
--
-- RQ 1.13: delete jobs, as job.delete() does: remove the id from the queue list and from every
-- registry of the queue (RQ removes it from the one registry its status names; all of them is
-- the same for a consistent job and also cleans stale entries), then DEL rq:job:<id>,
-- rq:job:<id>:dependents and rq:job::<id>:dependencies (double colon: RQ 1.13 formats it from
-- the prefix "rq:job:" + ":"). The ids of dependents are not deleted (job.delete's default
-- delete_dependents=False); the id stays in its parents' :dependents sets, which RQ tolerates.
--
-- Differences from RQ:
--   * a job a live worker is running is refused ("running on a live worker"): it is in
--     rq:wip:<q> with a score (heartbeat expiry, epoch s; +inf for jobs without timeout) after
--     `now`. RQ deletes it, and the worker re-creates a partial hash when the job ends. Once
--     the worker is dead its score passes (<= ~90 s) and the job can be deleted.
--   * a job whose origin is another queue is refused: its keys are not this queue's.
--   * also deletes rq:results:<id>: RQ 1.13 leaves the stream, and failed runs' streams never
--     expire.
--   * LREM count 0 (every copy of the id; RQ removes one): a second copy would be a dangling id.
-- Ids that are nowhere (no hash, in no list) are reported "no such job".
-- Redis 5 compatible; no TIME; per-job keys derived from ARGV[1]/ARGV[2].

local queueKey, wipKey = KEYS[1], KEYS[2]
local jobPrefix, resultsPrefix, queueName = ARGV[1], ARGV[2], ARGV[3]
local nowSecs = tonumber(ARGV[4]) / 1000

--! include: outcome
--! include: rq-job-keys

local done = 0

for i = 5, #ARGV do
    local id = ARGV[i]
    local jobKey = jobPrefix .. id
    local fields = redis.call('HMGET', jobKey, 'status', 'origin')
    local origin = fields[2]
    local wipScore = redis.call('ZSCORE', wipKey, id)
    if origin and origin ~= queueName then
        skip(id, 'job belongs to queue ' .. origin)
    elseif wipScore and (wipScore == 'inf' or wipScore == '+inf' or tonumber(wipScore) > nowSecs) then
        skip(id, 'running on a live worker')
    else
        local removed = redis.call('LREM', queueKey, 0, id)
        for k = 2, #KEYS do
            removed = removed + redis.call('ZREM', KEYS[k], id)
        end
        local deleted = redis.call('DEL', rqJobKeys(jobPrefix, resultsPrefix, id))
        if removed + deleted > 0 then
            done = done + 1
        else
            skip(id, 'no such job')
        end
    end
end
return {done, skipped, 0, details}
