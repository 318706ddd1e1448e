--! keys: {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta-paused {p}:{q}:meta
--! argv: {p}:{q}: limit
--! items:
--! returns: standard
--[[
  Bull 4: resume a paused queue.

  Mirrors queue.resume() (pause script, "resumed"): the ids of `paused` go back to wait, DEL
  meta-paused, HDEL meta paused, PUBLISH <q>:resumed "resumed". Bull workers are woken by the
  push/RENAME itself (BRPOPLPUSH on wait); there is no marker.

  Differs from Bull, and why:
  - Bull RENAMEs paused over wait, dropping every id that was pushed into wait meanwhile. This
    script RENAMEs only when wait is absent and otherwise merges into [wait..., paused...] (the
    paused ids run first, each list keeps its order), at most <limit> ids per call (the smaller
    list moves), more=1 until done.
  - Multi-call safety: meta-paused (and meta.paused) STAY until the call that completes the
    merge, so Bull producers and retries keep writing into `paused` and a later call merges them;
    isPaused() stays true until the resume is complete, and a cancelled loop leaves a paused
    queue that a later resume finishes. Note Bull workers do take ids as soon as they reach
    wait - Bull has no other pause mechanism. On a queue that is not paused but has a leftover
    `paused` list, only the leftover ids move (into wait), so running workers are never starved.
  - PUBLISH only when the queue was paused.
  done = ids moved between the lists in this call.
]]
local rcall = redis.call

local waitKey, pausedKey, metaPausedKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, limit = ARGV[1], tonumber(ARGV[2])
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end

--! include: list-merge

local wasPaused = rcall("EXISTS", metaPausedKey) == 1 or rcall("HEXISTS", metaKey, "paused") == 1
local moved, finished = mergeWaitingLists(waitKey, pausedKey, waitKey, limit, not wasPaused)
if not finished then return {moved, 0, 1, {}} end
rcall("DEL", metaPausedKey)
rcall("HDEL", metaKey, "paused")
if wasPaused then rcall("PUBLISH", prefix .. "resumed", "resumed") end
return {moved, 0, 0, {}}
