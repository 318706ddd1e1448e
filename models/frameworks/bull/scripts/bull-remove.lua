--! keys: {p}:{q}:active {p}:{q}:wait {p}:{q}:delayed {p}:{q}:paused {p}:{q}:completed {p}:{q}:failed {p}:{q}:priority {p}:{q}:limiter {p}:{q}:repeat
--! argv: {p}:{q}: mode limit
--! items: id
--! returns: standard
--[[
  Bull 4: delete jobs, whatever state holds them (mode ids only).

  Mirrors Job.remove() (removeJob script): refuses a locked job (<id>:lock exists); removes the id
  from delayed/completed/failed/priority and every occurrence from active/wait/paused (LREM 0),
  drops the debounce key, DELs the hash and :logs and the rate-limiter index entry. Bull writes
  no event for a removal.

  Differs from Bull, and why:
  - Refuses the pending job of a repeatable (id repeat:<md5>:<millis> whose opts.repeat.key is
    in <q>:repeat with that score): deleting it silently stops the schedule while the repeatable
    is still listed; remove the repeatable itself instead.
  - The debounce key is deleted only while it still points at this job (Bull deletes it
    unconditionally, which can release another job's debounce).
  - The lists are scanned only for ids that were in none of the sorted sets (a job is in one
    state), and for more than 8 such ids in one pass per list (Bull LREMs every list per id, i.e.
    three O(list length) scans per id): a call costs O(list length) once.
  - An id held by no state and without a hash is skipped ("not found").
]]
local rcall = redis.call

local activeKey, waitKey, delayedKey, pausedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local completedKey, failedKey, priorityKey, limiterKey, repeatKey = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix, mode, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local FIRST_ITEM = 4

if mode ~= "ids" then return redis.error_reply("ERR remove supports mode ids only") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end

--! include: outcome
--! include: argv-ids
--! include: bull-repeat
--! include: bull-delete-job
--! include: list-sweep

-- The sorted sets (O(log n)); returns how many held the id.
local function removeFromSets(id)
  local found = rcall("ZREM", delayedKey, id) + rcall("ZREM", completedKey, id) +
    rcall("ZREM", failedKey, id)
  rcall("ZREM", priorityKey, id) -- only an index of wait/paused
  return found
end

-- The lists: every occurrence of each wanted id goes (Bull's LREM 0). A few ids: one LREM each;
-- more: one pass over each list (sweepList), so a call costs O(list length) once instead of once
-- per id. Counts removals in found[id].
local function removeFromLists(wanted, wantedCount, found)
  local function take(id)
    if not wanted[id] then return false end
    found[id] = found[id] + 1
    return true
  end
  for _, listKey in ipairs({activeKey, waitKey, pausedKey}) do
    if wantedCount <= 8 then
      for id in pairs(wanted) do found[id] = found[id] + rcall("LREM", listKey, 0, id) end
    else
      sweepList(listKey, take)
    end
  end
end

local ids = idsFromArgv(FIRST_ITEM, limit)

-- 1. refusals first (nothing is written for a refused id), then out of the sorted sets
local accepted, existed, found, inLists, inListsCount = {}, {}, {}, {}, 0
for _, id in ipairs(ids) do
  local jobKey = prefix .. id
  local exists = rcall("EXISTS", jobKey) == 1
  if rcall("EXISTS", jobKey .. ":lock") == 1 then
    skip(id, "locked by a worker")
  elseif exists and isRepeatNextRun(repeatKey, id, jobKey) then
    skip(id, "job is the next run of a repeatable job")
  elseif found[id] ~= nil then
    skip(id, "given twice")
  else
    accepted[#accepted + 1] = id
    existed[id] = exists
    found[id] = removeFromSets(id)
    if found[id] == 0 then
      inLists[id] = true
      inListsCount = inListsCount + 1
    end
  end
end

-- 2. out of the lists
if inListsCount > 0 then removeFromLists(inLists, inListsCount, found) end

-- 3. the job's data
local done = 0
for _, id in ipairs(accepted) do
  if not existed[id] and found[id] == 0 then
    skip(id, "not found")
  else
    deleteJobData(prefix, limiterKey, id, existed[id])
    done = done + 1
  end
end

return {done, skipped, 0, details}
