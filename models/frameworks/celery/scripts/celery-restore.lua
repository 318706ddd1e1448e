--! keys: {p}unacked {p}unacked_index {p}{q}
--! argv: celery-task-meta- {q}
--! items: tag id delivery message queue
--! returns: standard
--
-- Celery 5.2 / kombu 5.2 Redis transport: put unacknowledged deliveries back, as kombu's
-- QoS.restore_by_tag (cold shutdown, restore_visible) does with WATCH/MULTI: HGET unacked tag,
-- ZREM unacked_index tag, HDEL unacked tag, RPUSH <queue> message with headers.redelivered and
-- properties.delivery_info.redelivered = true. RPUSH: the restored message is the next one a
-- worker BRPOPs. Like kombu it goes to the base list (losing a priority sub-list).
--
-- ONLY SAFE WHEN THE WORKERS THAT HOLD THESE DELIVERIES ARE GONE: `unacked` does not record the
-- owner, and a live worker still holds prefetched and ETA/countdown messages there; restoring
-- them runs them twice. The engine checks first that no worker is alive (celery-rerun.md,
-- "Is any worker alive?": a pidbox probe PUBLISH that reaches 0 subscribers). Live workers
-- restore entries older than visibility_timeout (1 h) themselves.
--
-- Items: tag = the delivery tag (hash field); id = the task id (message headers.id);
-- delivery = the exact hash value the caller read (JSON [message, exchange, routing_key]);
-- message = that message re-encoded by the caller with the two redelivered flags (no JSON
-- re-encoding in Lua); queue = the queue kombu's _lookup gives for exchange/routing_key
-- (anonymous exchange "": the routing key), which must be this call's queue (multi-queue
-- fanout/topic restores are refused client-side).
-- Ownership: HGET unacked tag must equal `delivery` byte for byte. Acked, already restored, or
-- restored and re-delivered to a new worker (same tag, new value) -> skipped.
-- Beyond kombu: a delivery whose task already has a result other than STARTED is skipped, not
-- restored: the task ran (SUCCESS/FAILURE/REVOKED) or re-published itself (RETRY) and only the ack
-- was missing -- an acks_late task's worker dies between storing the result and acking (its
-- after_return, or just bad timing); kombu's restore would run it twice. STARTED (track_started)
-- = it was running when its worker died: restored, which is what acks_late asks for (kombu
-- does the same). The status is read as text ('"status": "X"', kombu's JSON); a result this
-- cannot read (another result_serializer) counts as ran. Tasks with ignore_result have no
-- result, so for them this check cannot help.
-- "all": the caller HSCANs unacked and sends the entries that route to this queue. Order:
-- each RPUSH lands at the end workers pop first, so the caller sends the newest delivery first
-- (unacked_index descending) and the oldest one is the next to run.
-- Keys: {p} = kombu's global_keyprefix; `unacked`/`unacked_index` are kombu's default
-- unacked_key/unacked_index_key. Redis 5 compatible; no TIME; no JSON parsing.

local unackedKey, indexKey, queueKey = KEYS[1], KEYS[2], KEYS[3]
local metaPrefix, queueName = ARGV[1], ARGV[2]

--! include: outcome

local done = 0

for i = 3, #ARGV - 4, 5 do
    local tag, id, delivery, message, queue = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3],
        ARGV[i + 4]
    local current = redis.call('HGET', unackedKey, tag)
    if queue ~= queueName then
        skip(tag, 'routed to queue ' .. queue .. ', not ' .. queueName)
    elseif not current then
        skip(tag, 'not unacked any more (acknowledged or restored)')
    elseif current ~= delivery then
        skip(tag, 'unacked entry changed since it was read (delivered again)')
    else
        local meta = redis.call('GET', metaPrefix .. id)
        if meta and not string.find(meta, '"status": "STARTED"', 1, true) then
            skip(tag, 'task ' .. id .. ' already ran (result '
                .. (string.match(meta, '"status": "(%u+)"') or 'unreadable') .. ')')
        else
            redis.call('ZREM', indexKey, tag)
            redis.call('HDEL', unackedKey, tag)
            redis.call('RPUSH', queueKey, message)
            done = done + 1
        end
    end
end
return {done, skipped, 0, details}
