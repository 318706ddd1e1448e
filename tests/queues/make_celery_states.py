#!/usr/bin/python3
"""Puts Celery messages in every broker-visible state with Celery's own API and a real
`celery worker`, then reports Celery's/kombu's own counts, for QueueScope's integration tests.

Usage: make_celery_states.py --url redis://127.0.0.1:PORT/0 --queues NAME [NAME ...]
                             [--key-prefix PREFIX]

States created (the worker consumes only the first queue):
  pending:  messages with priorities 0..9 in every queue (base list and priority sub-lists);
            odd-numbered queues are bound to a shared exchange, so exchange != queue name;
  reserved: countdown (ETA) tasks the worker holds unacknowledged, and one prefetched message
            waiting for the worker's only thread, busy with a held task;
  overdue:  in every queue but the first, the next message to run is a task whose ETA passed
            90 s ago (no worker takes it): the oldest waiting message with a known time.

Line protocol on stdin/stdout (one JSON object per line):
  -> {"ready": true, ...}
  <- counts
  -> {"counts": {"queues": {name: pending}, "unacked": n, "inspect": {...}, "workers": n,
                  "eta": {name: ms of the next message's ETA, or null}}}
  <- quit, or end of input                  releases the held task and stops the worker
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from celery import Celery
from fixture_common import say, serve, stop_workers, wait_for
from kombu import Exchange, Queue

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASE_KEY = "qs-fixture:release"
HELD_KEY = "qs-fixture:held"
ETA_TASKS = 2
SHARED_EXCHANGE = "qs-fixture-tasks"

# The worker imports this module (-A make_celery_states): configuration comes from the
# environment so that both processes agree.
BROKER = os.environ.get("QS_CELERY_BROKER", "redis://127.0.0.1:6379/0")
KEY_PREFIX = os.environ.get("QS_CELERY_KEY_PREFIX", "")

app = Celery("make_celery_states", broker=BROKER)
app.conf.update(
    task_create_missing_queues=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    broker_transport_options={"global_keyprefix": KEY_PREFIX} if KEY_PREFIX else {},
)


@app.task(name="fixture.noop")
def noop(n):
    return n


@app.task(name="fixture.hold")
def hold():
    """Occupies the worker's only thread until the fixture releases it."""
    import redis
    client = redis.Redis.from_url(BROKER)
    client.set(KEY_PREFIX + HELD_KEY, "1")
    deadline = time.time() + 300
    while time.time() < deadline and not client.exists(KEY_PREFIX + RELEASE_KEY):
        time.sleep(0.1)


def kombu_queue(index, name):
    exchange = Exchange(name if index % 2 == 0 else SHARED_EXCHANGE, type="direct")
    return Queue(name, exchange, routing_key=name)


def publish_pending(index, queue):
    if index > 0:  # first in, so next out: the tail of the base list
        overdue = datetime.now(timezone.utc) - timedelta(seconds=90)
        app.send_task("fixture.noop", args=[-2], queue=queue, eta=overdue)
    priorities = [0, 9, 4, 7, 2, 5]  # default steps 0/3/6/9: base list and sub-lists 3, 6, 9
    for n in range(index + 3):
        app.send_task("fixture.noop", args=[n], queue=queue, priority=priorities[n % 6])


def create(client, names):
    queues = [kombu_queue(i, name) for i, name in enumerate(names)]
    client.delete(KEY_PREFIX + RELEASE_KEY, KEY_PREFIX + HELD_KEY)
    work = queues[0]
    # In delivery order (FIFO): ETA tasks (the worker keeps them unacknowledged until due), the
    # held task that occupies the only thread, then one message the worker prefetches.
    for n in range(ETA_TASKS):
        app.send_task("fixture.noop", args=[n], queue=work, countdown=3600)
    app.send_task("fixture.hold", queue=work)
    app.send_task("fixture.noop", args=[-1], queue=work)

    env = dict(os.environ, QS_CELERY_BROKER=BROKER, QS_CELERY_KEY_PREFIX=KEY_PREFIX,
               PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "make_celery_states", "worker",
         "--pool=threads", "--concurrency=1", "-Q", work.name, "-n", "qs-fixture@%h",
         "--without-mingle", "--loglevel=WARNING"],
        cwd=HERE, env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr,  # stdout: protocol only
        start_new_session=True)
    unacked = KEY_PREFIX + "unacked"
    wait_for(lambda: client.exists(KEY_PREFIX + HELD_KEY), "the held task to start")
    wait_for(lambda: client.hlen(unacked) >= ETA_TASKS + 1, "the worker to reserve messages")

    for i, queue in enumerate(queues):
        publish_pending(i, queue)
    return worker


def counts(names):
    out = {"queues": {}}
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for name in names:
            out["queues"][name] = channel._size(name)  # what queue_declare reports as count
        # A plain client with the prefix spelled out: kombu 5.2's prefixing client leaves HLEN
        # (and EXISTS, SCARD) unprefixed, though the worker's HSET into `unacked` is prefixed.
        import redis
        out["unacked"] = redis.Redis.from_url(BROKER).hlen(KEY_PREFIX + channel.unacked_key)
    # One worker runs: stop waiting at its reply instead of the whole timeout.
    inspect = app.control.inspect(timeout=5, limit=1)
    # A message kombu has just delivered is in `unacked` a moment before the worker lists it as
    # reserved: ask again (for up to 10 s) until the worker's view has caught up with the hash.
    deadline = time.monotonic() + 10
    while True:
        reserved = inspect.reserved() or {}
        scheduled = inspect.scheduled() or {}
        out["inspect"] = {
            "reserved": sum(len(v) for v in reserved.values()),
            "scheduled": sum(len(v) for v in scheduled.values()),
        }
        held = out["inspect"]["reserved"] + out["inspect"]["scheduled"]
        if held >= out["unacked"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    out["workers"] = len(inspect.ping() or {})
    # Celery's own view of the next message to run in each queue: its ETA header, if any.
    out["eta"] = {}
    for name in names:
        message = client_for_read().lindex(KEY_PREFIX + name, -1)
        eta = json.loads(message)["headers"].get("eta") if message else None
        out["eta"][name] = int(datetime.fromisoformat(eta).timestamp() * 1000) if eta else None
    return out


def client_for_read():
    import redis
    return redis.Redis.from_url(BROKER)


def stop(client, worker):
    if worker is None:
        return
    client.set(KEY_PREFIX + RELEASE_KEY, "1")
    stop_workers([worker])  # warm shutdown: unacked messages go back to the queue


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--queues", nargs="+", required=True)
    parser.add_argument("--key-prefix", default="")
    args = parser.parse_args()

    global BROKER, KEY_PREFIX
    BROKER, KEY_PREFIX = args.url, args.key_prefix
    app.conf.broker_url = BROKER
    app.conf.broker_transport_options = {"global_keyprefix": KEY_PREFIX} if KEY_PREFIX else {}

    import redis
    client = redis.Redis.from_url(BROKER)
    worker = None
    try:
        worker = create(client, args.queues)
        say({"ready": True, "queues": args.queues, "eta": ETA_TASKS})
        serve(lambda: {"counts": counts(args.queues)})
    finally:
        stop(client, worker)


if __name__ == "__main__":
    main()
