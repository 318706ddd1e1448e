-- The data of a Bull job whose id already left its state (and the priority index), as Bull's
-- removeJob deletes it.

-- The debounce key is deleted only while it still points at this job.
local function removeDebounceKey(prefix, id, jobKey)
  local debounceId = rcall("HGET", jobKey, "deid")
  if debounceId then
    local key = prefix .. "de:" .. debounceId
    if rcall("GET", key) == id then rcall("DEL", key) end
  end
end

-- The job's entry in the rate limiter's index (<q>:limiter:index) and its limited set.
local function removeFromLimiter(limiterKey, id)
  local indexKey = limiterKey .. ":index"
  local limitedSetKey = rcall("HGET", indexKey, id)
  if limitedSetKey then
    rcall("SREM", limitedSetKey, id)
    rcall("HDEL", indexKey, id)
  end
end

-- The debounce key (when withDebounce), DEL hash + :logs, the rate-limiter index entry.
local function deleteJobData(prefix, limiterKey, id, withDebounce)
  local jobKey = prefix .. id
  if withDebounce then removeDebounceKey(prefix, id, jobKey) end
  rcall("DEL", jobKey, jobKey .. ":logs")
  removeFromLimiter(limiterKey, id)
end
