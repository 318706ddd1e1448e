--! keys: {p}:{q}:completed {p}:{q}:failed {p}:{q}:wait {p}:{q}:paused {p}:{q}:delayed {p}:{q}:prioritized {p}:{q}:repeat {p}:{q}:meta {p}:{q}:events
--! argv: {p}:{q}: state limit cutoff cursor
--! items:
--! returns: cursor
--[[
  BullMQ 5 and 6: delete the jobs of one state that are older than cutoff.

  Mirrors queue.clean(grace, limit, state) (cleanJobsInSet): completed/failed take
  ZRANGEBYSCORE <set> -inf <cutoff> (score = finishedOn); wait/paused compare the first of
  finishedOn|processedOn|timestamp, delayed processedOn|timestamp, prioritized timestamp, a job
  without one counts as old; job-scheduler jobs are kept. Per job, as BullMQ's removeJob(hard):
  detach from the parent (a same-queue parent left without pending children is deleted, a parent
  in another queue is moved to its wait list), drop the deduplication key if it still points at
  the job, DEL hash + :logs :dependencies :processed :failed :unsuccessful. One XADD cleaned
  count=N per call.

  Differs from BullMQ, and why:
  - Bounded: at most <limit> jobs are EXAMINED per call. Lists are walked from the head and the
    zsets delayed/prioritized from the highest score, i.e. from the end opposite to where workers
    take jobs, so jobs consumed between calls never shift the walk past unexamined ids; the
    cursor "at:<n>" is the number of kept jobs before the next unexamined one, "0" = finished.
    (BullMQ's clean of delayed/prioritized only ever looks at the first <limit> ids.)
    Ids added between calls may be examined twice or not at all; nothing is removed twice.
  - Locked jobs are skipped in every state but completed/failed (BullMQ checks only `active`).
  - XADD cleaned only when N > 0, so a long multi-call walk does not flood the stream.
  - A same-queue parent deleted because its last pending child was cleaned loses its own
    deduplication key only if that key points at it (BullMQ 6.7 deletes `de:<the child's deid>`).
  - Ages are compared as numbers (BullMQ compares the strings).
]]
local rcall = redis.call

local STATES = {
  completed = {kind = "finished", key = KEYS[1]},
  failed = {kind = "finished", key = KEYS[2]},
  wait = {kind = "list", key = KEYS[3], ages = {"finishedOn", "processedOn", "timestamp"}},
  paused = {kind = "list", key = KEYS[4], ages = {"finishedOn", "processedOn", "timestamp"}},
  delayed = {kind = "zset", key = KEYS[5], ages = {"processedOn", "timestamp"}},
  prioritized = {kind = "zset", key = KEYS[6], ages = {"timestamp"}},
}
local repeatKey, metaKey, eventsKey = KEYS[7], KEYS[8], KEYS[9]
local prefix, stateName, limit, cutoff, cursor = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]

--! include: outcome
--! include: clean-walk
--! include: bullmq-scheduler
--! include: bullmq-delete-job

local args, argumentError =
  cleanArguments(STATES, "completed, failed, wait, paused, delayed or prioritized", stateName, limit, cutoff, cursor)
if not args then return redis.error_reply(argumentError) end
local state, cutoffMs, offset = args.state, args.cutoffMs, args.offset

-- The first age field present decides; a job without any counts as old (BullMQ).
local function isOld(fields, first)
  for i = first, #fields do
    if fields[i] then return (tonumber(fields[i]) or 0) <= cutoffMs end
  end
  return true
end

-- Chooses the victims among the examined ids (one HMGET per job for the scheduler check, the
-- age and the links used to delete it); returns them, their indexes and links, and the kept count.
local function chooseVictims(ids)
  local victims, victimIndexes, victimLinks, kept = {}, {}, {}, 0
  for i, id in ipairs(ids) do
    local jobKey = prefix .. id
    if state.kind == "finished" then
      victims[#victims + 1] = id
      victimIndexes[#victimIndexes + 1] = i
    else
      -- young jobs cost this one HMGET; only old ones are checked further
      local fields = rcall("HMGET", jobKey, "rjk", "parentKey", "parent", "deid", unpack(state.ages))
      if not isOld(fields, 5) then
        kept = kept + 1
      elseif isJobSchedulerJob(repeatKey, id, fields[1]) then
        skip(id, "job is a job-scheduler job")
        kept = kept + 1
      elseif rcall("EXISTS", jobKey .. ":lock") == 1 then
        skip(id, "locked by a worker")
        kept = kept + 1
      else
        victims[#victims + 1] = id
        victimIndexes[#victimIndexes + 1] = i
        victimLinks[#victims] = {fields[2], fields[3], fields[4]}
      end
    end
  end
  return victims, victimIndexes, victimLinks, kept
end

local ids = cleanWindow(state, offset, limit, cutoff)
local victims, victimIndexes, victimLinks, kept = chooseVictims(ids)

-- First take the ids out of the state (ownership), then delete their data.
if #victims > 0 then
  removeFromState(state, offset, victims, victimIndexes)
  for i, id in ipairs(victims) do deleteJob(prefix, id, victimLinks[i]) end
  local maxEvents = tonumber(rcall("HGET", metaKey, "opts.maxLenEvents")) or 10000
  rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "cleaned", "count", #victims)
end

local more, nextCursor = cleanCursor(state, #ids, limit, cutoff, offset, kept)
return {#victims, skipped, more, details, nextCursor}
