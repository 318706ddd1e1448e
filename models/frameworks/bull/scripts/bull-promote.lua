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

--! include: outcome
--! include: argv-ids
--! include: bull-waiting

local ids
if mode == "all" then
  ids = rcall("ZRANGE", delayedKey, 0, limit - 1)
else
  ids = idsFromArgv(FIRST_ITEM, limit)
end

local target = waitingList(waitKey, pausedKey, metaPausedKey)
local channel = waitKey .. "ing@" .. TOKEN
local done = 0
-- plain ids LPUSHed in batches, priority ones inserted Bull-style, in Bull's order
local push, flush = waitingPusher(target, priorityKey)

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
      push(id, tonumber(priority) or 0)
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
