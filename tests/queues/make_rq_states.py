#!/usr/bin/python3
"""Puts RQ jobs in every state with RQ's own API and real `rq worker` processes, then reports
RQ's own counts, for QueueScope's integration tests.

Usage: make_rq_states.py --url redis://127.0.0.1:PORT/0 --queues NAME [NAME ...]

Line protocol on stdin/stdout (one JSON object per line):
  -> {"ready": true, "queues": [...]}      once every state exists
  <- counts                                 (after QueueScope has counted: RQ's .count writes)
  -> {"counts": {queue: {state: n, ...}},
      "oldest": {queue: epoch ms of the next queued job's enqueued_at}}
  <- quit, or end of input                  releases the held jobs and stops the workers
Progress goes to stderr.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta

from fixture_common import log, say, serve, stop_workers, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASE_KEY = "qs-fixture:release"
# Jobs are named by import path: run as a script, this module is __main__ to RQ.
JOBS = "make_rq_states."


# ---- Job functions, imported by the workers as make_rq_states.<name> ----

def succeed(n):
    return n * 2


def boom(n):
    raise RuntimeError(f"fixture failure {n}")


def hold(marker):
    """Runs until the fixture releases it, so the job stays in the started registry."""
    from rq import get_current_job
    connection = get_current_job().connection
    connection.set(marker, "1")
    deadline = time.time() + 300
    while time.time() < deadline and not connection.exists(RELEASE_KEY):
        time.sleep(0.1)


# ---- Fixture ----

def worker_command(url, queues, burst):
    # `rq worker` of this interpreter's RQ (Debian's /usr/bin/rq is the same module).
    command = [sys.executable, "-m", "rq.cli", "worker", "--url", url, "--path", HERE, "--logging_level", "WARNING"]
    if burst:
        command.append("--burst")
    return command + list(queues)


def create(redis, url, names):
    from rq import Queue
    queues = [Queue(name, connection=redis) for name in names]
    redis.delete(RELEASE_KEY)

    # finished and failed: real jobs run to completion by a burst worker.
    for i, queue in enumerate(queues):
        for n in range(i + 2):
            queue.enqueue(JOBS + "succeed", n)
        for n in range(i + 1):
            queue.enqueue(JOBS + "boom", n, failure_ttl=3600)
    log("burst worker for finished/failed")
    burst = subprocess.run(worker_command(url, names, burst=True), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
    if burst.returncode != 0:  # the failing jobs' tracebacks are expected: show them only here
        raise SystemExit(f"make_rq_states: rq worker --burst failed:\n{burst.stderr}")

    # started: one worker per queue, kept busy by a held job until the fixture ends.
    workers = []
    for i, queue in enumerate(queues):
        marker = f"qs-fixture:held:{i}"
        redis.delete(marker)
        queue.enqueue(JOBS + "hold", marker, job_timeout=600)
        workers.append(subprocess.Popen(worker_command(url, [queue.name], burst=False),
                                        stdin=subprocess.DEVNULL, start_new_session=True))
        wait_for(lambda: redis.exists(marker), f"the held job of {queue.name!r} to start")

    # queued, deferred, scheduled, canceled: the workers are busy, so these stay put.
    for i, queue in enumerate(queues):
        for n in range(i + 3):
            parent = queue.enqueue(JOBS + "succeed", n)
        queue.enqueue(JOBS + "succeed", 99, depends_on=parent)  # deferred
        for n in range(i + 1):
            queue.enqueue_in(timedelta(hours=1), JOBS + "succeed", n)  # scheduled
        queue.enqueue(JOBS + "succeed", 7).cancel()  # canceled
    return workers


def counts(redis, names):
    from rq import Queue, Worker
    from rq.registry import (CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry,
                             FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry)
    out = {}
    for name in names:
        queue = Queue(name, connection=redis)
        out[name] = {
            "queued": queue.count,
            # .count runs the registry's cleanup (ZREMRANGEBYSCORE) first: RQ's number, not ours.
            "started": StartedJobRegistry(queue=queue).count,
            "deferred": DeferredJobRegistry(queue=queue).count,
            "scheduled": ScheduledJobRegistry(queue=queue).count,
            "finished": FinishedJobRegistry(queue=queue).count,
            "failed": FailedJobRegistry(queue=queue).count,
            "canceled": CanceledJobRegistry(queue=queue).count,
            "workers": Worker.count(connection=redis, queue=queue),
        }
    return out


def oldest(redis, names):
    """RQ's own view of the next job to run: the first of the queue's jobs, its enqueued_at."""
    from datetime import timezone
    from rq import Queue
    out = {}
    for name in names:
        jobs = Queue(name, connection=redis).get_jobs(0, 1)
        at = jobs[0].enqueued_at if jobs else None
        out[name] = int(at.replace(tzinfo=timezone.utc).timestamp() * 1000) if at else None
    return out


def stop(redis, workers):
    redis.set(RELEASE_KEY, "1")
    stop_workers(workers)  # warm shutdown: the held job ends on release


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--queues", nargs="+", required=True)
    args = parser.parse_args()

    from redis import Redis
    redis = Redis.from_url(args.url)
    workers = []
    try:
        workers = create(redis, args.url, args.queues)
        say({"ready": True, "queues": args.queues})
        serve(lambda: {"counts": counts(redis, args.queues), "oldest": oldest(redis, args.queues)})
    finally:
        stop(redis, workers)


if __name__ == "__main__":
    main()
