--! keys: {p}{q} {p}{q}{sep}1 {p}{q}{sep}2 {p}{q}{sep}3 {p}{q}{sep}4 {p}{q}{sep}5 {p}{q}{sep}6 {p}{q}{sep}7 {p}{q}{sep}8 {p}{q}{sep}9
--! argv:
--! items:
--! returns: standard
--
-- Celery 5.2 / kombu 5.2 Redis transport: `celery purge -Q <q>` (Channel._purge): LLEN + DEL of
-- the queue list and its priority sub-lists <q>\x06\x16<n>, in one atomic step; done = the
-- number of messages deleted. kombu deletes only the sub-lists of its priority_steps (default
-- 0,3,6,9: the base list plus 3, 6, 9); this takes all nine, so queues of workers configured
-- with other steps are purged completely too (a sub-list no step uses cannot exist).
-- Like Celery: `unacked` (reserved and ETA messages held by workers), the _kombu.binding.*
-- sets (queue declarations) and results are untouched. {p} = kombu's global_keyprefix.
-- UNLINK instead of kombu's DEL (same effect; a big list is freed in the background, so a
-- million-message purge does not block Redis). Redis 5 compatible (UNLINK: 4.0); no TIME.

local count = 0
for i = 1, #KEYS do
    count = count + redis.call('LLEN', KEYS[i])
end
redis.call('UNLINK', unpack(KEYS))
return {count, 0, 0, {}}
