--! keys: {p}:{q}:completed {p}:{q}:failed {p}:{q}:wait {p}:{q}:paused {p}:{q}:delayed {p}:{q}:priority {p}:{q}:limiter {p}:{q}:repeat
--! argv: {p}:{q}: state limit cutoff cursor
--! items:
--! returns: cursor
--[[
  Bull 4: delete the jobs of one state that are older than cutoff.

  Mirrors queue.clean(grace, state, limit) (cleanJobsInSet): locked jobs are skipped; completed/
  failed take ZRANGEBYSCORE <set> -inf <cutoff> (score = finishedOn), wait/paused/delayed compare
  the first of finishedOn|processedOn|timestamp (a job without one counts as old); per job: out
  of the state, ZREM priority, debounce key (not for completed/failed, as Bull), DEL hash + :logs,
  rate-limiter index entry. Bull writes no event for a clean.

  Differs from Bull, and why:
  - Bounded: at most <limit> jobs are EXAMINED per call. Lists are walked from the head and
    delayed from the highest score, i.e. from the end opposite to where workers take jobs, so
    jobs consumed between calls never shift the walk past unexamined ids; the cursor "at:<n>" is
    the number of kept jobs before the next unexamined one, "0" = finished. (Bull walks from
    the tail in one call, without bound when no limit is given.)
  - "Older than" means at or before cutoff, compared as numbers (Bull: strictly before, strings).
  - Keeps the pending job of a repeatable (its schedule would silently stop).
  - The debounce key is deleted only while it still points at this job.
]]
local rcall = redis.call

local STATES = {
  completed = {kind = "finished", key = KEYS[1]},
  failed = {kind = "finished", key = KEYS[2]},
  wait = {kind = "list", key = KEYS[3]},
  paused = {kind = "list", key = KEYS[4]},
  delayed = {kind = "zset", key = KEYS[5]},
}
local priorityKey, limiterKey, repeatKey = KEYS[6], KEYS[7], KEYS[8]
local prefix, stateName, limit, cutoff, cursor = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local DELETED = "\0queuescope:deleted\0" -- list placeholder while removing by index, as Bull's ""

local state = STATES[stateName]
if not state then
  return redis.error_reply("ERR state must be completed, failed, wait, paused or delayed")
end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
local cutoffMs = tonumber(cutoff)
if not cutoffMs then return redis.error_reply("ERR cutoff must be a number (ms)") end
local offset = 0
if cursor and cursor ~= "" and cursor ~= "0" then
  offset = tonumber(string.match(cursor, "^at:(%d+)$"))
  if not offset then return redis.error_reply("ERR bad cursor") end
end

local skipped, details = 0, {}
local function skip(id, reason)
  skipped = skipped + 1
  if #details < 200 then
    details[#details + 1] = id
    details[#details + 1] = reason
  end
end

local function isOld(jobKey)
  for _, value in ipairs(rcall("HMGET", jobKey, "finishedOn", "processedOn", "timestamp")) do
    if value then return (tonumber(value) or 0) <= cutoffMs end
  end
  return true
end

-- The pending job of a repeatable: Bull re-creates the next one only when this one runs.
local function isRepeatNextRun(id, jobKey)
  if string.sub(id, 1, 7) ~= "repeat:" then return false end
  local rawOpts = rcall("HGET", jobKey, "opts")
  if not rawOpts then return false end
  local ok, opts = pcall(cjson.decode, rawOpts)
  if not ok or type(opts) ~= "table" or type(opts["repeat"]) ~= "table" then return false end
  local repeatJobKey = opts["repeat"].key
  if type(repeatJobKey) ~= "string" then return false end
  local millis = rcall("ZSCORE", repeatKey, repeatJobKey)
  return millis ~= false and tonumber(string.match(id, ":(%d+)$")) == tonumber(millis)
end

local function removeDebounceKey(id, jobKey)
  local debounceId = rcall("HGET", jobKey, "deid")
  if debounceId then
    local key = prefix .. "de:" .. debounceId
    if rcall("GET", key) == id then rcall("DEL", key) end
  end
end

local function deleteJob(id)
  local jobKey = prefix .. id
  rcall("ZREM", priorityKey, id)
  if state.kind ~= "finished" then removeDebounceKey(id, jobKey) end
  rcall("DEL", jobKey, jobKey .. ":logs")
  local indexKey = limiterKey .. ":index"
  local limitedSetKey = rcall("HGET", indexKey, id)
  if limitedSetKey then
    rcall("SREM", limitedSetKey, id)
    rcall("HDEL", indexKey, id)
  end
end

local ids
if state.kind == "finished" then
  ids = rcall("ZRANGEBYSCORE", state.key, "-inf", cutoff, "LIMIT", offset, limit)
elseif state.kind == "list" then
  ids = rcall("LRANGE", state.key, offset, offset + limit - 1)
else
  ids = rcall("ZREVRANGE", state.key, offset, offset + limit - 1)
end

local victims, victimIndexes, kept = {}, {}, 0
for i, id in ipairs(ids) do
  local jobKey = prefix .. id
  -- young jobs cost one HMGET; only old ones are checked further
  if state.kind ~= "finished" and not isOld(jobKey) then
    kept = kept + 1
  elseif rcall("EXISTS", jobKey .. ":lock") == 1 then
    skip(id, "locked by a worker")
    kept = kept + 1
  elseif state.kind ~= "finished" and isRepeatNextRun(id, jobKey) then
    skip(id, "job is the next run of a repeatable job")
    kept = kept + 1
  else
    victims[#victims + 1] = id
    victimIndexes[#victimIndexes + 1] = i
  end
end

-- First take the ids out of the state (ownership), then delete their data.
if #victims > 0 then
  if state.kind == "list" then
    local len = rcall("LLEN", state.key)
    for _, i in ipairs(victimIndexes) do
      local index = offset + i - 1
      if index > len / 2 then index = index - len end -- LSET seeks from the nearer end
      rcall("LSET", state.key, index, DELETED)
    end
    rcall("LREM", state.key, #victims, DELETED)
  else
    for i = 1, #victims, 5000 do
      rcall("ZREM", state.key, unpack(victims, i, math.min(i + 4999, #victims)))
    end
  end
  for _, id in ipairs(victims) do deleteJob(id) end
end

-- more only when ids are left beyond the kept ones (no empty trailing call)
local remaining
if state.kind == "finished" then
  remaining = rcall("ZCOUNT", state.key, "-inf", cutoff)
elseif state.kind == "list" then
  remaining = rcall("LLEN", state.key)
else
  remaining = rcall("ZCARD", state.key)
end
local more, nextCursor = 0, "0"
if #ids == limit and remaining > offset + kept then
  more = 1
  nextCursor = "at:" .. (offset + kept)
end
return {#victims, skipped, more, details, nextCursor}
