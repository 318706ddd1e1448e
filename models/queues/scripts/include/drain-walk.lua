--! include: outcome
--! include: chunked
-- The bounded walk of a drain (bull-drain, bullmq-drain) over stages = {{kind, key}...}, kind
-- "list" or "zset": at most limit ids are examined per call; the cursor "<stage>:<kept>" (kept =
-- jobs left at the front of that stage) says where to go on, "0" = finished. A list's examined
-- head segment is LTRIMmed away and the jobs it keeps are pushed back in their order.

-- The stage and kept count a cursor names: 1, 0 for the first call, nil for a malformed cursor.
local function drainPosition(cursor)
  if cursor and cursor ~= "" and cursor ~= "0" then
    local s, k = string.match(cursor, "^(%d+):(%d+)$")
    if not s then return nil end
    return tonumber(s), tonumber(k)
  end
  return 1, 0
end

-- Walks from stage/kept on. examine(id) returns the reason a job stays (it is skipped with it),
-- or nil and a value: then, once the ids left the stage, remove(id, value) deletes the job.
-- Returns the number of jobs deleted and where the walk stopped (stage, kept).
local function drainStages(stages, stage, kept, limit, examine, remove)
  local budget, done = limit, 0
  while budget > 0 and stage <= #stages do
    local st = stages[stage]
    local window
    if st.kind == "list" then
      -- the head segment: kept jobs first, then up to budget unexamined ids
      local head = rcall("LRANGE", st.key, 0, kept + budget - 1)
      window = {}
      for i = kept + 1, #head do window[#window + 1] = head[i] end
      local survivors, victims, values = {}, {}, {}
      for i = 1, kept do survivors[#survivors + 1] = head[i] end
      for _, id in ipairs(window) do
        local reason, value = examine(id)
        if reason then
          skip(id, reason)
          survivors[#survivors + 1] = id
        else
          victims[#victims + 1] = id
          values[#victims] = value
        end
      end
      if #window > 0 then
        rcall("LTRIM", st.key, #head, -1)
        local back = {}
        for i = #survivors, 1, -1 do back[#back + 1] = survivors[i] end
        callInChunks("LPUSH", st.key, back)
        for i, id in ipairs(victims) do remove(id, values[i]) end
        done = done + #victims
      end
      kept = #survivors
    else
      window = rcall("ZRANGE", st.key, kept, kept + budget - 1)
      local victims, values = {}, {}
      for _, id in ipairs(window) do
        local reason, value = examine(id)
        if reason then
          skip(id, reason)
          kept = kept + 1
        else
          victims[#victims + 1] = id
          values[#victims] = value
        end
      end
      callInChunks("ZREM", st.key, victims)
      for i, id in ipairs(victims) do remove(id, values[i]) end
      done = done + #victims
    end
    if #window < budget then
      stage, kept = stage + 1, 0 -- this stage is exhausted
    end
    budget = budget - #window
  end
  return done, stage, kept
end

-- more and the next cursor: stages with nothing left beyond their kept ids are stepped over
-- (no empty trailing call).
local function drainCursor(stages, stage, kept)
  while stage <= #stages do
    local st = stages[stage]
    local size
    if st.kind == "list" then size = rcall("LLEN", st.key) else size = rcall("ZCARD", st.key) end
    if size > kept then break end
    stage, kept = stage + 1, 0
  end
  if stage > #stages then return 0, "0" end
  return 1, stage .. ":" .. kept
end
