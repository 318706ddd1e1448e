-- Where a BullMQ queue takes a waiting job, as BullMQ decides it (isQueuePausedOrMaxed,
-- getTargetQueueList): paused, or not paused but at its global concurrency (then no marker);
-- plain waiting ids go to the legacy `paused` list while paused and possibly driven by
-- BullMQ < 6 (meta.version missing or major < 6) or while that list exists, else to wait.
-- Returns pausedOrMaxed, the target list and meta's opts.maxLenEvents (default 10000).
local function waitingTarget(metaKey, activeKey, waitKey, pausedKey)
  local meta = rcall("HMGET", metaKey, "paused", "concurrency", "version", "opts.maxLenEvents")
  local paused = meta[1] ~= false
  local maxed = false
  if not paused and meta[2] then
    maxed = rcall("LLEN", activeKey) >= (tonumber(meta[2]) or math.huge)
  end
  local major = tonumber(string.match(meta[3] or "", "^bullmq:(%d+)%.") or "")
  local legacy = major == nil or major < 6
  local target = waitKey
  if paused and (legacy or rcall("EXISTS", pausedKey) == 1) then target = pausedKey end
  return paused or maxed, target, tonumber(meta[4]) or 10000
end
