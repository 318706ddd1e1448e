--! keys: {p}:{q}:meta {p}:{q}:wait {p}:{q}:paused {p}:{q}:marker {p}:{q}:events
--! argv: limit
--! items:
--! returns: standard
--[[
  BullMQ 5 and 6: pause the queue globally.

  Mirrors queue.pause() (pause script): HSET meta paused 1, DEL marker (idle workers then find
  nothing; moveToActive returns nothing while meta.paused is set), XADD paused. For a queue that
  may be driven by BullMQ < 6 (meta.version missing or major < 6) the waiting ids also move to
  the legacy `paused` list, as BullMQ 5's pause does (v5 producers and v5 resume() expect them
  there): RENAME wait paused when `paused` is absent.

  Differs from BullMQ, and why:
  - When `paused` already holds ids, v5's RENAME would overwrite them; this script merges
    instead, keeping both lists' order (result [wait..., paused...], the paused ids run first),
    moving at most <limit> ids per call (the smaller list moves) and returning more=1 until done.
    The first call already sets meta.paused, so the queue is paused from the first call on; a
    cancelled loop leaves a paused queue whose ids are split over wait and paused, which any
    resume (this project's, v5's or v6's) handles.
  - XADD paused only when meta.paused was not set yet, so repeated calls emit one event.
  done = ids moved between the lists in this call.
]]
local rcall = redis.call

local metaKey, waitKey, pausedKey, markerKey, eventsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local limit = tonumber(ARGV[1])
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

local meta = rcall("HMGET", metaKey, "paused", "version", "opts.maxLenEvents")
local wasPaused = meta[1] ~= false
local major = tonumber(string.match(meta[2] or "", "^bullmq:(%d+)%.") or "")
local legacy = major == nil or major < 6

rcall("HSET", metaKey, "paused", 1)
rcall("DEL", markerKey)
if not wasPaused then
  rcall("XADD", eventsKey, "MAXLEN", "~", tonumber(meta[3]) or 10000, "*", "event", "paused")
end

local moved, finished = 0, true
if legacy then moved, finished = mergeWaitingLists(pausedKey, limit, false) end

return {moved, 0, finished and 0 or 1, {}}
