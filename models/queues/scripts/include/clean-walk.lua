--! include: chunked
--! include: list-sweep
-- The bounded walk of a clean (bull-clean, bullmq-clean) over one state = {kind, key}: kind
-- "finished" (completed/failed: ZRANGEBYSCORE <set> -inf <cutoff>, score = finishedOn), "list"
-- (wait/paused, walked from the head) or "zset" (delayed/prioritized, from the highest score),
-- i.e. from the end opposite to where workers take jobs, so jobs consumed between calls never
-- shift the walk past unexamined ids. The cursor "at:<n>" is the number of kept jobs before the
-- next unexamined one, "0" = finished.

-- The offset a cursor names: 0 for the first call, nil for a malformed cursor.
local function cleanOffset(cursor)
  if cursor and cursor ~= "" and cursor ~= "0" then
    return tonumber(string.match(cursor, "^at:(%d+)$"))
  end
  return 0
end

-- The state, cutoff (ms) and offset a clean call's arguments name, checked in that order after
-- the state; nil and the error of the reply when one is malformed (stateList: the states it takes,
-- as the error lists them).
local function cleanArguments(states, stateList, stateName, limit, cutoff, cursor)
  local state = states[stateName]
  if not state then return nil, "ERR state must be " .. stateList end
  if not limit or limit < 1 then return nil, "ERR limit must be a positive integer" end
  local cutoffMs = tonumber(cutoff)
  if not cutoffMs then return nil, "ERR cutoff must be a number (ms)" end
  local offset = cleanOffset(cursor)
  if not offset then return nil, "ERR bad cursor" end
  return {state = state, cutoffMs = cutoffMs, offset = offset}
end

-- The ids this call examines: at most limit, after the offset kept ones.
local function cleanWindow(state, offset, limit, cutoff)
  if state.kind == "finished" then
    return rcall("ZRANGEBYSCORE", state.key, "-inf", cutoff, "LIMIT", offset, limit)
  elseif state.kind == "list" then
    return rcall("LRANGE", state.key, offset, offset + limit - 1)
  end
  return rcall("ZREVRANGE", state.key, offset, offset + limit - 1)
end

-- Takes the victims out of the state (ownership, before their data goes); victimIndexes are
-- their 1-based positions in the window.
local function removeFromState(state, offset, victims, victimIndexes)
  if state.kind == "list" then
    local len = rcall("LLEN", state.key)
    for _, i in ipairs(victimIndexes) do markDeleted(state.key, len, offset + i - 1) end
    rcall("LREM", state.key, #victims, DELETED)
  else
    callInChunks("ZREM", state.key, victims)
  end
end

-- more and the next cursor after a window of `examined` ids of which `kept` stayed: more only
-- when ids are left beyond the kept ones (no empty trailing call).
local function cleanCursor(state, examined, limit, cutoff, offset, kept)
  local remaining
  if state.kind == "finished" then
    remaining = rcall("ZCOUNT", state.key, "-inf", cutoff)
  elseif state.kind == "list" then
    remaining = rcall("LLEN", state.key)
  else
    remaining = rcall("ZCARD", state.key)
  end
  if examined == limit and remaining > offset + kept then return 1, "at:" .. (offset + kept) end
  return 0, "0"
end
