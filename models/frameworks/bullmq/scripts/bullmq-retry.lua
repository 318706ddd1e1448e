--! keys: {p}:{q}:failed {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta {p}:{q}:active {p}:{q}:prioritized {p}:{q}:pc {p}:{q}:marker {p}:{q}:events
--! argv: {p}:{q}: mode limit cutoff reset
--! items: id
--! returns: standard
--[[
  BullMQ 5 and 6: move failed jobs back to waiting.

  Mirrors Job.retry() (BullMQ 6's reprocessJob) per job: `ZREM failed id` must return 1 (the
  ownership check), HDEL finishedOn processedOn failedReason (+ atm ats when reset=1), priority > 0
  -> ZADD prioritized priority*2^32 + (INCR pc mod 2^32), else LPUSH wait (RPUSH with opts.lifo),
  a flow child goes back from its parent's :unsuccessful/:failed into :dependencies, XADD waiting
  prev=failed, and one ZADD marker 0 "0" unless the queue is paused or at global concurrency.
  The attempt counters stay unless reset=1, so an exhausted job gets exactly one more attempt.

  Differs from BullMQ, and why:
  - mode all takes ZRANGEBYSCORE failed -inf <cutoff> LIMIT 0 <limit> and keeps priority and lifo
    (queue.retryJobs() pushes everything onto wait, ignoring both).
  - While the queue is paused and may be driven by BullMQ < 6 (meta.version missing or major < 6,
    or a legacy paused list exists) plain ids go to the legacy `paused` list, as BullMQ 5's own
    retry does: a v5 resume() RENAMEs paused over wait and would drop ids written to wait.
    BullMQ 6's resume() merges that list, so this is safe for v6 too.
  - BullMQ 5's retry ignores priority; this script applies it for v5 as well (v5 workers read
    `prioritized` the same way).
  - A failed id whose job hash is gone is removed from failed and reported as skipped.
  - BullMQ writes meta opts.maxLenEvents when it is missing; this script only reads it.
]]
local rcall = redis.call

local failedKey, waitKey, pausedKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local activeKey, prioritizedKey, pcKey, markerKey, eventsKey = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix, mode, limit, cutoff, reset = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5] == "1"
local FIRST_ITEM = 6

if mode ~= "ids" and mode ~= "all" then return redis.error_reply("ERR mode must be ids or all") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
if not tonumber(cutoff) then return redis.error_reply("ERR cutoff must be a number (ms)") end

--! include: outcome
--! include: argv-ids
--! include: bullmq-waiting-target
--! include: lifo
--! include: chunked

-- As BullMQ's moveChildBackToParentDependencies for a job that was failed.
local function moveChildBackToParent(jobKey, parentKey)
  if rcall("EXISTS", parentKey) == 1 then
    if rcall("ZREM", parentKey .. ":unsuccessful", jobKey) == 1 or
        rcall("HDEL", parentKey .. ":failed", jobKey) == 1 then
      rcall("SADD", parentKey .. ":dependencies", jobKey)
    end
  end
end

local ids
if mode == "all" then
  ids = rcall("ZRANGEBYSCORE", failedKey, "-inf", cutoff, "LIMIT", 0, limit)
else
  ids = idsFromArgv(FIRST_ITEM, limit)
end

local pausedOrMaxed, target, maxEvents = waitingTarget(metaKey, activeKey, waitKey, pausedKey)
local toHead, toTail = {}, {} -- LPUSH (FIFO) and RPUSH (lifo) onto target, in order
local done = 0

-- Per job: ownership, then HDEL, HMGET, XADD (the fewest calls that keep BullMQ's semantics;
-- a BullMQ job hash always has priority and opts, so a missing hash shows in the HMGET).
local function retry(id)
  local jobKey = prefix .. id
  if reset then
    rcall("HDEL", jobKey, "finishedOn", "processedOn", "failedReason", "atm", "ats")
  else
    rcall("HDEL", jobKey, "finishedOn", "processedOn", "failedReason")
  end
  local job = rcall("HMGET", jobKey, "priority", "opts", "parentKey")
  if not job[1] and not job[2] and rcall("EXISTS", jobKey) == 0 then
    skip(id, "job data missing (dangling id removed from failed)")
    return
  end
  local priority = tonumber(job[1]) or 0
  if priority > 0 then
    local counter = rcall("INCR", pcKey)
    rcall("ZADD", prioritizedKey, priority * 0x100000000 + counter % 0x100000000, id)
  elseif isLifo(job[2]) then
    toTail[#toTail + 1] = id
  else
    toHead[#toHead + 1] = id
  end
  if job[3] then moveChildBackToParent(jobKey, job[3]) end
  rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "waiting", "jobId", id,
    "prev", "failed")
  done = done + 1
end

if mode == "all" then
  -- the ids were just read from failed inside this script: one ZREM per chunk is the ownership
  callInChunks("ZREM", failedKey, ids)
  for _, id in ipairs(ids) do retry(id) end
else
  for _, id in ipairs(ids) do
    if rcall("ZREM", failedKey, id) == 0 then skip(id, "not in failed") else retry(id) end
  end
end

-- LPUSH, RPUSH and ZADD touch different ends/keys, so batching them keeps BullMQ's exact order.
callInChunks("LPUSH", target, toHead)
callInChunks("RPUSH", target, toTail)
if done > 0 and not pausedOrMaxed then rcall("ZADD", markerKey, 0, "0") end

local more = 0
if mode == "all" and #ids == limit and rcall("ZCOUNT", failedKey, "-inf", cutoff) > 0 then more = 1 end
return {done, skipped, more, details}
