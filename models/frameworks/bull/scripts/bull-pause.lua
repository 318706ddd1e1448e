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

--! include: list-merge

local wasPaused = rcall("EXISTS", metaPausedKey) == 1
rcall("SET", metaPausedKey, 1)
rcall("HSET", metaKey, "paused", 1)
local moved, finished = mergeWaitingLists(waitKey, pausedKey, pausedKey, limit, false)
if not wasPaused then rcall("PUBLISH", prefix .. "paused", "paused") end
return {moved, 0, finished and 0 or 1, {}}
