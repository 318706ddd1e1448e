--! keys: {p}:{q}:meta {p}:{q}:events {p}:{q}:repeat {p}:{q}:completed {p}:{q}:waiting-children {p}:{q}:delayed {p}:{q}:failed {p}:{q}:prioritized {p}:{q}:wait {p}:{q}:paused {p}:{q}:active
--! argv: {p}:{q}: mode limit
--! items: id
--! returns: standard
--[[
  BullMQ 5 and 6: delete jobs, whatever state holds them (mode ids only).

  Mirrors Job.remove({removeChildren: false}) (removeJob script): refuses the current job of a
  job scheduler (`rjk` + ZSCORE repeat, BullMQ error -8) and locked jobs (<id>:lock exists);
  detaches a flow child from its parent (SREM parent:dependencies; when that was the parent's last
  pending child the parent leaves waiting-children and is RPUSHed onto its queue's wait - the
  legacy paused list for a paused v5 queue - with marker and XADD waiting prev=waiting-children);
  removes the id from the first state holding it (the sorted sets, then wait/paused/active), drops
  the deduplication key (and dn:) if it still points at this job, DELs the hash + :logs
  :dependencies :processed :failed :unsuccessful and XADDs removed prev=<state>.

  Differs from BullMQ, and why:
  - A job with pending children (non-empty :dependencies) is refused instead of removed together
    with its children (job.remove()'s default): QueueScope deletes only the jobs the operator chose.
    Finished children stay (their parentKey then points at a deleted job, as after BullMQ's
    removeChildren:false).
  - The parent is found through the job's `parent` JSON ({id, queueKey}) when present, so ids
    containing ':' resolve correctly (BullMQ splits parentKey at the last ':').
  - An id held by no state and without a hash is skipped ("not found"); an id without a hash that
    still sits in a state is removed from it (dangling id) and counted.
  - Ids that are in no sorted set are looked up in wait, paused and active in one pass per list
    when there are more than 8 of them (BullMQ LREMs per id, O(list length) per id): a call costs
    O(list length) once (about 0.5 us per list entry on the test VM: ~50 ms for 1,000 ids in a
    100,000-id wait list, where per-id LREMs would take seconds).
]]
local rcall = redis.call

local metaKey, eventsKey, repeatKey = KEYS[1], KEYS[2], KEYS[3]
local STATE_SETS = {
  {"completed", KEYS[4]}, {"waiting-children", KEYS[5]}, {"delayed", KEYS[6]},
  {"failed", KEYS[7]}, {"prioritized", KEYS[8]},
}
local STATE_LISTS = {{"wait", KEYS[9]}, {"paused", KEYS[10]}, {"active", KEYS[11]}}
local prefix, mode, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local FIRST_ITEM = 4

if mode ~= "ids" then return redis.error_reply("ERR remove supports mode ids only") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end

--! include: outcome
--! include: argv-ids
--! include: bullmq-scheduler
--! include: bullmq-job-keys
--! include: bullmq-parent
--! include: list-sweep

-- Removes the id from the first sorted set that holds it (the O(log n) half of BullMQ's
-- removeJobFromAnyState); nil when it is in none.
local function removeFromSets(id)
  for _, state in ipairs(STATE_SETS) do
    if rcall("ZREM", state[2], id) == 1 then return state[1] end
  end
  return nil
end

-- The list half: removes the first occurrence of each wanted id from wait, then paused, then
-- active, and records the list in prevOf[id]. A few ids: one LREM each (as BullMQ); more: one
-- pass over each list (sweepList) that ends once every id is found, so a call costs
-- O(list length) once instead of once per id.
local function removeFromLists(wanted, wantedCount, prevOf)
  local function allFound() return wantedCount == 0 end
  for _, state in ipairs(STATE_LISTS) do
    if allFound() then return end
    local listKey = state[2]
    if wantedCount <= 8 then
      for id in pairs(wanted) do
        if rcall("LREM", listKey, 1, id) == 1 then
          prevOf[id], wanted[id], wantedCount = state[1], nil, wantedCount - 1
        end
      end
    else
      sweepList(listKey, function(id)
        if not wanted[id] then return false end
        prevOf[id], wanted[id], wantedCount = state[1], nil, wantedCount - 1
        return true
      end, allFound)
    end
  end
end

local ids = idsFromArgv(FIRST_ITEM, limit)

local maxEvents = tonumber(rcall("HGET", metaKey, "opts.maxLenEvents")) or 10000

-- 1. refusals first (nothing is written for a refused id), then out of the sorted sets
local accepted, linksById, prevOf, inLists, inListsCount = {}, {}, {}, {}, 0
for _, id in ipairs(ids) do
  local jobKey = prefix .. id
  local links = rcall("EXISTS", jobKey) == 1 and linksOf(jobKey) or false
  if rcall("EXISTS", jobKey .. ":lock") == 1 then
    skip(id, "locked by a worker")
  elseif links and isJobSchedulerJob(repeatKey, id, links[4]) then
    skip(id, "job is a job-scheduler job")
  elseif rcall("SCARD", jobKey .. ":dependencies") > 0 then
    skip(id, "has pending children")
  elseif prevOf[id] ~= nil or inLists[id] then
    skip(id, "given twice")
  else
    accepted[#accepted + 1] = id
    linksById[id] = links
    prevOf[id] = removeFromSets(id)
    if not prevOf[id] then
      inLists[id] = true
      inListsCount = inListsCount + 1
    end
  end
end

-- 2. out of the lists
removeFromLists(inLists, inListsCount, prevOf)

-- 3. the job's data, its parent and the event
local done = 0
for _, id in ipairs(accepted) do
  local jobKey, links, prev = prefix .. id, linksById[id], prevOf[id] or "unknown"
  if not links and prev == "unknown" then
    skip(id, "not found")
  else
    if links then
      detachFromParent(links, jobKey, false, prefix, 0)
      removeDeduplicationKey(prefix, id, links[3])
    end
    if removeJobKeys(jobKey) > 0 then
      rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "removed", "jobId", id,
        "prev", prev)
    end
    done = done + 1
  end
end

return {done, skipped, 0, details}
