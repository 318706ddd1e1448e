--! keys: {p}:{q}:failed {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta-paused {p}:{q}:priority
--! argv: {p}:{q}: mode limit cutoff reset now
--! items: id
--! returns: standard
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
  - mode all takes ZRANGEBYSCORE failed -inf <cutoff> LIMIT 0 <limit> and publishes per job
    (queue.retryJobs() takes ZRANGE 0 999, ignores priority/lifo and publishes nothing).
  - A failed id whose job hash is gone is removed from failed and reported as skipped.
  The token in the channel name is "queuescope" (Bull uses its Queue object's uuid; listeners
  PSUBSCRIBE <q>:waiting*).
]]
local rcall = redis.call

local failedKey, waitKey, pausedKey, metaPausedKey, priorityKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, mode, limit, cutoff, reset, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5] == "1", ARGV[6]
local FIRST_ITEM = 7
local TOKEN = "queuescope"

if mode ~= "ids" and mode ~= "all" then return redis.error_reply("ERR mode must be ids or all") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
if not tonumber(cutoff) then return redis.error_reply("ERR cutoff must be a number (ms)") end
if not tonumber(now) then return redis.error_reply("ERR now must be a number (ms)") end

local skipped, details = 0, {}
local function skip(id, reason)
  skipped = skipped + 1
  if #details < 200 then
    details[#details + 1] = id
    details[#details + 1] = reason
  end
end

local function isLifo(rawOpts)
  if not rawOpts or not string.find(rawOpts, '"lifo"', 1, true) then return false end
  local ok, opts = pcall(cjson.decode, rawOpts)
  return ok and type(opts) == "table" and opts.lifo == true
end

-- Bull's addJobWithPriority: before the first job of lower priority, counted from the tail.
local function addJobWithPriority(priority, jobId, targetKey)
  rcall("ZADD", priorityKey, priority, jobId)
  local count = rcall("ZCOUNT", priorityKey, 0, priority)
  local len = rcall("LLEN", targetKey)
  local id = rcall("LINDEX", targetKey, len - (count - 1))
  if id then
    rcall("LINSERT", targetKey, "BEFORE", id, jobId)
  else
    rcall("RPUSH", targetKey, jobId)
  end
end

local ids
if mode == "all" then
  ids = rcall("ZRANGEBYSCORE", failedKey, "-inf", cutoff, "LIMIT", 0, limit)
else
  ids = {}
  for i = FIRST_ITEM, #ARGV do
    if #ids < limit then ids[#ids + 1] = ARGV[i] else skip(ARGV[i], "over the batch limit") end
  end
end

local target = waitKey
if rcall("EXISTS", metaPausedKey) == 1 then target = pausedKey end
local channel = waitKey .. "ing@" .. TOKEN
local done, taken = 0, 0

for _, id in ipairs(ids) do
  local jobKey = prefix .. id
  if rcall("EXISTS", jobKey .. ":lock") == 1 then
    skip(id, "locked by a worker")
  elseif rcall("ZREM", failedKey, id) == 0 then
    skip(id, "not in failed")
  elseif rcall("EXISTS", jobKey) == 0 then
    taken = taken + 1
    skip(id, "job data missing (dangling id removed from failed)")
  else
    taken = taken + 1
    if reset then
      rcall("HDEL", jobKey, "finishedOn", "processedOn", "failedReason", "attemptsMade")
    else
      rcall("HDEL", jobKey, "finishedOn", "processedOn", "failedReason")
    end
    rcall("HSET", jobKey, "retriedOn", now)
    local job = rcall("HMGET", jobKey, "priority", "opts")
    local priority = tonumber(job[1]) or 0
    if priority > 0 then
      addJobWithPriority(priority, id, target)
    elseif isLifo(job[2]) then
      rcall("RPUSH", target, id)
    else
      rcall("LPUSH", target, id)
    end
    rcall("PUBLISH", channel, id)
    done = done + 1
  end
end

-- Locked jobs stay in failed; a call that could take none ends the loop instead of spinning.
local more = 0
if mode == "all" and #ids == limit and taken > 0 and rcall("ZCOUNT", failedKey, "-inf", cutoff) > 0 then
  more = 1
end
return {done, skipped, more, details}
