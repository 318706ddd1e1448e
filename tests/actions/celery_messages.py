"""Reference implementation of what QueueScope's engine builds client-side for the Celery
scripts (celery-rerun.lua, celery-restore.lua) and of the "is any worker alive?" check. The C++
engine mirrors these functions; celery-rerun.md explains every field. Proven against Celery
5.2.6 / kombu 5.2.4 by celery_actions_test.py (byte-level comparison with messages Celery
publishes itself, and real workers running what these build).
"""

import base64
import json
import uuid

SEP = "\x06\x16"
META_PREFIX = "celery-task-meta-"


def dumps(value):
    # kombu's JSON: json.dumps with default separators. Any valid JSON works for the worker.
    return json.dumps(value)


def python_repr(value):
    """Celery's saferepr of JSON values, for the informational argsrepr/kwargsrepr headers."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(python_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_repr(k)}: {python_repr(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)  # numbers: their JSON text


def args_repr(args):
    """A Python tuple, as Task.delay/apply_async passes args: (1, 2) / (1,) / ()."""
    inner = ", ".join(python_repr(a) for a in args)
    return "(" + inner + ("," if len(args) == 1 else "") + ")"


class NotRerunnable(Exception):
    pass


def rerun_message(meta_bytes, queue, origin="queuescope@localhost", delivery_tag=None):
    """The protocol-2 message apply_async would publish to re-run a FAILURE result.

    meta_bytes: GET celery-task-meta-<id> exactly as read; queue: the destination queue name.
    Returns the message bytes for celery-rerun.lua (item: id, meta_bytes, message, queue).
    """
    meta = json.loads(meta_bytes)
    if meta.get("status") != "FAILURE":
        raise NotRerunnable(f"status is {meta.get('status')}, not FAILURE")
    if "name" not in meta or meta.get("args") is None or meta.get("kwargs") is None:
        raise NotRerunnable("the result has no task name/arguments (needs result_extended=True)")
    task_id = meta["task_id"]
    args, kwargs = meta["args"], meta["kwargs"]
    body = dumps([args, kwargs, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}])
    message = {
        "body": base64.b64encode(body.encode("utf-8")).decode("ascii"),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {
            "lang": "py",
            "task": meta["name"],
            "id": task_id,
            "shadow": None,
            "eta": None,
            "expires": None,
            "group": meta.get("group_id"),
            "group_index": None,
            "retries": 0,
            "timelimit": [None, None],
            "root_id": task_id,
            "parent_id": meta.get("parent_id"),
            "argsrepr": args_repr(args),
            "kwargsrepr": python_repr(kwargs),
            "origin": origin,
            "ignore_result": False,
        },
        "properties": {
            "correlation_id": task_id,
            "reply_to": "",
            "delivery_mode": 2,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": delivery_tag or str(uuid.uuid4()),
        },
    }
    return dumps(message).encode("utf-8")


def bindings(client, prefix=b""):
    """{exchange: [(routing_key, pattern, queue)]} from the _kombu.binding.* sets (SCAN)."""
    out = {}
    start = prefix + b"_kombu.binding."
    for key in client.scan_iter(match=start + b"*", count=1000):
        exchange = key[len(start):].decode()
        out[exchange] = [tuple(m.decode().split(SEP)) for m in client.smembers(key)]
    return out


def route(exchange, routing_key, table):
    """kombu's _lookup for the Redis transport's direct exchanges: the queues a delivery goes to.
    Anonymous exchange "": the routing key is the queue. Topic/fanout: not resolved here (the
    engine refuses those restores)."""
    if not exchange:
        return [routing_key]
    return sorted({q for rk, _pattern, q in table.get(exchange, []) if rk == routing_key})


def restore_item(tag, delivery_bytes, table):
    """One celery-restore.lua item for an `unacked` entry: (tag, task id, delivery, message,
    queue), or None when the delivery does not route to exactly one queue."""
    message, exchange, routing_key = json.loads(delivery_bytes)
    # kombu Channel._do_restore_message
    try:
        message["headers"]["redelivered"] = True
        message["properties"]["delivery_info"]["redelivered"] = True
    except KeyError:
        pass
    queues = route(exchange, routing_key, table)
    if len(queues) != 1:
        return None
    return (tag, message.get("headers", {}).get("id", ""), delivery_bytes, dumps(message).encode("utf-8"),
            queues[0])


# ---- Is any worker alive? ----

def pidbox_channel(prefix, db):
    """The pub/sub channel every worker's remote-control mailbox PSUBSCRIBEs
    (kombu: keyprefix_fanout '/{db}.' + exchange 'celery.pidbox'; global_keyprefix in front)."""
    return f"{prefix}/{db}.celery.pidbox"


def probe_message(destination="queuescope-probe@nowhere"):
    """A remote-control broadcast addressed to a node name no worker has: every worker decodes
    it and drops it silently (kombu pidbox Node.handle_message: destination does not match)."""
    body = dumps({"method": "ping", "arguments": {}, "destination": [destination],
                  "pattern": None, "matcher": None})
    return dumps({
        "body": base64.b64encode(body.encode()).decode(),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {"clock": 1},
        "properties": {"delivery_mode": 2,
                       "delivery_info": {"exchange": "celery.pidbox", "routing_key": ""},
                       "priority": 0, "body_encoding": "base64",
                       "delivery_tag": str(uuid.uuid4())},
    }).encode()


def live_pidbox_subscribers(client, prefix="", db=0):
    """PUBLISH returns how many clients received the probe: the live workers (one pidbox
    subscription each; a kill -9'ed worker's connection is closed by its kernel at once)."""
    return client.publish(pidbox_channel(prefix, db), probe_message())


def heartbeat_hostnames(client, prefix="", db=0, seconds=5.0):
    """Passive alternative: workers PUBLISH worker-heartbeat events every 2 s to
    <prefix>/<db>.celeryev/worker.heartbeat (headers.hostname = the worker's node name)."""
    import time
    pubsub = client.pubsub()
    pubsub.subscribe(f"{prefix}/{db}.celeryev/worker.heartbeat")
    names = set()
    deadline = time.time() + seconds
    try:
        while time.time() < deadline:
            message = pubsub.get_message(timeout=max(0.0, deadline - time.time()))
            if message and message["type"] == "message":
                names.add(json.loads(message["data"])["headers"]["hostname"])
    finally:
        pubsub.close()
    return names
