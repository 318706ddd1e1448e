--! include: chunked
-- Pause/resume of BullMQ and Bull: merging the waiting list with the `paused` list.

local function reversed(ids)
  local out = {}
  for i = #ids, 1, -1 do out[#out + 1] = ids[i] end
  return out
end

-- Moves at most limit ids so that destKey (waitKey or pausedKey) ends up holding
-- [wait..., paused...] (each list keeps its order; RPOPLPUSH takes from the right, so the paused
-- ids run first). Never RENAMEs onto a non-empty list. The smaller list moves unless srcOnly.
-- Returns the number of ids moved and whether the merge is complete.
local function mergeWaitingLists(waitKey, pausedKey, destKey, limit, srcOnly)
  local waitLen, pausedLen = rcall("LLEN", waitKey), rcall("LLEN", pausedKey)
  local srcKey, srcLen, destLen = pausedKey, pausedLen, waitLen
  if destKey == pausedKey then srcKey, srcLen, destLen = waitKey, waitLen, pausedLen end
  if srcLen == 0 then return 0, true end
  if destLen == 0 then
    rcall("RENAME", srcKey, destKey)
    return srcLen, true
  end
  local moved
  local fromWait = waitLen <= pausedLen
  if srcOnly then fromWait = srcKey == waitKey end
  if fromWait then
    -- the oldest (rightmost) ids of wait go to the head of paused, keeping their order
    local ids = rcall("LRANGE", waitKey, -math.min(limit, waitLen), -1)
    callInChunks("LPUSH", pausedKey, reversed(ids))
    rcall("LTRIM", waitKey, 0, -#ids - 1)
    moved = #ids
  else
    -- the newest (leftmost) ids of paused go to the tail of wait, keeping their order
    local ids = rcall("LRANGE", pausedKey, 0, math.min(limit, pausedLen) - 1)
    callInChunks("RPUSH", waitKey, ids)
    rcall("LTRIM", pausedKey, #ids, -1)
    moved = #ids
  end
  if rcall("EXISTS", waitKey) == 0 or rcall("EXISTS", pausedKey) == 0 then
    if rcall("EXISTS", srcKey) == 1 then rcall("RENAME", srcKey, destKey) end
    return moved, true
  end
  return moved, false
end
