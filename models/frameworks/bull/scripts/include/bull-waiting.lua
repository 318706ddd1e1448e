--! include: chunked
-- Pushing ids onto a Bull waiting list (wait, or paused while meta-paused exists) in Bull's
-- order.

-- The list waiting jobs go to: paused while the queue is paused (meta-paused exists), else wait.
local function waitingList(waitKey, pausedKey, metaPausedKey)
  if rcall("EXISTS", metaPausedKey) == 1 then return pausedKey end
  return waitKey
end

-- Bull's addJobWithPriority: ZADD priority, then LINSERT before the first job of lower priority,
-- counted from the tail.
local function addJobWithPriority(priorityKey, priority, jobId, targetKey)
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

-- push(id, priority), then flush() once at the end: plain ids (priority <= 0) are LPUSHed in
-- batches; the batch is flushed before every priority insert, which counts positions from the
-- tail but may land on the head, so the order stays exactly Bull's.
local function waitingPusher(targetKey, priorityKey)
  local pending = {}
  local function flush()
    callInChunks("LPUSH", targetKey, pending)
    pending = {}
  end
  local function push(id, priority)
    if priority > 0 then
      flush()
      addJobWithPriority(priorityKey, priority, id, targetKey)
    else
      pending[#pending + 1] = id
    end
  end
  return push, flush
end
