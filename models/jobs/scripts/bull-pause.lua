--! keys: {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta-paused {p}:{q}:meta
--! argv: {p}:{q}: limit
--! items:
--! returns: standard
--[[
  Bull 4: pause the queue globally.

  Mirrors queue.pause() (pause script): RENAME wait paused (Bull workers block on BRPOPLPUSH
  wait, so ids in `paused` are out of their reach), SET meta-paused 1 (producers and retries then
  write into `paused`), HSET meta paused 1 (Bull's forward compatibility with BullMQ; isPaused()
  reads both), PUBLISH <q>:paused "paused".

  Differs from Bull, and why:
  - Never RENAMEs onto a non-empty `paused` (Bull's pause would drop those ids): the lists are
    merged into [wait..., paused...] (the paused ids run first, each list keeps its order), at most
    <limit> ids moved per call (the smaller list moves), more=1 until done. meta-paused is set by
    the first call, so new jobs go to `paused` from then on.
  - PUBLISH only when meta-paused did not exist yet, so repeated calls announce one pause.
  done = ids moved between the lists in this call.
]]
local rcall = redis.call

local waitKey, pausedKey, metaPausedKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, limit = ARGV[1], tonumber(ARGV[2])
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end

local function reversed(ids)
  local out = {}
  for i = #ids, 1, -1 do out[#out + 1] = ids[i] end
  return out
end

local function pushAll(command, key, ids)
  for i = 1, #ids, 5000 do
    rcall(command, key, unpack(ids, i, math.min(i + 4999, #ids)))
  end
end

-- Moves at most limit ids so that destKey ends up holding [wait..., paused...] (each list keeps
-- its order; RPOPLPUSH takes from the right, so the paused ids run first). Never RENAMEs onto a
-- non-empty list. The smaller list moves unless srcOnly. Returns the number of ids moved and
-- whether the merge is complete.
local function mergeWaitingLists(destKey, limit, srcOnly)
  local waitLen, pausedLen = rcall("LLEN", waitKey), rcall("LLEN", pausedKey)
  local srcKey, srcLen, destLen = pausedKey, pausedLen, waitLen
  if destKey == pausedKey then srcKey, srcLen, destLen = waitKey, waitLen, pausedLen end
  if srcLen == 0 then return 0, true end
  if destLen == 0 then
    rcall("RENAME", srcKey, destKey)
    return srcLen, true
  end
  local moved
  local fromWait = waitLen <= pausedLen
  if srcOnly then fromWait = srcKey == waitKey end
  if fromWait then
    -- the oldest (rightmost) ids of wait go to the head of paused, keeping their order
    local ids = rcall("LRANGE", waitKey, -math.min(limit, waitLen), -1)
    pushAll("LPUSH", pausedKey, reversed(ids))
    rcall("LTRIM", waitKey, 0, -#ids - 1)
    moved = #ids
  else
    -- the newest (leftmost) ids of paused go to the tail of wait, keeping their order
    local ids = rcall("LRANGE", pausedKey, 0, math.min(limit, pausedLen) - 1)
    pushAll("RPUSH", waitKey, ids)
    rcall("LTRIM", pausedKey, #ids, -1)
    moved = #ids
  end
  if rcall("EXISTS", waitKey) == 0 or rcall("EXISTS", pausedKey) == 0 then
    if rcall("EXISTS", srcKey) == 1 then rcall("RENAME", srcKey, destKey) end
    return moved, true
  end
  return moved, false
end

local wasPaused = rcall("EXISTS", metaPausedKey) == 1
rcall("SET", metaPausedKey, 1)
rcall("HSET", metaKey, "paused", 1)
local moved, finished = mergeWaitingLists(pausedKey, limit, false)
if not wasPaused then rcall("PUBLISH", prefix .. "paused", "paused") end
return {moved, 0, finished and 0 or 1, {}}
