-- As BullMQ's isJobSchedulerJob: the job is the current iteration of its job scheduler
-- (schedulerId = the job's rjk field, repeatKey = <p>:<q>:repeat).
local function isJobSchedulerJob(repeatKey, id, schedulerId)
  if schedulerId then
    local millis = rcall("ZSCORE", repeatKey, schedulerId)
    if millis then return id == "repeat:" .. schedulerId .. ":" .. millis end
  end
  return false
end
