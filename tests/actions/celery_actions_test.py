#!/usr/bin/python3
"""Proves the Celery action scripts (models/frameworks/celery/scripts/celery-*.lua) against Celery 5.2.6 /
kombu 5.2.4 (Redis broker and Redis result backend, result_extended=True) and real, unmodified
`celery worker` processes, on a throwaway redis-server, without and with a global_keyprefix.

Run: /usr/bin/python3 tests/actions/celery_actions_test.py   (any cwd; exits non-zero on failure)

Scripts are called only through their `--!` header (script_caller.py); the client-side message
building is celery_messages.py, the reference the C++ engine mirrors. The workers import this
module (-A celery_actions_test) for the tasks; configuration reaches them through the
environment.
"""

import base64
import json
import os
import signal
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from waiting import log, wait_for  # noqa: E402

from celery import Celery  # noqa: E402

BROKER = os.environ.get("QS_CELERY_BROKER", "redis://127.0.0.1:6379/0")
KEY_PREFIX = os.environ.get("QS_CELERY_KEY_PREFIX", "")
HEAL_KEY = "qs-test:heal"
HELD_KEY = "qs-test:held"
RELEASE_KEY = "qs-test:release"


def configure(app, broker, prefix):
    app.conf.update(
        broker_url=broker, result_backend=broker, result_extended=True,
        task_create_missing_queues=True, worker_hijack_root_logger=False,
        broker_transport_options={"global_keyprefix": prefix} if prefix else {},
    )


app = Celery("celery_actions_test")
configure(app, BROKER, KEY_PREFIX)


def _redis():
    import redis
    return redis.Redis.from_url(BROKER)


@app.task(name="qs.flaky", bind=True)
def flaky(self, n, k=0):
    client = _redis()
    client.hincrby("qs-test:runs", self.request.id, 1)  # how often each task id ran
    if not client.exists(HEAL_KEY):
        raise RuntimeError(f"flaky task {n} fails until healed")
    return n + k


@app.task(name="qs.add")
def add(n):
    return n + 1


def _wait_for_release(client):
    deadline = time.time() + 120
    while time.time() < deadline and not client.exists(RELEASE_KEY):
        time.sleep(0.05)


@app.task(name="qs.hold_late", acks_late=True, track_started=True)
def hold_late():
    """acks_late: its delivery stays in unacked while it runs (at-least-once)."""
    client = _redis()
    client.incr("qs-test:runs:hold_late")
    client.set(HELD_KEY, "1")
    _wait_for_release(client)


class _LingerAfterReturn(app.Task):
    def after_return(self, *args, **kwargs):
        # The result is stored; the ack (acks_late) comes only after this returns.
        client = _redis()
        client.set("qs-test:lingering", "1")
        _wait_for_release(client)


@app.task(name="qs.linger", base=_LingerAfterReturn, acks_late=True)
def linger():
    _redis().incr("qs-test:runs:linger")
    return "ran"


# ---- Test side ----

CELERY_BATCH = 250  # items per call for the payload-carrying scripts (see the bulk test)


def batch_bytes(items):
    return sum(len(v) if isinstance(v, bytes) else len(str(v)) for item in items for v in item)


