"""The live demo's RQ workload (scripts/run.sh): enqueues jobs on two queues with RQ's own API;
an `rq worker` started by run.sh runs them. About 10% fail. Runs until killed.

    /usr/bin/python3 demo_rq_workload.py redis://127.0.0.1:6379
"""
import random
import sys
import time


def resize(n):
    time.sleep(random.uniform(0.05, 0.4))
    if random.random() < 0.1:
        raise RuntimeError(f"demo failure resizing image {n}")
    return n


def main():
    from redis import Redis
    from rq import Queue

    redis = Redis.from_url(sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379")
    queues = [Queue(name, connection=redis) for name in ("images", "exports")]
    n = 0
    while True:
        n += 1
        queues[n % 2].enqueue("demo_rq_workload.resize", n, result_ttl=600, failure_ttl=3600)
        time.sleep(random.uniform(0.1, 0.6))


if __name__ == "__main__":
    main()
