"""Shared by the Python fixtures (make_*_states.py): the stdin/stdout line protocol, progress on
stderr, waiting with a deadline and stopping the real workers.
"""

import json
import os
import signal
import subprocess
import sys
import time

PROGRAM = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def log(*parts):
    print(f"{PROGRAM}:", *parts, file=sys.stderr, flush=True)


def say(obj):
    print(json.dumps(obj), flush=True)


def wait_for(predicate, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"{PROGRAM}: timed out waiting for {what}")


def serve(counts):
    """Answers each "counts" line with counts() until "quit" or the end of input."""
    for line in sys.stdin:
        if line.strip() == "counts":
            say(counts())
        elif line.strip() == "quit":
            break


def stop_workers(workers):
    """Warm shutdown (SIGTERM), then SIGKILL to the process group of one that is still there
    after 30 s."""
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
