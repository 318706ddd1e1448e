"""Enqueues jobs through a Sentinel group with the frameworks' OWN Sentinel support, as an app
behind Sentinel does: RQ through redis-py's redis.sentinel.Sentinel, Celery through kombu's
sentinel:// transport (master_name in broker_transport_options).

usage: sentinel_enqueue.py rq|celery <master name> <queue> <jobs> host:port [host:port ...]
Prints {"enqueued": N} on stdout.
"""

import sys

from fixture_common import log, say


def sentinel_addresses(args):
    return [(a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in args]


def enqueue_rq(master, queue, jobs, addresses):
    from redis.sentinel import Sentinel
    from rq import Queue

    connection = Sentinel(addresses, socket_timeout=5).master_for(master, socket_timeout=5)
    q = Queue(queue, connection=connection)
    for i in range(jobs):
        q.enqueue("builtins.print", i)
    return jobs


def enqueue_celery(master, queue, jobs, addresses):
    from celery import Celery

    broker = ";".join(f"sentinel://{host}:{port}" for host, port in addresses)
    app = Celery("sentinel_enqueue", broker=broker)
    app.conf.broker_transport_options = {"master_name": master}
    for i in range(jobs):
        app.send_task("tasks.add", args=(i, i), queue=queue)
    return jobs


def main():
    framework, master, queue, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    addresses = sentinel_addresses(sys.argv[5:])
    enqueue = {"rq": enqueue_rq, "celery": enqueue_celery}[framework]
    count = enqueue(master, queue, jobs, addresses)
    log(framework, "enqueued", count, "on", queue, "through", addresses)
    say({"enqueued": count})


if __name__ == "__main__":
    main()
