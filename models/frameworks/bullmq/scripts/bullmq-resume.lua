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

--! include: list-merge

local meta = rcall("HMGET", metaKey, "paused", "opts.maxLenEvents")
local wasPaused = meta[1] ~= false

-- A running queue keeps its wait list: only the legacy list moves (into wait).
local moved, finished = mergeWaitingLists(waitKey, pausedKey, waitKey, limit, not wasPaused)
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
