--! keys: {ns}retry {ns}dead {ns}schedule {ns}queue:{q}
--! argv: state
--! items: member
--! returns: standard
--
-- Sidekiq 6: delete exact jobs. state = retry | dead | schedule: ZREM <set> member, as
-- JobSet#delete_by_value (SortedEntry#delete of an entry read from the set) does; state = queue:
-- LREM queue:<q> 1 member, as JobRecord#delete does. The member is the job JSON exactly as the
-- caller read it (ZRANGE / LRANGE): a job changed meanwhile (retried, rescheduled, taken by a
-- processor) no longer matches and is skipped. Unlike SortedEntry#delete without a value
-- (delete_by_jid) nothing is looked up by score or jid.
-- Redis 5 compatible; no TIME.

local state = ARGV[1]
local key, isList
if state == 'retry' then
    key = KEYS[1]
elseif state == 'dead' then
    key = KEYS[2]
elseif state == 'schedule' then
    key = KEYS[3]
elseif state == 'queue' then
    key, isList = KEYS[4], true
else
    return redis.error_reply('sidekiq-delete: state must be retry, dead, schedule or queue')
end

--! include: outcome
--! include: sidekiq-jid

local done = 0
for i = 2, #ARGV do
    local member = ARGV[i]
    local removed
    if isList then
        removed = redis.call('LREM', key, 1, member)
    else
        removed = redis.call('ZREM', key, member)
    end
    if removed == 1 then
        done = done + 1
    else
        skip(jidOf(member), 'not in ' .. state .. ' (gone or changed)')
    end
end
return {done, skipped, 0, details}
