--! include: bullmq-job-keys
--! include: bullmq-waiting-target
-- A BullMQ flow child leaving its parent.

-- Parent key, id and queue prefix ("<p>:<q>:") of a flow child, or nil. The parent is found
-- through the `parent` JSON ({id, queueKey}) when present, so ids containing ':' resolve
-- correctly (BullMQ splits parentKey at the last ':').
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

-- BullMQ's _moveParentToWait(parentPrefix, parentId, emitEvent): RPUSH onto the parent queue's
-- waiting list, the marker unless that queue is paused or at its global concurrency, and with
-- emitEvent the event waiting prev=waiting-children.
local function moveParentToWait(parentPrefix, parentId, emitEvent)
  local pausedOrMaxed, target, maxEvents = waitingTarget(parentPrefix .. "meta",
    parentPrefix .. "active", parentPrefix .. "wait", parentPrefix .. "paused")
  rcall("RPUSH", target, parentId)
  if not pausedOrMaxed then rcall("ZADD", parentPrefix .. "marker", 0, "0") end
  if emitEvent then
    rcall("XADD", parentPrefix .. "events", "MAXLEN", "~", maxEvents, "*",
      "event", "waiting", "jobId", parentId, "prev", "waiting-children")
  end
end

-- BullMQ's removeParentDependencyKey(jobKey, hard, nil, baseKey): the child (links =
-- linksOf(jobKey)) leaves its parent's pending dependencies; a parent left without any leaves
-- waiting-children and then
-- - hard (the child is deleted by clean/drain): a parent in this queue (prefix baseKey) is
--   deleted too (detached from its own parent, its deduplication key dropped if it points at it);
--   one in another queue is moved to its waiting list, without an event;
-- - not hard (remove): is moved to its waiting list, with the event.
local function detachFromParent(links, jobKey, hard, baseKey, depth)
  local parentKey, parentId, parentPrefix = parentOf(links)
  if not parentKey or rcall("EXISTS", parentKey) == 0 then return end
  local dependenciesKey = parentKey .. ":dependencies"
  if rcall("SREM", dependenciesKey, jobKey) == 1 and rcall("SCARD", dependenciesKey) == 0 and
      rcall("ZREM", parentPrefix .. "waiting-children", parentId) == 1 then
    if not hard then
      moveParentToWait(parentPrefix, parentId, true)
    elseif parentPrefix == baseKey and depth < 32 then
      local parentLinks = linksOf(parentKey)
      detachFromParent(parentLinks, parentKey, true, baseKey, depth + 1)
      removeDeduplicationKey(parentPrefix, parentId, parentLinks[3])
      removeJobKeys(parentKey)
    else
      moveParentToWait(parentPrefix, parentId, false)
    end
  end
end
