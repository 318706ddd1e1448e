#!/usr/bin/python3
"""Runs one real `rq worker` for QueueScope's worker tests, with short heartbeat TTLs so that a
killed worker is offline (and its job abandoned) within seconds instead of RQ's 60+ s.

Usage: rq_workers.py --url redis://127.0.0.1:PORT/0 --queue NAME --name WORKER

Line protocol on stdin/stdout (one JSON object per line):
  -> {"ready": true, "pid": N, "name": WORKER}   once the worker's hash exists
  <- slow       -> {"job": ID, "queue": NAME}    once a held job runs on the worker
  <- slow {"retry": N, "interval": [S]}           the same, enqueued with rq.Retry(max=N, interval)
  <- suspend    -> {"suspended": true}           `rq suspend` (rq.suspension.suspend)
  <- resume     -> {"suspended": false}
  <- kill       -> {"killed": PID}               SIGKILL to the worker and its work horse
  <- quit, or end of input                       releases held jobs, stops the worker
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

from rq import Worker

HERE = os.path.dirname(os.path.abspath(__file__))
RELEASE_KEY = "qs-fixture:release"
TTL = 4  # seconds: the worker's hash and its started-registry entries expire this soon


class QuickWorker(Worker):
    """RQ's worker with every heartbeat TTL cut to a few seconds (RQ adds 60 s to each)."""

    def __init__(self, *args, **kwargs):
        kwargs["job_monitoring_interval"] = 1
        kwargs["default_worker_ttl"] = 16  # BLPOP times out (and heartbeats) every second
        super().__init__(*args, **kwargs)

    def register_birth(self):
        super().register_birth()
        self.connection.expire(self.key, TTL)

    def heartbeat(self, timeout=None, pipeline=None):
        super().heartbeat(timeout=TTL, pipeline=pipeline)

    def get_heartbeat_ttl(self, job):
        return TTL - 1


def hold(marker):
    """Runs until the fixture releases it."""
    from rq import get_current_job
    connection = get_current_job().connection
    connection.set(marker, "1")
    deadline = time.time() + 300
    while time.time() < deadline and not connection.exists(RELEASE_KEY):
        time.sleep(0.1)


def children(pid):
    """The ids of the processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def say(obj):
    print(json.dumps(obj), flush=True)


def wait_for(predicate, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"rq_workers: timed out waiting for {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args()

    from redis import Redis
    from rq import Queue, Retry
    from rq.suspension import resume, suspend
    redis = Redis.from_url(args.url)
    redis.delete(RELEASE_KEY)
    queue = Queue(args.queue, connection=redis)
    command = [sys.executable, "-m", "rq.cli", "worker", "--url", args.url, "--path", HERE,
               "--worker-class", "rq_workers.QuickWorker", "--name", args.name,
               "--logging_level", "WARNING", args.queue]
    worker = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    key = "rq:worker:" + args.name
    try:
        wait_for(lambda: redis.hget(key, "state") in (b"idle", b"started"), "the worker to start")
        say({"ready": True, "pid": worker.pid, "name": args.name})
        held = 0
        for line in sys.stdin:
            request, _, options = line.strip().partition(" ")
            if request == "slow":
                held += 1
                marker = f"qs-fixture:held:{args.name}:{held}"  # several fixtures share a server
                retry = json.loads(options) if options else {}
                job = queue.enqueue("rq_workers.hold", marker, job_timeout=600,
                                    retry=Retry(max=retry["retry"], interval=retry.get("interval", 0))
                                    if retry else None)
                wait_for(lambda: redis.exists(marker), "the held job to start")
                say({"job": job.id, "queue": args.queue})
            elif request == "suspend":
                suspend(redis)
                say({"suspended": True})
            elif request == "resume":
                resume(redis)
                say({"suspended": False})
            elif request == "kill":
                # The work horse runs in a session of its own (RQ calls setsid): killed right
                # after its worker, which would otherwise notice and fail the job itself.
                horses = children(worker.pid)
                os.killpg(worker.pid, signal.SIGKILL)
                for horse in horses:
                    os.kill(horse, signal.SIGKILL)
                worker.wait()
                say({"killed": worker.pid})
            elif request == "quit":
                break
    finally:
        redis.set(RELEASE_KEY, "1")
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


if __name__ == "__main__":
    main()
