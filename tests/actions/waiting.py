"""Shared by the Python action tests: progress on stderr, and waiting with a deadline."""

import sys
import time


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def wait_for(predicate, what, timeout=30, interval=0.005):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")
