--! keys: {p}:{q}:failed {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta-paused {p}:{q}:priority
--! argv: {p}:{q}: mode limit cutoff reset now cursor
--! items: id
--! returns: cursor
--[[
  Bull 4: move failed jobs back to waiting.

  Mirrors Job.retry() (reprocessJob): refuses a locked job (<id>:lock exists), `ZREM failed id`
  must return 1, HDEL finishedOn processedOn failedReason, HSET retriedOn <now>, target = `paused`
  while meta-paused exists else `wait`, LPUSH (RPUSH with opts.lifo), PUBLISH
  <q>:waiting@<token> id. attemptsMade stays unless reset=1 (then HDEL attemptsMade), so an
  exhausted job gets exactly one more attempt. No marker: Bull workers block on BRPOPLPUSH wait.

  Differs from Bull, and why:
  - The ownership check comes first: Bull HDELs the fields before it checks ZREM failed.
  - A job with priority > 0 is re-inserted Bull-style (ZADD priority + LINSERT before the first job
    of lower priority counted from the tail, as Bull's addJob), instead of being pushed at the
    head where it would wait behind every plain job.
  - mode all takes ZRANGEBYSCORE failed -inf <cutoff> LIMIT <cursor> <limit>, checks locks, keeps
    priority and lifo and sets retriedOn (queue.retryJobs() takes ZRANGE 0 999 and does none of
    that); like queue.retryJobs() it publishes nothing (mode ids publishes, as job.retry()).
  - A failed id whose job hash is gone is removed from failed and reported as skipped.
  - Locked failed jobs (a worker still holds them) stay in failed; the returned cursor counts
    them, so the next call starts past them: each is reported once and cannot stop the jobs
    behind it from being retried.
  The token in the channel name is "queuescope" (Bull uses its Queue object's uuid; listeners
  PSUBSCRIBE <q>:waiting*).
]]
local rcall = redis.call

local failedKey, waitKey, pausedKey, metaPausedKey, priorityKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, mode, limit, cutoff, reset, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5] == "1", ARGV[6]
-- mode all: "at:<n>" = n locked jobs already stepped over ("0" on the first call)
local offset = tonumber(string.match(ARGV[7] or "", "^at:(%d+)$") or "0")
local FIRST_ITEM = 8
local TOKEN = "queuescope"

if mode ~= "ids" and mode ~= "all" then return redis.error_reply("ERR mode must be ids or all") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
if not tonumber(cutoff) then return redis.error_reply("ERR cutoff must be a number (ms)") end
if not tonumber(now) then return redis.error_reply("ERR now must be a number (ms)") end

--! include: outcome
--! include: argv-ids
--! include: lifo
--! include: bull-waiting
--! include: chunked

local ids
if mode == "all" then
  ids = rcall("ZRANGEBYSCORE", failedKey, "-inf", cutoff, "LIMIT", offset, limit)
else
  ids = idsFromArgv(FIRST_ITEM, limit)
end

local target = waitingList(waitKey, pausedKey, metaPausedKey)
local channel = waitKey .. "ing@" .. TOKEN
local publish = mode == "ids" -- as job.retry(); queue.retryJobs() publishes nothing
local done, taken = 0, 0
-- plain ids LPUSHed in batches, priority ones inserted Bull-style, in Bull's order
local push, flush = waitingPusher(target, priorityKey)

-- Per job after the ownership check: HDEL, HSET retriedOn, HMGET (a Bull job hash always has
-- priority and opts, so a missing hash shows there), the push and PUBLISH.
local function retry(id)
  local jobKey = prefix .. id
  if reset then
    rcall("HDEL", jobKey, "finishedOn", "processedOn", "failedReason", "attemptsMade")
  else
    rcall("HDEL", jobKey, "finishedOn", "processedOn", "failedReason")
  end
  local job = rcall("HMGET", jobKey, "priority", "opts")
  if not job[1] and not job[2] and rcall("EXISTS", jobKey) == 0 then
    skip(id, "job data missing (dangling id removed from failed)")
    return
  end
  rcall("HSET", jobKey, "retriedOn", now)
  local priority = tonumber(job[1]) or 0
  if priority <= 0 and isLifo(job[2]) then
    rcall("RPUSH", target, id) -- lifo: the tail, where workers take the next job
  else
    push(id, priority)
  end
  if publish then rcall("PUBLISH", channel, id) end
  done = done + 1
end

if mode == "all" then
  -- the ids were just read from failed inside this script: the unlocked ones go in one ZREM
  local owned = {}
  for _, id in ipairs(ids) do
    if rcall("EXISTS", prefix .. id .. ":lock") == 1 then skip(id, "locked by a worker") else owned[#owned + 1] = id end
  end
  callInChunks("ZREM", failedKey, owned)
  taken = #owned
  for _, id in ipairs(owned) do retry(id) end
else
  for _, id in ipairs(ids) do
    if rcall("EXISTS", prefix .. id .. ":lock") == 1 then
      skip(id, "locked by a worker")
    elseif rcall("ZREM", failedKey, id) == 0 then
      skip(id, "not in failed")
    else
      taken = taken + 1
      retry(id)
    end
  end
end
flush()

-- Locked jobs stay in failed, at the ranks in front of what is left: the next call skips them.
local more, cursor = 0, "0"
local stepped = offset + #ids - taken
if mode == "all" and #ids == limit and rcall("ZCOUNT", failedKey, "-inf", cutoff) > stepped then
  more = 1
  cursor = "at:" .. stepped
end
return {done, skipped, more, details, cursor}
