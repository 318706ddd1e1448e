-- Deleting elements from the middle of a list without one O(list length) LREM per element: each
-- is replaced by a placeholder (LSET), then one LREM takes all the placeholders out.

-- The placeholder (Bull's and BullMQ's own scripts use "").
local DELETED = "\0queuescope:deleted\0"

-- Marks the element at a 0-based index of a list of length len; LSET seeks from the nearer end.
local function markDeleted(listKey, len, index)
  if index > len / 2 then index = index - len end
  rcall("LSET", listKey, index, DELETED)
end

-- One pass over a list, in LRANGE chunks of 1,000, deleting every element for which take(element)
-- is true, so a call costs O(list length) once. finished(), when given, is asked after each chunk
-- and ends the pass early.
local function sweepList(listKey, take, finished)
  local len, marked = rcall("LLEN", listKey), 0
  for start = 0, len - 1, 1000 do
    for i, element in ipairs(rcall("LRANGE", listKey, start, start + 999)) do
      if take(element) then
        markDeleted(listKey, len, start + i - 1)
        marked = marked + 1
      end
    end
    if finished and finished() then break end
  end
  if marked > 0 then rcall("LREM", listKey, marked, DELETED) end
end
