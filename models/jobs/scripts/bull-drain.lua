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

-- The pending job of a repeatable: Bull re-creates the next one only when this one runs.
local function isRepeatNextRun(id, jobKey)
  if string.sub(id, 1, 7) ~= "repeat:" then return false end
  local rawOpts = rcall("HGET", jobKey, "opts")
  if not rawOpts then return false end
  local ok, opts = pcall(cjson.decode, rawOpts)
  if not ok or type(opts) ~= "table" or type(opts["repeat"]) ~= "table" then return false end
  local repeatJobKey = opts["repeat"].key
  if type(repeatJobKey) ~= "string" then return false end
  local millis = rcall("ZSCORE", repeatKey, repeatJobKey)
  return millis ~= false and tonumber(string.match(id, ":(%d+)$")) == tonumber(millis)
end

local function deleteJob(id)
  local jobKey = prefix .. id
  rcall("ZREM", priorityKey, id)
  local debounceId = rcall("HGET", jobKey, "deid")
  if debounceId and rcall("GET", prefix .. "de:" .. debounceId) == id then
    rcall("DEL", prefix .. "de:" .. debounceId)
  end
  rcall("DEL", jobKey, jobKey .. ":logs")
  local indexKey = limiterKey .. ":index"
  local limitedSetKey = rcall("HGET", indexKey, id)
  if limitedSetKey then
    rcall("SREM", limitedSetKey, id)
    rcall("HDEL", indexKey, id)
  end
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
    -- the head segment: kept jobs first, then up to budget unexamined ids
    local head = rcall("LRANGE", st.key, 0, kept + budget - 1)
    window = {}
    for i = kept + 1, #head do window[#window + 1] = head[i] end
    local survivors, victims = {}, {}
    for i = 1, kept do survivors[#survivors + 1] = head[i] end
    for _, id in ipairs(window) do
      if isRepeatNextRun(id, prefix .. id) then
        skip(id, "job is the next run of a repeatable job")
        survivors[#survivors + 1] = id
      else
        victims[#victims + 1] = id
      end
    end
    if #window > 0 then
      rcall("LTRIM", st.key, #head, -1)
      local back = {}
      for i = #survivors, 1, -1 do back[#back + 1] = survivors[i] end
      pushAll("LPUSH", st.key, back)
      for _, id in ipairs(victims) do deleteJob(id) end
      done = done + #victims
    end
    kept = #survivors
  else
    window = rcall("ZRANGE", st.key, kept, kept + budget - 1)
    local victims = {}
    for _, id in ipairs(window) do
      if isRepeatNextRun(id, prefix .. id) then
        skip(id, "job is the next run of a repeatable job")
        kept = kept + 1
      else
        victims[#victims + 1] = id
      end
    end
    for i = 1, #victims, 5000 do
      rcall("ZREM", st.key, unpack(victims, i, math.min(i + 4999, #victims)))
    end
    for _, id in ipairs(victims) do deleteJob(id) end
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
