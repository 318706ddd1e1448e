--! keys: {p}:{q}:completed {p}:{q}:failed {p}:{q}:wait {p}:{q}:paused {p}:{q}:delayed {p}:{q}:priority {p}:{q}:limiter {p}:{q}:repeat
--! argv: {p}:{q}: state limit cutoff cursor
--! items:
--! returns: cursor
--[[
  Bull 4: delete the jobs of one state that are older than cutoff.

  Mirrors queue.clean(grace, state, limit) (cleanJobsInSet): locked jobs are skipped; completed/
  failed take ZRANGEBYSCORE <set> -inf <cutoff> (score = finishedOn), wait/paused/delayed compare
  the first of finishedOn|processedOn|timestamp (a job without one counts as old); per job: out
  of the state, ZREM priority, debounce key (not for completed/failed, as Bull), DEL hash + :logs,
  rate-limiter index entry. Bull writes no event for a clean.

  Differs from Bull, and why:
  - Bounded: at most <limit> jobs are EXAMINED per call. Lists are walked from the head and
    delayed from the highest score, i.e. from the end opposite to where workers take jobs, so
    jobs consumed between calls never shift the walk past unexamined ids; the cursor "at:<n>" is
    the number of kept jobs before the next unexamined one, "0" = finished. (Bull walks from
    the tail in one call, without bound when no limit is given.)
  - "Older than" means at or before cutoff, compared as numbers (Bull: strictly before, strings).
  - Keeps the pending job of a repeatable (its schedule would silently stop).
  - The debounce key is deleted only while it still points at this job.
]]
local rcall = redis.call

local STATES = {
  completed = {kind = "finished", key = KEYS[1]},
  failed = {kind = "finished", key = KEYS[2]},
  wait = {kind = "list", key = KEYS[3]},
  paused = {kind = "list", key = KEYS[4]},
  delayed = {kind = "zset", key = KEYS[5]},
}
local priorityKey, limiterKey, repeatKey = KEYS[6], KEYS[7], KEYS[8]
local prefix, stateName, limit, cutoff, cursor = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]

--! include: outcome
--! include: clean-walk
--! include: bull-repeat
--! include: bull-delete-job

local args, argumentError =
  cleanArguments(STATES, "completed, failed, wait, paused or delayed", stateName, limit, cutoff, cursor)
if not args then return redis.error_reply(argumentError) end
local state, cutoffMs, offset = args.state, args.cutoffMs, args.offset

local function isOld(jobKey)
  for _, value in ipairs(rcall("HMGET", jobKey, "finishedOn", "processedOn", "timestamp")) do
    if value then return (tonumber(value) or 0) <= cutoffMs end
  end
  return true
end

-- Out of the priority index, then the data; as Bull, completed/failed jobs keep the debounce key.
local function deleteJob(id)
  rcall("ZREM", priorityKey, id)
  deleteJobData(prefix, limiterKey, id, state.kind ~= "finished")
end

local ids = cleanWindow(state, offset, limit, cutoff)

local victims, victimIndexes, kept = {}, {}, 0
for i, id in ipairs(ids) do
  local jobKey = prefix .. id
  -- young jobs cost one HMGET; only old ones are checked further
  if state.kind ~= "finished" and not isOld(jobKey) then
    kept = kept + 1
  elseif rcall("EXISTS", jobKey .. ":lock") == 1 then
    skip(id, "locked by a worker")
    kept = kept + 1
  elseif state.kind ~= "finished" and isRepeatNextRun(repeatKey, id, jobKey) then
    skip(id, "job is the next run of a repeatable job")
    kept = kept + 1
  else
    victims[#victims + 1] = id
    victimIndexes[#victimIndexes + 1] = i
  end
end

-- First take the ids out of the state (ownership), then delete their data.
if #victims > 0 then
  removeFromState(state, offset, victims, victimIndexes)
  for _, id in ipairs(victims) do deleteJob(id) end
end

local more, nextCursor = cleanCursor(state, #ids, limit, cutoff, offset, kept)
return {#victims, skipped, more, details, nextCursor}
