--! keys: {p}:{q}:delayed {p}:{q}:wait {p}:{q}:paused {p}:{q}:meta-paused {p}:{q}:priority
--! argv: {p}:{q}: mode limit
--! items: id
--! returns: standard
--[[
  Bull 4: move delayed jobs to waiting now.

  Mirrors Job.promote() (promote script) per job: `ZREM delayed id` must return 1, target =
  `paused` while meta-paused exists else `wait`, priority > 0 -> ZADD priority + LINSERT before
  the first job of lower priority counted from the tail (Bull's addJobWithPriority), else LPUSH;
  PUBLISH <q>:waiting@<token> id; HSET delay 0. mode all takes the first <limit> ids of delayed.

  Differs from Bull, and why:
  - A delayed id whose job hash is gone is removed from delayed and reported as skipped (Bull
    would push the dangling id onto wait).
  The token in the channel name is "queuescope" (listeners PSUBSCRIBE <q>:waiting*).
]]
local rcall = redis.call

local delayedKey, waitKey, pausedKey, metaPausedKey, priorityKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, mode, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local FIRST_ITEM = 4
local TOKEN = "queuescope"

if mode ~= "ids" and mode ~= "all" then return redis.error_reply("ERR mode must be ids or all") end
if not limit or limit < 1 then return redis.error_reply("ERR limit must be a positive integer") end

local skipped, details = 0, {}
local function skip(id, reason)
  skipped = skipped + 1
  if #details < 200 then
    details[#details + 1] = id
    details[#details + 1] = reason
  end
end

-- Bull's addJobWithPriority: before the first job of lower priority, counted from the tail.
local function addJobWithPriority(priority, jobId, targetKey)
  rcall("ZADD", priorityKey, priority, jobId)
  local count = rcall("ZCOUNT", priorityKey, 0, priority)
  local len = rcall("LLEN", targetKey)
  local id = rcall("LINDEX", targetKey, len - (count - 1))
  if id then
    rcall("LINSERT", targetKey, "BEFORE", id, jobId)
  else
    rcall("RPUSH", targetKey, jobId)
  end
end

local ids
if mode == "all" then
  ids = rcall("ZRANGE", delayedKey, 0, limit - 1)
else
  ids = {}
  for i = FIRST_ITEM, #ARGV do
    if #ids < limit then ids[#ids + 1] = ARGV[i] else skip(ARGV[i], "over the batch limit") end
  end
end

local target = waitKey
if rcall("EXISTS", metaPausedKey) == 1 then target = pausedKey end
local channel = waitKey .. "ing@" .. TOKEN
local done = 0

-- Plain ids are LPUSHed in batches; the batch is flushed before every priority insert, which
-- counts positions from the tail but may land on the head, so the order stays exactly Bull's.
local pending = {}
local function flush()
  for i = 1, #pending, 5000 do
    rcall("LPUSH", target, unpack(pending, i, math.min(i + 4999, #pending)))
  end
  pending = {}
end

for _, id in ipairs(ids) do
  local jobKey = prefix .. id
  if rcall("ZREM", delayedKey, id) == 0 then
    skip(id, "not in delayed")
  else
    -- a Bull job hash always has priority: a missing one means a missing hash
    local priority = rcall("HGET", jobKey, "priority")
    if not priority and rcall("EXISTS", jobKey) == 0 then
      skip(id, "job data missing (dangling id removed from delayed)")
    else
      priority = tonumber(priority) or 0
      if priority > 0 then
        flush()
        addJobWithPriority(priority, id, target)
      else
        pending[#pending + 1] = id
      end
      rcall("PUBLISH", channel, id)
      rcall("HSET", jobKey, "delay", 0)
      done = done + 1
    end
  end
end
flush()

local more = 0
if mode == "all" and #ids == limit and rcall("ZCARD", delayedKey) > 0 then more = 1 end
return {done, skipped, more, details}
