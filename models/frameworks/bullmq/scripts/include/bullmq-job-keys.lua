-- A BullMQ job's own keys and the fields that tie it to other keys.

-- parentKey, parent (JSON), deid and rjk of a job, in one HMGET.
local function linksOf(jobKey)
  return rcall("HMGET", jobKey, "parentKey", "parent", "deid", "rjk")
end

-- The deduplication key (and its dn: twin) only goes when it still points at this job.
local function removeDeduplicationKey(queuePrefix, id, deduplicationId)
  if deduplicationId then
    local key = queuePrefix .. "de:" .. deduplicationId
    if rcall("GET", key) == id then
      rcall("DEL", key, queuePrefix .. "dn:" .. deduplicationId)
    end
  end
end

-- DEL hash + :logs :dependencies :processed :failed :unsuccessful; the number of keys deleted.
local function removeJobKeys(jobKey)
  return rcall("DEL", jobKey, jobKey .. ":logs", jobKey .. ":dependencies", jobKey .. ":processed",
    jobKey .. ":failed", jobKey .. ":unsuccessful")
end
