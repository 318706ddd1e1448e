-- The keys of an RQ job that its deletion removes: rq:job:<id>, rq:job:<id>:dependents,
-- rq:job::<id>:dependencies (double colon: RQ 1.13 formats it from the prefix "rq:job:" + ":")
-- and the rq:results:<id> stream (RQ 1.13's delete leaves it; failed runs' streams never expire).
local function rqJobKeys(jobPrefix, resultsPrefix, id)
  local jobKey = jobPrefix .. id
  return jobKey, jobKey .. ':dependents', jobPrefix .. ':' .. id .. ':dependencies',
    resultsPrefix .. id
end