class Worker:
    """A real `celery worker` (threads pool) consuming `queues`."""

    # prefetch 4 (Celery's default): with worker_prefetch_multiplier=1 kombu 5.2's Redis
    # transport picks up each next message only after ~1.6-4 s (Celery's own publishes too).
    def __init__(self, url, prefix, queues, name, pool="solo --concurrency=1", prefetch=4,
                 log_dir=None):
        import celery_messages
        env = dict(os.environ, QS_CELERY_BROKER=url, QS_CELERY_KEY_PREFIX=prefix,
                   PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.log_path = os.path.join(log_dir, f"{name}.log")
        with open(self.log_path, "w") as log_file:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "celery_actions_test", "worker",
                 *f"--pool={pool}".split(), "--prefetch-multiplier", str(prefetch),
                 "-Q", ",".join(queues), "-n", f"{name}@%h", "--without-mingle",
                 "--without-gossip", "--loglevel=WARNING"],
                cwd=HERE, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT, start_new_session=True)
        import redis
        client = redis.Redis.from_url(url)
        # Ready = its remote-control mailbox listens (the liveness probe reaches it) and it
        # has declared its queues.
        wait_for(lambda: celery_messages.live_pidbox_subscribers(client, prefix) >= 1 or
                 self.proc.poll() is not None, f"worker {name} to start", timeout=60, interval=0.05)
        if self.proc.poll() is not None:
            raise AssertionError(f"worker {name} died:\n{open(self.log_path).read()[-3000:]}")
        time.sleep(0.3)  # its consumer reaches BRPOP

    def kill9(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


class CeleryActionTests:
    """The tests, for one global_keyprefix (PREFIX). Subclassed below."""
    PREFIX = ""

    @classmethod
    def setUpClass(cls):
        from script_caller import ActionScript
        cls.server = SERVER
        cls.log_dir = LOG_DIR
        cls.rerun = ActionScript("celery-rerun")
        cls.purge = ActionScript("celery-purge")
        cls.restore = ActionScript("celery-restore")
        # The test's own producer / result reader, with this class's key prefix.
        cls.app = Celery(f"client{cls.PREFIX}")
        configure(cls.app, cls.server.url, cls.PREFIX)

    def setUp(self):
        self.r = self.server.client()
        self.r.flushall()
        self.p = self.PREFIX.encode()
        self.workers = []

    def tearDown(self):
        self.r.set(RELEASE_KEY, "1")
        for worker in self.workers:
            worker.stop()

    def worker(self, queues, name, pool="solo --concurrency=1", prefetch=4):
        worker = Worker(self.server.url, self.PREFIX, queues, name, pool, prefetch, self.log_dir)
        self.workers.append(worker)
        return worker

    def meta(self, task_id):
        return self.r.get(f"celery-task-meta-{task_id}")

    def status(self, task_id):
        raw = self.meta(task_id)
        return json.loads(raw)["status"] if raw else "PENDING"

    def pending(self, queue):
        return [self.r.lrange(self.p + queue.encode() + (b"\x06\x16%d" % n if n else b""), 0, -1)
                for n in range(10)]

    # ---- celery-rerun ----

    def test_rerun_envelope_is_what_celery_publishes(self):
        """The reference envelope against a message Celery itself published (same task)."""
        import celery_messages
        self.worker(["work"], "env")
        failed = self.app.send_task("qs.flaky", args=[7, "it's"], kwargs={"k": None}, queue="work")
        wait_for(lambda: self.status(failed.id) == "FAILURE", "the failure")
        # What apply_async publishes for that task (kept in a queue nobody consumes).
        self.app.send_task("qs.flaky", args=(7, "it's"), kwargs={"k": None}, queue="parked",
                           task_id=failed.id)
        theirs = json.loads(self.r.lrange(self.p + b"parked", 0, -1)[0])
        ours = json.loads(celery_messages.rerun_message(self.meta(failed.id), "parked"))
        self.assertEqual(set(ours), set(theirs))
        self.assertEqual(set(ours["headers"]), set(theirs["headers"]))
        self.assertEqual(set(ours["properties"]), set(theirs["properties"]))
        random = {"origin", "delivery_tag", "reply_to"}
        for part in ("headers", "properties"):
            for field, value in theirs[part].items():
                if field not in random:
                    self.assertEqual(ours[part][field], value, f"{part}.{field}")
        for field in ("content-type", "content-encoding"):
            self.assertEqual(ours[field], theirs[field])
        self.assertEqual(json.loads(base64.b64decode(ours["body"])),
                         json.loads(base64.b64decode(theirs["body"])))
        # Through the script into a queue no worker consumes: the result is gone (PENDING, as
        # for any queued task) and the message is in the base list, after Celery's own one.
        meta = self.meta(failed.id)
        message = celery_messages.rerun_message(meta, "parked")
        out = self.rerun.call(self.r, "parked", self.p, items=[(failed.id, meta, message, "parked")])
        self.assertEqual(out.done, 1)
        self.assertEqual(self.status(failed.id), "PENDING")
        self.assertEqual(self.r.lrange(self.p + b"parked", 0, -1)[0], message)

    def test_rerun_failures_run_again_once(self):
        import celery_messages
        from celery.result import AsyncResult
        self.worker(["work"], "rerun")
        tasks = [self.app.send_task("qs.flaky", args=[n], kwargs={"k": 10}, queue="work") for n in range(4)]
        wait_for(lambda: all(self.status(t.id) == "FAILURE" for t in tasks), "the failures")
        a, b, c, d = tasks
        snapshot = {t.id: self.meta(t.id) for t in tasks}
        item = lambda t, queue="work": (t.id, snapshot[t.id],  # noqa: E731
                                        celery_messages.rerun_message(snapshot[t.id], queue), queue)

        # `b` re-run before healing: it fails again, so its result changes under the snapshot.
        self.assertEqual(self.rerun.call(self.r, "work", self.p, items=[item(b)]).done, 1)
        wait_for(lambda: self.status(b.id) == "FAILURE", "b to fail again")
        self.assertNotEqual(self.meta(b.id), snapshot[b.id])

        self.r.set(HEAL_KEY, "1")
        start = time.perf_counter()
        out = self.rerun.call(self.r, "work", self.p, items=[item(a), item(b), item(c, "other")])
        self.assertEqual((out.done, out.skipped), (1, 2), out)
        self.assertEqual(out.reason_for(b.id), "result changed since it was read")
        self.assertEqual(out.reason_for(c.id), "routed to queue other, not work")
        self.assertIn(self.status(a.id), ("PENDING", "SUCCESS"))  # no stale FAILURE meanwhile
        wait_for(lambda: self.status(a.id) == "SUCCESS", "a to succeed")
        log(f"celery-rerun [prefix={self.PREFIX!r}]: live worker finished the re-run task "
            f"{(time.perf_counter() - start) * 1000:.0f} ms after the call")
        self.assertEqual(AsyncResult(a.id, app=self.app).get(timeout=5), 10)
        meta = json.loads(self.meta(a.id))
        self.assertEqual((meta["name"], meta["args"], meta["kwargs"], meta["queue"]),
                         ("qs.flaky", [0], {"k": 10}, "work"))

        # Twice acts once (a lost reply re-sent): the result is no longer the snapshot.
        again = self.rerun.call(self.r, "work", self.p, items=[item(a)])
        self.assertEqual((again.done, again.skipped), (0, 1))
        self.assertEqual(again.reason_for(a.id), "result changed since it was read")
        out = self.rerun.call(self.r, "work", self.p, items=[item(c), item(d)])
        self.assertEqual(out.done, 2)
        again = self.rerun.call(self.r, "work", self.p, items=[item(c)])
        if self.meta(c.id) is None:  # not run yet: the meta is gone
            self.assertEqual(again.reason_for(c.id), "no result any more (already re-run or expired)")
        self.assertEqual(again.done, 0)
        wait_for(lambda: self.status(c.id) == self.status(d.id) == "SUCCESS", "c and d")
        self.assertEqual(self.pending("work"), [[]] * 10)
        # Each task ran exactly once more: one SUCCESS, no copies left anywhere.
        self.assertEqual(self.r.hlen(self.p + b"unacked"), 0)

    def test_bulk_rerun_and_restore_1000(self):
        import celery_messages
        count = 1000
        self.worker(["bulk"], "bulk")
        tasks = [self.app.send_task("qs.flaky", args=[n], queue="bulk").id for n in range(count)]
        wait_for(lambda: self.r.hlen("qs-test:runs") == count and
                 all(m for m in self.r.mget([f"celery-task-meta-{t}" for t in tasks])),
                 f"{count} failures", timeout=60, interval=0.1)
        metas = self.r.mget([f"celery-task-meta-{t}" for t in tasks])
        items = [(t, m, celery_messages.rerun_message(m, "bulk"), "bulk") for t, m in zip(tasks, metas)]
        self.r.set(HEAL_KEY, "1")
        # Calls are bounded by bytes, not only by count: Redis copies every ARGV into Lua before
        # the script starts (~15 ms per 4 MB here), and these items are ~3 KB each.
        outs = [self.rerun.call(self.r, "bulk", self.p, items=items[i:i + CELERY_BATCH])
                for i in range(0, count, CELERY_BATCH)]
        self.assertEqual((sum(o.done for o in outs), sum(o.skipped for o in outs)), (count, 0))
        log(f"celery-rerun [prefix={self.PREFIX!r}]: {count} re-runs in calls of {CELERY_BATCH} "
            f"(~{batch_bytes(items[:CELERY_BATCH]) // 1024} KiB): " + "; ".join(o.timing() for o in outs))
        self.assertEqual(self.rerun.call(self.r, "bulk", self.p, items=items).done, 0)
        wait_for(lambda: all(json.loads(m)["status"] == "SUCCESS" for m in
                             self.r.mget([f"celery-task-meta-{t}" for t in tasks]) if m) and
                 self.r.llen(self.p + b"bulk") == 0 and
                 all(self.r.mget([f"celery-task-meta-{t}" for t in tasks])),
                 "the re-runs to succeed", timeout=60, interval=0.1)
        runs = {k.decode(): int(v) for k, v in self.r.hgetall("qs-test:runs").items()}
        self.assertEqual(runs, {t: 2 for t in tasks})  # failed once, re-run exactly once

        # restore: a worker reserves 1000 countdown tasks, then dies.
        for worker in self.workers:
            worker.kill9()
        victim = self.worker(["parked"], "reserver")
        ids = {self.app.send_task("qs.add", args=[n], queue="parked", countdown=3600).id
               for n in range(count)}
        wait_for(lambda: self.r.hlen(self.p + b"unacked") == count, f"{count} reserved",
                 timeout=60, interval=0.1)
        victim.kill9()
        wait_for(lambda: celery_messages.live_pidbox_subscribers(self.r, self.PREFIX) == 0, "no worker")
        table = celery_messages.bindings(self.r, self.p)
        tags = self.r.zrevrange(self.p + b"unacked_index", 0, -1)
        values = self.r.hmget(self.p + b"unacked", tags)
        items = [celery_messages.restore_item(t, v, table) for t, v in zip(tags, values)]
        outs = [self.restore.call(self.r, "parked", self.p, items=items[i:i + CELERY_BATCH])
                for i in range(0, count, CELERY_BATCH)]
        log(f"celery-restore [prefix={self.PREFIX!r}]: {count} restores in calls of {CELERY_BATCH} "
            f"(~{batch_bytes(items[:CELERY_BATCH]) // 1024} KiB): " + "; ".join(o.timing() for o in outs))
        self.assertEqual((sum(o.done for o in outs), sum(o.skipped for o in outs)), (count, 0))
        queued = [json.loads(m)["headers"]["id"] for m in self.r.lrange(self.p + b"parked", 0, -1)]
        self.assertEqual(len(queued), count)
        self.assertEqual(set(queued), ids)
        self.assertEqual(self.r.hlen(self.p + b"unacked"), 0)
        self.assertEqual(self.r.zcard(self.p + b"unacked_index"), 0)

    # ---- celery-purge ----

    def test_purge_all_priority_lists_leaves_unacked(self):
        steps_app = Celery("steps")
        configure(steps_app, self.server.url, self.PREFIX)
        # A producer with priority_steps 0..9 fills sub-lists kombu's default steps never use.
        steps_app.conf.broker_transport_options = dict(
            steps_app.conf.broker_transport_options, priority_steps=list(range(10)))
        for n in range(10):
            steps_app.send_task("qs.add", args=[n], queue="reports", priority=n)
            self.app.send_task("qs.add", args=[n], queue="reports", priority=n)  # default steps
        lists = self.pending("reports")
        # default steps 0/3/6/9 map 0-2, 3-5, 6-8, 9; the other producer fills every list
        self.assertEqual([len(x) for x in lists], [4, 1, 1, 4, 1, 1, 4, 1, 1, 2])
        # Reserved messages (a worker holding countdown tasks) stay in unacked.
        self.worker(["work"], "purge")
        for n in range(2):
            self.app.send_task("qs.add", args=[n], queue="work", countdown=3600)
        wait_for(lambda: self.r.hlen(self.p + b"unacked") == 2, "the reserved ETA tasks")
        unacked = self.r.hgetall(self.p + b"unacked")
        binding = self.r.smembers(self.p + b"_kombu.binding.reports")

        # What Celery's own purge would take (kombu Channel._purge with default steps):
        with self.app.connection_for_write() as connection:
            default_steps = connection.default_channel.priority_steps
        out = self.purge.call(self.r, "reports", self.p)
        self.assertEqual((out.done, out.skipped, out.more), (20, 0, False))
        log(f"celery-purge [prefix={self.PREFIX!r}]: 20 messages in 10 lists, {out.timing()}; "
            f"kombu's purge (steps {default_steps}) would have taken "
            f"{sum(len(lists[s]) for s in default_steps)}")
        self.assertEqual(self.pending("reports"), [[]] * 10)
        self.assertEqual(self.r.hgetall(self.p + b"unacked"), unacked)
        self.assertEqual(self.r.smembers(self.p + b"_kombu.binding.reports"), binding)
        self.assertEqual(self.purge.call(self.r, "reports", self.p).done, 0)

    # ---- celery-restore and the dead-worker signal ----

    def test_restore_after_kill9(self):
        import celery_messages
        # Two threads, prefetching while both run: a task that stored its result but is not
        # acked yet (acks_late, held in after_return), an acks_late task running (STARTED), an
        # ETA task, 3 prefetched tasks.
        worker = self.worker(["work"], "victim", pool="threads --concurrency=2", prefetch=4)
        self.assertEqual(celery_messages.live_pidbox_subscribers(self.r, self.PREFIX), 1)
        lingering = self.app.send_task("qs.linger", queue="work")
        wait_for(lambda: self.r.exists("qs-test:lingering"), "linger to store its result")
        running = self.app.send_task("qs.hold_late", queue="work")
        wait_for(lambda: self.r.exists(HELD_KEY), "the acks_late task to run")
        eta = self.app.send_task("qs.add", args=[100], queue="work", countdown=3600)
        prefetched = [self.app.send_task("qs.add", args=[n], queue="work") for n in range(3)]
        expected = {lingering.id, running.id, eta.id} | {t.id for t in prefetched}
        wait_for(lambda: set(self.unacked_ids()) == expected, "the 6 unacked deliveries")
        self.assertEqual(self.status(lingering.id), "SUCCESS")
        self.assertEqual(self.status(running.id), "STARTED")
        if not self.PREFIX:
            seen = celery_messages.heartbeat_hostnames(self.r, self.PREFIX, seconds=2.5)
            self.assertEqual(len(seen), 1, seen)

        worker.kill9()
        t0 = time.perf_counter()
        wait_for(lambda: celery_messages.live_pidbox_subscribers(self.r, self.PREFIX) == 0,
                 "the probe to see no worker", timeout=5, interval=0.001)
        log(f"celery-restore [prefix={self.PREFIX!r}]: pidbox probe reached 0 subscribers "
            f"{(time.perf_counter() - t0) * 1000:.1f} ms after kill -9 returned")
        if not self.PREFIX:
            self.assertEqual(celery_messages.heartbeat_hostnames(self.r, seconds=4.5), set())
        # What is NOT a signal: the dead worker's bindings stay, and its pidbox subscription
        # was a pattern (PSUBSCRIBE), which PUBSUB NUMSUB never counts.
        self.assertEqual(len(self.r.smembers(self.p + b"_kombu.binding.celery.pidbox")), 1)
        self.assertEqual(self.r.pubsub_numsub(f"{self.PREFIX}/0.celery.pidbox")[0][1], 0)
        unacked_key = self.p + b"unacked"
        self.assertEqual(set(self.unacked_ids()), expected)  # kill -9 leaves them all

        table = celery_messages.bindings(self.r, self.p)
        index = self.r.zrevrange(self.p + b"unacked_index", 0, -1)  # newest delivery first
        items = [celery_messages.restore_item(tag, self.r.hget(unacked_key, tag), table) for tag in index]
        self.assertTrue(all(i and i[4] == "work" for i in items))
        out = self.restore.call(self.r, "work", self.p, items=items)
        self.assertEqual((out.done, out.skipped), (5, 1), out)
        linger_tag = next(i[0] for i in items if i[1] == lingering.id)
        self.assertEqual(out.reason_for(linger_tag), f"task {lingering.id} already ran (result SUCCESS)")
        self.assertEqual(self.unacked_ids(), [lingering.id])  # left for the operator to see
        self.assertEqual(self.r.zrange(self.p + b"unacked_index", 0, -1), [linger_tag])
        queued = [json.loads(m) for m in self.r.lrange(self.p + b"work", 0, -1)]
        self.assertEqual([m["headers"]["id"] for m in queued],
                         [i[1] for i in items if i[0] != linger_tag])
        self.assertEqual(queued[-1]["headers"]["id"], running.id)  # the oldest delivery runs first
        self.assertTrue(all(m["headers"]["redelivered"] and m["properties"]["delivery_info"]["redelivered"]
                            for m in queued))
        again = self.restore.call(self.r, "work", self.p, items=items)
        self.assertEqual((again.done, again.skipped), (0, 6))
        self.assertEqual(again.reason_for(items[0][0]), "not unacked any more (acknowledged or restored)")

        # A new worker runs the restored tasks (the acks_late one again: at-least-once, as
        # acks_late asks) and holds the ETA task again under the same delivery tag: the old
        # snapshot of that entry no longer matches and is skipped.
        self.r.set(RELEASE_KEY, "1")
        t0 = time.perf_counter()
        self.worker(["work"], "rescuer")
        ready = time.perf_counter()
        wait_for(lambda: all(self.status(t.id) == "SUCCESS" for t in prefetched + [running]),
                 "the restored tasks")
        log(f"celery-restore [prefix={self.PREFIX!r}]: new worker ready after {ready - t0:.1f} s, "
            f"ran the 4 restored tasks {(time.perf_counter() - ready) * 1000:.0f} ms later")
        eta_tag = next(i[0] for i in items if i[1] == eta.id)
        wait_for(lambda: self.r.hexists(unacked_key, eta_tag), "the ETA task to be reserved again")
        stale = next(i for i in items if i[0] == eta_tag)
        out = self.restore.call(self.r, "work", self.p, items=[stale])
        self.assertEqual(out.reason_for(eta_tag), "unacked entry changed since it was read (delivered again)")
        self.assertEqual(self.r.llen(self.p + b"work"), 0)
        self.assertEqual(self.status(eta.id), "PENDING")  # still waiting for its ETA, once
        self.assertEqual(self.r.get("qs-test:runs:linger"), b"1")
        self.assertEqual(self.r.get("qs-test:runs:hold_late"), b"2")

    def unacked_ids(self):
        return [json.loads(v)[0]["headers"]["id"] for v in self.r.hvals(self.p + b"unacked")]


class CeleryActionsPlain(CeleryActionTests, unittest.TestCase):
    PREFIX = ""


class CeleryActionsPrefixed(CeleryActionTests, unittest.TestCase):
    PREFIX = "qsp:"

    # prefix-independent; once is enough
    test_rerun_envelope_is_what_celery_publishes = None
    test_bulk_rerun_and_restore_1000 = None


if __name__ == "__main__":
    import shutil
    import tempfile
    from redis_server import RedisServer
    SERVER = RedisServer().start()
    LOG_DIR = tempfile.mkdtemp(prefix="qs-celery-actions-")
    started = time.time()
    program = unittest.main(exit=False, verbosity=2, warnings="ignore")
    log(f"celery_actions_test: {time.time() - started:.1f} s")
    SERVER.stop()
    shutil.rmtree(LOG_DIR, ignore_errors=True)
    sys.exit(0 if program.result.wasSuccessful() else 1)
