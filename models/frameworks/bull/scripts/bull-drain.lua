--! keys: {p}:{q}:wait {p}:{q}:paused {p}:{q}:delayed {p}:{q}:priority {p}:{q}:limiter {p}:{q}:repeat
--! argv: {p}:{q}: limit delayed cursor
--! items:
--! returns: cursor
--[[
  Bull 4: delete every job that waits to run.

  Mirrors queue.empty(): the jobs in wait and paused (and delayed when delayed=1; Bull always
  empties delayed) are deleted with their priority index entries and rate-limiter index entries.
  Active, completed and failed jobs are not touched; no event (Bull publishes none).

  Differs from Bull, and why:
  - Atomic per call and bounded: at most <limit> ids are examined per call; more=1 and the
    cursor "<stage>:<kept>" (stage 1 wait, 2 paused, 3 delayed; kept = jobs left at the front of
    that stage) say where to go on, "0" = finished. Bull's empty() is two MULTIs with an
    unbounded LRANGE and `KEYS <q>:*:limited` in between (O(all keys), not atomic).
  - Delayed jobs lose their hash and :logs too (Bull DELs the delayed zset and orphans them).
  - Each job also loses :logs and its debounce key (while it points at the job), as removeJob.
  - The pending job of a repeatable is kept, as BullMQ's drain keeps job-scheduler jobs: Bull
    re-creates the next run only when this one runs, so deleting it stops the schedule while the
    repeatable is still listed (Bull's empty() does exactly that).
  - meta-paused, the limiter counter and the `<q>:*:limited` sets are left alone (Bull's empty()
    DELs meta-paused, which silently un-pauses the queue, and the limiter keys).
  Jobs added between calls may survive (the drain covers what was there when it walked past).
]]
local rcall = redis.call

local priorityKey, limiterKey, repeatKey = KEYS[4], KEYS[5], KEYS[6]
local prefix, limit, withDelayed, cursor = ARGV[1], tonumber(ARGV[2]), ARGV[3] == "1", ARGV[4]

local STAGES = {{kind = "list", key = KEYS[1]}, {kind = "list", key = KEYS[2]}}
if withDelayed then STAGES[3] = {kind = "zset", key = KEYS[3]} end

--! include: outcome
--! include: drain-walk
--! include: bull-repeat
--! include: bull-delete-job

if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
local stage, kept = drainPosition(cursor)
if not stage then return redis.error_reply("ERR bad cursor") end

local function examine(id)
  if isRepeatNextRun(repeatKey, id, prefix .. id) then
    return "job is the next run of a repeatable job"
  end
  return nil
end

-- Out of the priority index, then the data (the debounce key too, as removeJob).
local function remove(id)
  rcall("ZREM", priorityKey, id)
  deleteJobData(prefix, limiterKey, id, true)
end

local done
done, stage, kept = drainStages(STAGES, stage, kept, limit, examine, remove)
local more, nextCursor = drainCursor(STAGES, stage, kept)
return {done, skipped, more, details, nextCursor}
