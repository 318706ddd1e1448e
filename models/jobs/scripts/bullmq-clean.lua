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
local DELETED = "\0queuescope:deleted\0" -- list placeholder while removing by index, as BullMQ's ""

local state = STATES[stateName]
if not state then
  return redis.error_reply("ERR state must be completed, failed, wait, paused, delayed or prioritized")
end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
local cutoffMs = tonumber(cutoff)
if not cutoffMs then return redis.error_reply("ERR cutoff must be a number (ms)") end
local offset = 0
if cursor and cursor ~= "" and cursor ~= "0" then
  offset = tonumber(string.match(cursor, "^at:(%d+)$"))
  if not offset then return redis.error_reply("ERR bad cursor") end
end

local skipped, details = 0, {}
local function skip(id, reason)
  skipped = skipped + 1
  if #details < 200 then
    details[#details + 1] = id
    details[#details + 1] = reason
  end
end

-- As BullMQ's isJobSchedulerJob (schedulerId = the job's rjk field).
local function isJobSchedulerJob(id, schedulerId)
  if schedulerId then
    local millis = rcall("ZSCORE", repeatKey, schedulerId)
    if millis then return id == "repeat:" .. schedulerId .. ":" .. millis end
  end
  return false
end

-- The first age field present decides; a job without any counts as old (BullMQ).
local function isOld(fields, first)
  for i = first, #fields do
    if fields[i] then return (tonumber(fields[i]) or 0) <= cutoffMs end
  end
  return true
end

local function removeDeduplicationKey(queuePrefix, id, deduplicationId)
  if deduplicationId then
    local key = queuePrefix .. "de:" .. deduplicationId
    if rcall("GET", key) == id then
      rcall("DEL", key, queuePrefix .. "dn:" .. deduplicationId)
    end
  end
end

local function removeJobKeys(jobKey)
  return rcall("DEL", jobKey, jobKey .. ":logs", jobKey .. ":dependencies", jobKey .. ":processed",
    jobKey .. ":failed", jobKey .. ":unsuccessful")
end

-- parentKey, parent (JSON) and deid of a job, in one HMGET.
local function linksOf(jobKey)
  return rcall("HMGET", jobKey, "parentKey", "parent", "deid")
end

-- Parent key, id and queue prefix ("<p>:<q>:") of a flow child, or nil.
local function parentOf(fields)
  local parentKey = fields[1]
  if not parentKey or parentKey == "" then return nil end
  if fields[2] then
    local ok, parent = pcall(cjson.decode, fields[2])
    if ok and type(parent) == "table" and parent.id and type(parent.queueKey) == "string" then
      local parentId, parentPrefix = tostring(parent.id), parent.queueKey .. ":"
      if parentPrefix .. parentId == parentKey then return parentKey, parentId, parentPrefix end
    end
  end
  local parentId = string.match(parentKey, ".*:(.*)")
  if not parentId then return nil end
  return parentKey, parentId, string.sub(parentKey, 1, #parentKey - #parentId)
end

-- BullMQ's _moveParentToWait(parentPrefix, parentId) as called by a hard removal (no event).
local function moveParentToWait(parentPrefix, parentId)
  local meta = rcall("HMGET", parentPrefix .. "meta", "paused", "concurrency", "version")
  local paused = meta[1] ~= false
  local maxed = false
  if not paused and meta[2] then
    maxed = rcall("LLEN", parentPrefix .. "active") >= (tonumber(meta[2]) or math.huge)
  end
  local major = tonumber(string.match(meta[3] or "", "^bullmq:(%d+)%.") or "")
  local target = parentPrefix .. "wait"
  if paused and (major == nil or major < 6 or rcall("EXISTS", parentPrefix .. "paused") == 1) then
    target = parentPrefix .. "paused"
  end
  rcall("RPUSH", target, parentId)
  if not paused and not maxed then rcall("ZADD", parentPrefix .. "marker", 0, "0") end
end

-- BullMQ's removeParentDependencyKey(jobKey, hard = true, nil, baseKey).
local function detachFromParent(links, jobKey, depth)
  local parentKey, parentId, parentPrefix = parentOf(links)
  if not parentKey or rcall("EXISTS", parentKey) == 0 then return end
  local dependenciesKey = parentKey .. ":dependencies"
  if rcall("SREM", dependenciesKey, jobKey) == 1 and rcall("SCARD", dependenciesKey) == 0 and
      rcall("ZREM", parentPrefix .. "waiting-children", parentId) == 1 then
    if parentPrefix == prefix and depth < 32 then
      local parentLinks = linksOf(parentKey)
      detachFromParent(parentLinks, parentKey, depth + 1)
      removeDeduplicationKey(parentPrefix, parentId, parentLinks[3])
      removeJobKeys(parentKey)
    else
      moveParentToWait(parentPrefix, parentId)
    end
  end
end

local function deleteJob(id, links)
  local jobKey = prefix .. id
  links = links or linksOf(jobKey)
  detachFromParent(links, jobKey, 0)
  removeDeduplicationKey(prefix, id, links[3])
  removeJobKeys(jobKey)
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
      elseif isJobSchedulerJob(id, fields[1]) then
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

local ids
if state.kind == "finished" then
  ids = rcall("ZRANGEBYSCORE", state.key, "-inf", cutoff, "LIMIT", offset, limit)
elseif state.kind == "list" then
  ids = rcall("LRANGE", state.key, offset, offset + limit - 1)
else
  ids = rcall("ZREVRANGE", state.key, offset, offset + limit - 1)
end

local victims, victimIndexes, victimLinks, kept = chooseVictims(ids)

-- First take the ids out of the state (ownership), then delete their data.
if #victims > 0 then
  if state.kind == "list" then
    local len = rcall("LLEN", state.key)
    for _, i in ipairs(victimIndexes) do
      local index = offset + i - 1
      if index > len / 2 then index = index - len end -- LSET seeks from the nearer end
      rcall("LSET", state.key, index, DELETED)
    end
    rcall("LREM", state.key, #victims, DELETED)
  else
    for i = 1, #victims, 5000 do
      rcall("ZREM", state.key, unpack(victims, i, math.min(i + 4999, #victims)))
    end
  end
  for i, id in ipairs(victims) do deleteJob(id, victimLinks[i]) end
  local maxEvents = tonumber(rcall("HGET", metaKey, "opts.maxLenEvents")) or 10000
  rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "cleaned", "count", #victims)
end

-- more only when ids are left beyond the kept ones (no empty trailing call)
local remaining
if state.kind == "finished" then
  remaining = rcall("ZCOUNT", state.key, "-inf", cutoff)
elseif state.kind == "list" then
  remaining = rcall("LLEN", state.key)
else
  remaining = rcall("ZCARD", state.key)
end
local more, nextCursor = 0, "0"
if #ids == limit and remaining > offset + kept then
  more = 1
  nextCursor = "at:" .. (offset + kept)
end
return {#victims, skipped, more, details, nextCursor}
