--! keys: {p}:{q}:delayed {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta {p}:{q}:active {p}:{q}:prioritized {p}:{q}:pc {p}:{q}:marker {p}:{q}:events
--! argv: {p}:{q}: mode limit
--! items: id
--! returns: standard
--[[
  BullMQ 5 and 6: move delayed jobs to waiting now.

  Mirrors Job.promote() (promote script) per job: `ZREM delayed id` must return 1 (the ownership
  check), drop a pre-v5 "0:" marker at the head of the target list, priority > 0 -> ZADD
  prioritized priority*2^32 + (INCR pc mod 2^32), else LPUSH (promote ignores lifo, as BullMQ),
  XADD waiting prev=delayed, HSET delay 0, and one ZADD marker 0 "0" unless paused or at global
  concurrency. mode all takes the first <limit> jobs of `delayed` (earliest run time first).

  Differs from BullMQ, and why:
  - mode all keeps priorities (queue.promoteJobs() pushes everything onto wait and leaves the
    `delay` field as it was).
  - While paused and possibly driven by BullMQ < 6 (meta.version missing or major < 6, or a
    legacy paused list exists) plain ids go to the legacy `paused` list, as v5's own promote does
    (BullMQ 6's promote always writes wait; its resume() merges the legacy list, so this is safe).
  - A delayed id whose job hash is gone is removed from delayed and reported as skipped.
]]
local rcall = redis.call

local delayedKey, waitKey, pausedKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local activeKey, prioritizedKey, pcKey, markerKey, eventsKey = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix, mode, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local FIRST_ITEM = 4

if mode ~= "ids" and mode ~= "all" then return redis.error_reply("ERR mode must be ids or all") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end

--! include: outcome
--! include: argv-ids
--! include: bullmq-waiting-target
--! include: chunked

local ids
if mode == "all" then
  ids = rcall("ZRANGE", delayedKey, 0, limit - 1)
else
  ids = idsFromArgv(FIRST_ITEM, limit)
end

local pausedOrMaxed, target, maxEvents = waitingTarget(metaKey, activeKey, waitKey, pausedKey)
local toHead = {}
local done = 0

for _, id in ipairs(ids) do
  if rcall("ZREM", delayedKey, id) == 0 then
    skip(id, "not in delayed")
  else
    local jobKey = prefix .. id
    if rcall("EXISTS", jobKey) == 0 then
      skip(id, "job data missing (dangling id removed from delayed)")
    else
      local priority = tonumber(rcall("HGET", jobKey, "priority")) or 0
      if priority > 0 then
        local counter = rcall("INCR", pcKey)
        rcall("ZADD", prioritizedKey, priority * 0x100000000 + counter % 0x100000000, id)
      else
        toHead[#toHead + 1] = id
      end
      rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "waiting", "jobId", id,
        "prev", "delayed")
      rcall("HSET", jobKey, "delay", 0)
      done = done + 1
    end
  end
end

if #toHead > 0 then
  -- Markers in the wait list are pre-v5 BullMQ; its promote still drops one at the head.
  local head = rcall("LINDEX", target, 0)
  if head and string.sub(head, 1, 2) == "0:" then rcall("LPOP", target) end
  callInChunks("LPUSH", target, toHead)
end
if done > 0 and not pausedOrMaxed then rcall("ZADD", markerKey, 0, "0") end

local more = 0
if mode == "all" and #ids == limit and rcall("ZCARD", delayedKey) > 0 then more = 1 end
return {done, skipped, more, details}
