--! keys: {ns}retry {ns}dead {ns}schedule {ns}queues
--! argv: {ns} state
--! items: member queue payload
--! returns: standard
--
-- Sidekiq 6: move jobs from retry | dead | schedule (state) to their queue: "Retry now" of the
-- retry and dead sets (SortedEntry#retry, RetrySet/DeadSet#retry_all) and "Add to queue" of the
-- scheduled set (SortedEntry#add_to_queue). Per item, atomically: ZREM <set> member must be 1
-- (the exact member bytes the caller read: a member changed or taken meanwhile -- by Sidekiq's
-- poller, a retry, another operator -- is skipped, never duplicated); then what
-- Sidekiq::Client.push does for a payload without "at": SADD queues <queue>,
-- LPUSH queue:<queue> <payload>. Processors BRPOP queue:<q>: the push wakes them.
--
-- The payload is edited by the caller (no JSON re-encoding in Lua), exactly as Sidekiq does
-- before Client.push:
--   retry, dead ("Retry now"): retry_count -= 1 when the key is present (so the manual retry
--     does not use up an attempt; a job that failed once gets -1, as with Sidekiq);
--   schedule ("Add to queue"): retry_count untouched;
--   all: enqueued_at = now (float epoch seconds); no "at" key (members never have one, and
--     with it Client.push would schedule instead of enqueue); every other key byte-for-byte
--     (keep number texts as read: created_at, failed_at are floats).
--   queue = the payload's "queue" (Client.push routes by it); must not be empty.
-- Differs from Sidekiq: Sidekiq removes *every* entry that shares the member's score
-- (ZREMRANGEBYSCORE) and re-adds the others in a second MULTI (invisible meanwhile, lost if the
-- client dies); this removes only the exact member.
--
-- "all" for this payload-editing script is driven by the caller: page ZRANGE <set> 0 limit-1
-- (members and their JSON), edit, send the triples; repeat from rank <number of members it
-- chose not to send> until a page is empty or as many members as ZCARD had at the start were
-- handled (the retry poller and new failures change the set meanwhile; nothing can be taken
-- twice, because each member must still be there).
-- Redis 5 compatible; no TIME; queue keys derived from ARGV[1] (the namespace with its ':').

local ns, state = ARGV[1], ARGV[2]
local set
if state == 'retry' then
    set = KEYS[1]
elseif state == 'dead' then
    set = KEYS[2]
elseif state == 'schedule' then
    set = KEYS[3]
else
    return redis.error_reply('sidekiq-move: state must be retry, dead or schedule')
end
local queuesKey = KEYS[4]

--! include: outcome
--! include: sidekiq-jid

local done = 0

for i = 3, #ARGV - 2, 3 do
    local member, queue, payload = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    if queue == '' then
        skip(jidOf(member), 'no queue given')
    elseif redis.call('ZREM', set, member) ~= 1 then
        skip(jidOf(member), 'not in ' .. state .. ' (gone or changed)')
    else
        redis.call('SADD', queuesKey, queue)
        redis.call('LPUSH', ns .. 'queue:' .. queue, payload)
        done = done + 1
    end
end
return {done, skipped, 0, details}
