--! keys: {p}:{q}:meta {p}:{q}:wait {p}:{q}:paused {p}:{q}:prioritized {p}:{q}:delayed {p}:{q}:marker {p}:{q}:events
--! argv: limit
--! items:
--! returns: standard
--[[
  BullMQ 5 and 6: resume a paused queue.

  Mirrors BullMQ 6's queue.resume() (pause script, "resumed"): HDEL meta paused, merge a legacy
  `paused` list into wait (RENAME only when wait is absent, else in chunks), then ZADD marker 0 "0"
  when wait or prioritized holds jobs, else ZADD marker <first delayed score / 4096> "1", and
  XADD resumed.

  Differs from BullMQ, and why:
  - Never RENAMEs paused over a non-empty wait (BullMQ 5's resume does and loses those ids).
  - Multi-call safety: while ids remain to be merged, meta.paused STAYS set and the call returns
    more=1; only the call that completes the merge HDELs meta.paused, writes the marker and the
    event. So between calls the queue is still paused for every client: workers (v5 and v6) take
    nothing, v5 producers keep writing into `paused` (merged by a later call), and a cancelled
    loop leaves a consistently paused queue that a later resume finishes. Each call moves at most
    <limit> ids; the smaller list moves, so the usual case (wait empty) is one RENAME. (On a queue
    that is not paused but has a leftover legacy list, the legacy ids move into wait instead, so
    running workers are never starved.)
  - The merged list is [wait..., paused...]: the paused ids (older) run first, each list keeps
    its order (BullMQ 6 gives the same order).
  - XADD resumed only when the queue was paused (BullMQ emits it on every call).
  done = ids moved between the lists in this call.
]]
local rcall = redis.call

local metaKey, waitKey, pausedKey, prioritizedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local delayedKey, markerKey, eventsKey = KEYS[5], KEYS[6], KEYS[7]
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

local meta = rcall("HMGET", metaKey, "paused", "opts.maxLenEvents")
local wasPaused = meta[1] ~= false

-- A running queue keeps its wait list: only the legacy list moves (into wait).
local moved, finished = mergeWaitingLists(waitKey, limit, not wasPaused)
if not finished then return {moved, 0, 1, {}} end

rcall("HDEL", metaKey, "paused")
if rcall("LLEN", waitKey) + rcall("ZCARD", prioritizedKey) > 0 then
  rcall("ZADD", markerKey, 0, "0")
else
  local first = rcall("ZRANGE", delayedKey, 0, 0, "WITHSCORES")
  if first[2] then rcall("ZADD", markerKey, tonumber(first[2]) / 0x1000, "1") end
end
if wasPaused then
  rcall("XADD", eventsKey, "MAXLEN", "~", tonumber(meta[2]) or 10000, "*", "event", "resumed")
end
return {moved, 0, 0, {}}
