#!/usr/bin/python3
"""A Celery app whose worker sends events, for QueueScope's Celery event tests.

The worker:   python3 -m celery -A celery_event_worker worker [-E] [--heartbeat-interval S] ...
              (cwd = this folder; configuration from the environment, below)
A task:       celery_event_worker.py send slow SECONDS [QUEUE]   prints the task id
              celery_event_worker.py send noop [QUEUE]           prints the task id
              celery_event_worker.py send later SECONDS [QUEUE]  a noop with that countdown (an
                                                                 ETA task: held in `unacked`)

Environment: QS_CELERY_BROKER (redis://127.0.0.1:PORT/DB), QS_CELERY_KEY_PREFIX (kombu's
global_keyprefix, default none).
"""

import os
import sys
import time

from celery import Celery

BROKER = os.environ.get("QS_CELERY_BROKER", "redis://127.0.0.1:6379/0")
KEY_PREFIX = os.environ.get("QS_CELERY_KEY_PREFIX", "")

app = Celery("celery_event_worker", broker=BROKER)
app.conf.update(
    task_create_missing_queues=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    broker_transport_options={"global_keyprefix": KEY_PREFIX} if KEY_PREFIX else {},
)


@app.task(name="events.slow")
def slow(seconds):
    time.sleep(float(seconds))
    return seconds


@app.task(name="events.noop")
def noop():
    return None


def main(argv):
    if len(argv) < 2 or argv[0] != "send" or argv[1] not in ("slow", "noop", "later"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "slow":
        queue = argv[3] if len(argv) > 3 else "celery"
        result = slow.apply_async((float(argv[2]),), queue=queue)
    elif argv[1] == "later":
        queue = argv[3] if len(argv) > 3 else "celery"
        result = noop.apply_async(countdown=float(argv[2]), queue=queue)
    else:
        queue = argv[2] if len(argv) > 2 else "celery"
        result = noop.apply_async(queue=queue)
    print(result.id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
