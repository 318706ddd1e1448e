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

--! include: list-merge

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
if legacy then moved, finished = mergeWaitingLists(waitKey, pausedKey, pausedKey, limit, false) end

return {moved, 0, finished and 0 or 1, {}}
