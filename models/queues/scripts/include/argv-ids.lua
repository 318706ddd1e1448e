--! include: outcome
-- The ids of mode ids: ARGV[first] on, at most limit; the others are skipped "over the batch
-- limit".
local function idsFromArgv(first, limit)
  local ids = {}
  for i = first, #ARGV do
    if #ids < limit then ids[#ids + 1] = ARGV[i] else skip(ARGV[i], "over the batch limit") end
  end
  return ids
end
