-- What a skipped Sidekiq member is reported as: its jid (Sidekiq's compact JSON: "jid":"..."),
-- the member otherwise.
local function jidOf(member)
  return string.match(member, '"jid":"([^"]*)"') or member
end
