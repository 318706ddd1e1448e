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

if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end
local stage, kept = 1, 0
if cursor and cursor ~= "" and cursor ~= "0" then
  local s, k = string.match(cursor, "^(%d+):(%d+)$")
  if not s then return redis.error_reply("ERR bad cursor") end
  stage, kept = tonumber(s), tonumber(k)
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

-- parentKey, parent (JSON), deid and rjk of a job, in one HMGET.
local function linksOf(jobKey)
  return rcall("HMGET", jobKey, "parentKey", "parent", "deid", "rjk")
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
  detachFromParent(links, jobKey, 0)
  removeDeduplicationKey(prefix, id, links[3])
  removeJobKeys(jobKey)
end

local function pushAll(command, key, ids)
  for i = 1, #ids, 5000 do
    rcall(command, key, unpack(ids, i, math.min(i + 4999, #ids)))
  end
end

local budget, done = limit, 0
while budget > 0 and stage <= #STAGES do
  local st = STAGES[stage]
  local window
  if st.kind == "list" then
    -- the head segment: kept scheduler jobs first, then up to budget unexamined ids
    local head = rcall("LRANGE", st.key, 0, kept + budget - 1)
    window = {}
    for i = kept + 1, #head do window[#window + 1] = head[i] end
    local survivors, victims = {}, {}
    for i = 1, kept do survivors[#survivors + 1] = head[i] end
    local links = {}
    for _, id in ipairs(window) do
      local fields = linksOf(prefix .. id)
      if isJobSchedulerJob(id, fields[4]) then
        skip(id, "job is a job-scheduler job")
        survivors[#survivors + 1] = id
      else
        victims[#victims + 1] = id
        links[#victims] = fields
      end
    end
    if #window > 0 then
      rcall("LTRIM", st.key, #head, -1)
      local back = {}
      for i = #survivors, 1, -1 do back[#back + 1] = survivors[i] end
      pushAll("LPUSH", st.key, back)
      for i, id in ipairs(victims) do deleteJob(id, links[i]) end
      done = done + #victims
    end
    kept = #survivors
  else
    window = rcall("ZRANGE", st.key, kept, kept + budget - 1)
    local victims, links = {}, {}
    for _, id in ipairs(window) do
      local fields = linksOf(prefix .. id)
      if isJobSchedulerJob(id, fields[4]) then
        skip(id, "job is a job-scheduler job")
        kept = kept + 1
      else
        victims[#victims + 1] = id
        links[#victims] = fields
      end
    end
    for i = 1, #victims, 5000 do
      rcall("ZREM", st.key, unpack(victims, i, math.min(i + 4999, #victims)))
    end
    for i, id in ipairs(victims) do deleteJob(id, links[i]) end
    done = done + #victims
  end
  if #window < budget then
    stage, kept = stage + 1, 0 -- this stage is exhausted
  end
  budget = budget - #window
end

-- skip stages with nothing left beyond their kept ids (no empty trailing call)
while stage <= #STAGES do
  local st = STAGES[stage]
  local size
  if st.kind == "list" then size = rcall("LLEN", st.key) else size = rcall("ZCARD", st.key) end
  if size > kept then break end
  stage, kept = stage + 1, 0
end
if stage > #STAGES then return {done, skipped, 0, details, "0"} end
return {done, skipped, 1, details, stage .. ":" .. kept}
