-- The pending job of a Bull repeatable (id repeat:<md5>:<millis> whose opts.repeat.key is in
-- repeatKey = <q>:repeat with that score): Bull re-creates the next one only when this one runs.
local function isRepeatNextRun(repeatKey, id, jobKey)
  if string.sub(id, 1, 7) ~= "repeat:" then return false end
  local rawOpts = rcall("HGET", jobKey, "opts")
  if not rawOpts then return false end
  local ok, opts = pcall(cjson.decode, rawOpts)
  if not ok or type(opts) ~= "table" or type(opts["repeat"]) ~= "table" then return false end
  local repeatJobKey = opts["repeat"].key
  if type(repeatJobKey) ~= "string" then return false end
  local millis = rcall("ZSCORE", repeatKey, repeatJobKey)
  return millis ~= false and tonumber(string.match(id, ":(%d+)$")) == tonumber(millis)
end
