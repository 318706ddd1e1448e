-- The `skipped` and `details` of the reply {done, skipped, more, details[, cursor]}
-- (scripts/README.md): skip(id, reason) counts an id that was not acted on and reports it with
-- its reason, for the first 100 such ids.
local skipped, details = 0, {}
local function skip(id, reason)
  skipped = skipped + 1
  if #details < 200 then
    details[#details + 1] = id
    details[#details + 1] = reason
  end
end
