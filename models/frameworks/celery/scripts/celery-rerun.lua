--! keys: {p}{q}
--! argv: celery-task-meta- {q}
--! items: id meta message queue
--! returns: standard
--
-- Celery 5.2 (Redis broker + Redis result backend in the same database, result_extended=True):
-- re-run FAILURE tasks. Celery keeps no failed queue; the only record is the result
-- celery-task-meta-<id> (JSON; with result_extended it holds name, args, kwargs, queue). The
-- caller reads it, checks status FAILURE, builds a protocol-2 message the way apply_async would
-- (same task id, name, args, kwargs; retries 0; see celery-rerun.md, field by field, and the
-- reference implementation tests/actions/celery_messages.py) and sends `id meta message queue`.
--
-- Per item, atomically:
--   * queue must be this call's queue (the engine feeds one queue per call; the meta's "queue"
--     is the routing key, = the queue name for Celery's default anonymous-exchange routing);
--   * GET celery-task-meta-<id> must equal `meta` byte for byte (ownership: the result is still
--     the FAILURE the message was built from; a task re-run meanwhile -- by anyone -- has no or
--     another result and is skipped, so the same failure never runs twice);
--   * DEL the meta (the task then reads PENDING like any queued task; the worker writes the new
--     result), LPUSH <prefix><queue> message (kombu's _put for priority 0; workers BRPOP
--     the right end, so this is FIFO with other new messages).
-- The result key is the backend's: fixed prefix "celery-task-meta-" (ARGV[1]), never kombu's
-- global_keyprefix (that applies to broker keys only: KEYS[1] = {p}{q}). Priority: the result
-- does not record it, so the message has priority 0 and goes to the base list, where a plain
-- apply_async puts it. Chains/callbacks/chords of the original are not recorded either and are
-- not re-created. Redis 5 compatible; no TIME; no JSON parsing.

local queueKey = KEYS[1]
local metaPrefix, queueName = ARGV[1], ARGV[2]

--! include: outcome

local done = 0

for i = 3, #ARGV - 3, 4 do
    local id, meta, message, queue = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    local current = redis.call('GET', metaPrefix .. id)
    if queue ~= queueName then
        skip(id, 'routed to queue ' .. queue .. ', not ' .. queueName)
    elseif not current then
        skip(id, 'no result any more (already re-run or expired)')
    elseif current ~= meta then
        skip(id, 'result changed since it was read')
    else
        redis.call('DEL', metaPrefix .. id)
        redis.call('LPUSH', queueKey, message)
        done = done + 1
    end
end
return {done, skipped, 0, details}
