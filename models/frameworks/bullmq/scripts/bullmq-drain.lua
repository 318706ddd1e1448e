--! keys: {p}:{q}:wait {p}:{q}:paused {p}:{q}:prioritized {p}:{q}:delayed {p}:{q}:repeat
--! argv: {p}:{q}: limit delayed cursor
--! items:
--! returns: cursor
--[[
  BullMQ 5 and 6: delete every job that waits to run.

  Mirrors queue.drain(delayed) (drain script): deletes the jobs in wait, the legacy paused list,
  prioritized and, when delayed=1, delayed - each as BullMQ's removeJob(hard): detach from the
  parent (a same-queue parent left without pending children is deleted, one in another queue is
  moved to its wait list), drop the deduplication key if it still points at the job, DEL hash +
  :logs :dependencies :processed :failed :unsuccessful. The current job of every job scheduler
  is kept. No event and the marker is left alone, as BullMQ (an idle worker that wakes up finds
  nothing). Active, completed, failed and waiting-children jobs are not touched.

  Differs from BullMQ, and why:
  - Bounded: at most <limit> ids are examined per call; more=1 and the cursor
    "<stage>:<kept>" (stage 1 wait, 2 paused, 3 prioritized, 4 delayed; kept = scheduler jobs left
    at the front of that stage) say where to go on, "0" = finished. Jobs added between calls may
    survive (the drain covers what was there when it walked past).
  - The lists are rebuilt: the examined head segment is LTRIMmed away and the kept scheduler
    jobs are pushed back in their order. BullMQ 6.7 filters the scheduler job out of the ids and
    then LTRIMs by the filtered count, which deletes a job it never removed from the list and
    leaves the scheduler's job in no state at all (its schedule stops).
  - A same-queue parent deleted this way loses its own deduplication key only if that key points
    at it (BullMQ 6.7 deletes `de:<the child's deid>`).
]]
local rcall = redis.call

local repeatKey = KEYS[5]
local prefix, limit, withDelayed, cursor = ARGV[1], tonumber(ARGV[2]), ARGV[3] == "1", ARGV[4]

local STAGES = {
  {kind = "list", key = KEYS[1]}, {kind = "list", key = KEYS[2]},
  {kind = "zset", key = KEYS[3]},
}
if withDelayed then STAGES[4] = {kind = "zset", key = KEYS[4]} end

--! include: outcome
--! include: drain-walk
--! include: bullmq-scheduler
--! include: bullmq-job-keys
--! include: bullmq-delete-job

if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
local stage, kept = drainPosition(cursor)
if not stage then return redis.error_reply("ERR bad cursor") end

-- One HMGET per examined job: the scheduler check and the links used to delete it.
local function examine(id)
  local links = linksOf(prefix .. id)
  if isJobSchedulerJob(repeatKey, id, links[4]) then return "job is a job-scheduler job" end
  return nil, links
end

local function remove(id, links)
  deleteJob(prefix, id, links)
end

local done
done, stage, kept = drainStages(STAGES, stage, kept, limit, examine, remove)
local more, nextCursor = drainCursor(STAGES, stage, kept)
return {done, skipped, more, details, nextCursor}
