#!/usr/bin/python3
"""Proves the RQ action scripts (models/frameworks/rq/scripts/rq-*.lua) against RQ 1.13's own client and
real, unmodified `rq worker` processes, on a throwaway redis-server.

Run: /usr/bin/python3 tests/actions/rq_actions_test.py   (any cwd; exits non-zero on failure)

Scripts are called only through their `--!` header (script_caller.py), as the engine does.
Job functions live in this module: the workers import it as `rq_actions_test` (--path HERE).
"""

import datetime
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from waiting import log, wait_for  # noqa: E402

JOBS = "rq_actions_test."
HEAL_KEY = "qs-test:heal"
RELEASE_KEY = "qs-test:release"


# ---- Job functions (imported by the workers as rq_actions_test.<name>) ----

def flaky(n):
    """Fails until the test sets HEAL_KEY: real failures first, then a requeued run succeeds."""
    from rq import get_current_job
    if not get_current_job().connection.exists(HEAL_KEY):
        raise RuntimeError(f"flaky job {n} fails until healed")
    return n * 2


def succeed(n):
    return n + 1


def hold(marker):
    """Keeps a live worker busy: the job stays in rq:wip:<q> with a heartbeat score."""
    from rq import get_current_job
    connection = get_current_job().connection
    connection.set(marker, "1")
    deadline = time.time() + 120
    while time.time() < deadline and not connection.exists(RELEASE_KEY):
        time.sleep(0.05)


# ---- Helpers ----

def worker_command(url, queues, burst=False, simple=False):
    command = [sys.executable, "-m", "rq.cli", "worker", "--url", url, "--path", HERE,
               "--logging_level", "ERROR"]
    if simple:  # RQ's own non-forking worker class: same code path, no fork per job (bulk)
        command += ["--worker-class", "rq.worker.SimpleWorker"]
    if burst:
        command.append("--burst")
    return command + list(queues)


def burst(url, queues, workers=1, simple=True):
    """Real RQ workers in burst mode: run everything queued, then exit."""
    procs = [subprocess.Popen(worker_command(url, queues, burst=True, simple=simple),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for _ in range(workers)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            raise AssertionError(f"rq worker --burst failed:\n{err.decode()[-2000:]}")


class LiveWorker:
    """A long-running real `rq worker` (forking, RQ's default Worker class)."""

    def __init__(self, url, queues, redis):
        self.redis = redis
        before = set(redis.smembers("rq:workers"))
        self.proc = subprocess.Popen(worker_command(url, queues), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        # Registered (and, a moment later, blocked in BLPOP on its queues).
        wait_for(lambda: set(redis.smembers("rq:workers")) - before, "the rq worker to register",
                 timeout=30, interval=0.02)
        time.sleep(0.2)

    def stop(self):
        import signal
        self.redis.set(RELEASE_KEY, "1")
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.redis.delete(RELEASE_KEY)


def now_ms():
    return int(time.time() * 1000)


def rq_format(ms):
    """What the scripts write: RQ's utcformat of a ms instant."""
    dt = datetime.datetime.utcfromtimestamp(ms // 1000) + datetime.timedelta(milliseconds=ms % 1000)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


REGISTRIES = ("wip", "finished", "failed", "deferred", "scheduled", "canceled")


def places(r, queue, job_id):
    """Every place of queue `queue` that holds job_id (list and registries)."""
    found = []
    job_id = job_id.encode() if isinstance(job_id, str) else job_id
    n = r.lrange(f"rq:queue:{queue}", 0, -1).count(job_id)
    found += ["queued"] * n
    for reg in REGISTRIES:
        if r.zscore(f"rq:{reg}:{queue}", job_id) is not None:
            found.append(reg)
    return found


def assert_one_place(test, r, queue, ids, expected):
    """Invariant: every job is in exactly one place of the queue (list or a registry), the
    expected one, and its hash exists."""
    where = {}
    for job_id in r.lrange(f"rq:queue:{queue}", 0, -1):
        where.setdefault(job_id.decode(), []).append("queued")
    for reg in REGISTRIES:
        for job_id in r.zrange(f"rq:{reg}:{queue}", 0, -1):
            where.setdefault(job_id.decode(), []).append(reg)
    for job_id in ids:
        test.assertEqual(where.get(job_id), [expected], job_id)
    with r.pipeline(transaction=False) as pipe:
        for job_id in ids:
            pipe.exists(f"rq:job:{job_id}")
        test.assertTrue(all(pipe.execute()))


class RQActions(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        from redis_server import RedisServer
        from script_caller import ActionScript
        cls.server = RedisServer().start()
        cls.url = cls.server.url
        cls.requeue = ActionScript("rq-requeue")
        cls.remove = ActionScript("rq-remove")
        cls.clean = ActionScript("rq-clean")
        cls.empty = ActionScript("rq-empty")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.r = self.server.client()
        self.r.flushall()

    def queue(self, name):
        from rq import Queue
        return Queue(name, connection=self.r)

    def fail_jobs(self, queue, count, workers=1):
        """`count` real failures of flaky jobs in `queue` (enqueued with RQ, run by RQ)."""
        from rq import Queue
        self.r.delete(HEAL_KEY)
        q = self.queue(queue)
        before = self.r.zcard(f"rq:failed:{queue}")
        with self.r.pipeline() as pipe:
            jobs = q.enqueue_many([Queue.prepare_data(JOBS + "flaky", (n,)) for n in range(count)],
                                  pipeline=pipe)
            pipe.execute()
        burst(self.url, [queue], workers=workers)
        ids = [job.id for job in jobs]
        self.assertGreaterEqual(self.r.zcard(f"rq:failed:{queue}"), before + count)
        self.assertTrue(all(self.r.zscore(f"rq:failed:{queue}", i) for i in ids))
        return ids

    # ---- The timestamp formatter both scripts carry ----

    def test_lua_timestamps_are_rq_utcformat(self):
        import random
        import re
        from script_caller import include_path
        with open(include_path("rq-timestamp")) as f:
            formatter = f.read()  # the one formatter rq-requeue and rq-clean include
        probe = formatter + "local out = {} for i = 1, #ARGV do out[i] = rqTimestamp(tonumber(ARGV[i])) end return out"
        edges = [0, 951782399999, 951782400000, 1709251199999, 1709251200000, 4102444799999,
                 4107542399000, 1735689599999, 253402300799999]  # 2000-02-29/03-01, 2024, 2099-12-31, 2100-02-28 ...
        samples = edges + [random.randrange(0, 4102444800000) for _ in range(2000)]
        got = self.r.eval(probe, 0, *samples)
        self.assertEqual([g.decode() for g in got], [rq_format(ms) for ms in samples])

    # ---- rq-requeue ----

    def test_requeue_ids_mirrors_rq_and_a_live_worker_completes(self):
        from rq.job import Job
        from rq.registry import FailedJobRegistry
        ids = self.fail_jobs("mail", 4)
        a, b, c, d = ids

        # RQ's own requeue of `a` (no worker runs yet) vs the script's requeue of `b`.
        FailedJobRegistry("mail", connection=self.r).requeue(a)
        now = now_ms()
        out = self.requeue.call(self.r, "mail", items=[b], now=now)
        self.assertEqual((out.done, out.skipped, out.more), (1, 0, False), out)
        ours, theirs = self.r.hgetall(f"rq:job:{b}"), self.r.hgetall(f"rq:job:{a}")
        self.assertEqual(set(ours), set(theirs))
        for field in (b"status", b"started_at", b"ended_at", b"origin", b"timeout"):
            self.assertEqual(ours[field], theirs[field], field)
        self.assertEqual(ours[b"enqueued_at"], rq_format(now).encode())
        ja, jb = Job.fetch(a, connection=self.r), Job.fetch(b, connection=self.r)
        self.assertEqual((jb._exc_info, jb.started_at, jb.ended_at), (ja._exc_info, None, None))
        self.assertLess(abs(jb.enqueued_at.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000 - now), 1)
        ttl_a, ttl_b = self.r.ttl(f"rq:job:{a}"), self.r.ttl(f"rq:job:{b}")
        self.assertTrue(abs(ttl_a - ttl_b) <= 2 and ttl_b > 300 * 86400, (ttl_a, ttl_b))
        self.assertEqual(self.r.lrange("rq:queue:mail", 0, -1), [a.encode(), b.encode()])
        self.assertIn(b"rq:queue:mail", self.r.smembers("rq:queues"))

        # Doing it twice acts once (a lost reply re-sent); unknown ids are skipped.
        again = self.requeue.call(self.r, "mail", items=[b, "no-such-id"])
        self.assertEqual((again.done, again.skipped), (0, 2))
        self.assertEqual(again.reason_for(b), "not in failed")
        self.assertEqual(self.r.llen("rq:queue:mail"), 2)

        # A live worker picks the requeued jobs up and completes them.
        self.r.set(HEAL_KEY, "1")
        worker = LiveWorker(self.url, ["mail"], self.r)
        try:
            wait_for(lambda: self.r.hget(f"rq:job:{b}", "status") == b"finished", "a and b")
            wait_for(lambda: self.r.hget(f"rq:job:{a}", "status") == b"finished", "a")
            start = time.perf_counter()
            out = self.requeue.call(self.r, "mail", items=[c])
            self.assertEqual(out.done, 1)
            wait_for(lambda: self.r.hget(f"rq:job:{c}", "status") == b"started" or
                     self.r.hget(f"rq:job:{c}", "status") == b"finished", "pick-up of c")
            picked = time.perf_counter() - start
            wait_for(lambda: self.r.hget(f"rq:job:{c}", "status") == b"finished", "c to finish")
            done = time.perf_counter() - start
            log(f"rq-requeue: live rq worker picked the job up after {picked * 1000:.0f} ms, "
                f"finished after {done * 1000:.0f} ms")
        finally:
            worker.stop()
        for job_id in (a, b, c):
            self.assertEqual(places(self.r, "mail", job_id), ["finished"])
            results = Job.fetch(job_id, connection=self.r).results()
            self.assertEqual([res.type.name for res in results], ["SUCCESSFUL", "FAILED"])
        self.assertEqual(places(self.r, "mail", d), ["failed"])
        self.assertEqual(self.r.hget(f"rq:job:{d}", "status"), b"failed")

    def test_requeue_refuses_stale_and_foreign_entries(self):
        ids = self.fail_jobs("mail", 4)
        stale, foreign, gone, good = ids
        # RQ's Queue.enqueue_job of a failed job leaves its failed entry behind (stale: the job
        # is queued elsewhere). Running it there and failing again gives a `failed` job whose
        # origin is the other queue, still listed in failed:mail.
        from rq.job import Job
        other = self.queue("other")
        other.enqueue_job(Job.fetch(foreign, connection=self.r))
        burst(self.url, ["other"])
        self.assertEqual(self.r.hget(f"rq:job:{foreign}", "origin"), b"other")
        self.assertEqual(self.r.hget(f"rq:job:{foreign}", "status"), b"failed")
        self.queue("mail2").enqueue_job(Job.fetch(stale, connection=self.r))
        self.r.delete(f"rq:job:{gone}")  # as if its failure_ttl had passed

        out = self.requeue.call(self.r, "mail", items=ids)
        self.assertEqual((out.done, out.skipped), (1, 3), out)
        self.assertEqual(out.reason_for(stale), "status is queued, not failed")
        self.assertEqual(out.reason_for(foreign), "job belongs to queue other")
        self.assertEqual(out.reason_for(gone), "job hash is gone (expired); removed from failed")
        self.assertIsNone(self.r.zscore("rq:failed:mail", gone))
        self.assertEqual(places(self.r, "mail", stale), ["failed"])
        self.assertEqual(places(self.r, "mail", foreign), ["failed"])
        self.assertEqual(places(self.r, "mail", good), ["queued"])
        self.assertEqual(places(self.r, "other", foreign), ["failed"])

        # Batch mode steps over the entries it leaves (cursor) and terminates. (`good` runs
        # in the burst and fails again.)
        more = self.fail_jobs("mail", 5) + [good]
        calls = self.requeue.run_all(self.r, "mail", limit=2)
        self.assertEqual(sum(c.done for c in calls), 6)
        self.assertEqual(sum(c.skipped for c in calls), 2)  # stale + foreign, reported once each
        self.assertEqual(self.r.zcard("rq:failed:mail"), 2)
        for job_id in more:
            self.assertEqual(places(self.r, "mail", job_id), ["queued"])

    def test_requeue_all_2000_in_batches_of_1000(self):
        count = 2000
        t0 = time.perf_counter()
        ids = self.fail_jobs("bulk", count, workers=2)
        log(f"rq-requeue: {count} real failures by 2 burst SimpleWorkers in "
            f"{time.perf_counter() - t0:.1f} s")
        before = {i: self.r.hgetall(f"rq:job:{i}") for i in ids[:5]}
        calls = self.requeue.run_all(self.r, "bulk", limit=1000)
        times = [c.timing() for c in calls]
        log(f"rq-requeue all: {len(calls)} calls of <=1000: {'; '.join(times)}")
        self.assertEqual([c.done for c in calls], [1000, 1000, 0][:len(calls)])
        self.assertEqual(sum(c.done for c in calls), count)
        self.assertEqual(sum(c.skipped for c in calls), 0)
        self.assertTrue(all(c.elapsed_ms < 200 for c in calls), times)  # goal 20: see the log
        queued = [x.decode() for x in self.r.lrange("rq:queue:bulk", 0, -1)]
        self.assertEqual(len(queued), count)                      # nothing duplicated
        self.assertEqual(set(queued), set(ids))                   # nothing lost
        self.assertEqual(self.r.zcard("rq:failed:bulk"), 0)
        assert_one_place(self, self.r, "bulk", ids, "queued")
        for job_id, old in before.items():
            new = self.r.hgetall(f"rq:job:{job_id}")
            self.assertEqual(new[b"data"], old[b"data"])
            self.assertEqual(new[b"status"], b"queued")
        # Re-sending the whole batch (lost replies) acts on nothing.
        self.assertEqual(sum(c.done for c in self.requeue.run_all(self.r, "bulk", limit=1000)), 0)

        self.r.set(HEAL_KEY, "1")
        t0 = time.perf_counter()
        burst(self.url, ["bulk"], workers=2)
        log(f"rq-requeue all: real burst workers completed {count} requeued jobs in "
            f"{time.perf_counter() - t0:.1f} s")
        self.assertEqual(self.r.zcard("rq:finished:bulk"), count)
        self.assertEqual(self.r.llen("rq:queue:bulk"), 0)
        assert_one_place(self, self.r, "bulk", ids, "finished")
        statuses = {self.r.hget(f"rq:job:{i}", "status") for i in ids}
        self.assertEqual(statuses, {b"finished"})

    # ---- rq-remove ----

    def test_remove_deletes_like_job_delete_and_refuses_running_jobs(self):
        from datetime import timedelta
        q = self.queue("work")
        finished = q.enqueue(JOBS + "succeed", 1)
        failed = q.enqueue(JOBS + "flaky", 1)
        burst(self.url, ["work"])
        self.assertTrue(self.r.exists(f"rq:results:{failed.id}"))
        worker = LiveWorker(self.url, ["work"], self.r)
        try:
            running = q.enqueue(JOBS + "hold", "qs-test:held", job_timeout=600)
            wait_for(lambda: self.r.exists("qs-test:held"), "the held job to start")
            queued = q.enqueue(JOBS + "succeed", 2)
            deferred = q.enqueue(JOBS + "succeed", 3, depends_on=queued)
            scheduled = q.enqueue_in(timedelta(hours=1), JOBS + "succeed", 4)
            canceled = q.enqueue(JOBS + "succeed", 5)
            canceled.cancel()
            self.assertTrue(self.r.exists(f"rq:job:{queued.id}:dependents"))
            self.assertTrue(self.r.exists(f"rq:job::{deferred.id}:dependencies"))
            foreign = self.queue("elsewhere").enqueue(JOBS + "succeed", 6)

            victims = [finished, failed, queued, deferred, scheduled, canceled]
            ids = [j.id for j in victims] + [running.id, foreign.id, "no-such-id"]
            for job in victims + [running]:
                self.assertEqual(len(places(self.r, "work", job.id)), 1, job.get_status())
            out = self.remove.call(self.r, "work", items=ids)
            self.assertEqual((out.done, out.skipped), (6, 3), out)
            self.assertEqual(out.reason_for(running.id), "running on a live worker")
            self.assertEqual(out.reason_for(foreign.id), "job belongs to queue elsewhere")
            self.assertEqual(out.reason_for("no-such-id"), "no such job")
            for job in victims:
                self.assertEqual(places(self.r, "work", job.id), [])
                for key in (f"rq:job:{job.id}", f"rq:job:{job.id}:dependents",
                            f"rq:job::{job.id}:dependencies", f"rq:results:{job.id}"):
                    self.assertFalse(self.r.exists(key), key)
            self.assertEqual(places(self.r, "work", running.id), ["wip"])
            self.assertTrue(self.r.exists(f"rq:job:{running.id}"))
            self.assertTrue(self.r.exists(f"rq:job:{foreign.id}"))
            # Once the heartbeat score has passed (worker dead), the job can be deleted.
            score = self.r.zscore("rq:wip:work", running.id)
            later = self.remove.call(self.r, "work", items=[running.id], now=int(score * 1000) + 1)
            self.assertEqual(later.done, 1, later)
            self.assertEqual(places(self.r, "work", running.id), [])
            # Twice acts once.
            self.assertEqual(self.remove.call(self.r, "work", items=ids[:6]).done, 0)
        finally:
            worker.stop()

    # ---- rq-clean ----

    def test_clean_by_age_with_cursor(self):
        q = self.queue("old")
        from rq import Queue
        first = q.enqueue_many([Queue.prepare_data(JOBS + "succeed", (n,)) for n in range(5)])
        self.r.delete(HEAL_KEY)
        fails = q.enqueue_many([Queue.prepare_data(JOBS + "flaky", (n,)) for n in range(4)])
        burst(self.url, ["old"])
        time.sleep(0.05)
        cutoff = now_ms()
        time.sleep(0.05)
        second = q.enqueue_many([Queue.prepare_data(JOBS + "succeed", (n,)) for n in range(6)])
        burst(self.url, ["old"])
        canceled = q.enqueue(JOBS + "succeed", 9)
        canceled.cancel()
        # A stale entry: a finished job re-enqueued with RQ's API stays listed in finished.
        stale = second[0]
        from rq.job import Job
        self.queue("old2").enqueue_job(Job.fetch(stale.id, connection=self.r))
        self.assertEqual(self.r.zcard("rq:finished:old"), 11)

        calls = self.clean.run_all(self.r, "old", state="finished", cutoff=cutoff, limit=4)
        self.assertEqual(sum(c.done for c in calls), 5, calls)
        self.assertEqual(sum(c.skipped for c in calls), 1)
        self.assertEqual(calls[-1].cursor, b"0")
        for job in first:
            self.assertFalse(self.r.exists(f"rq:job:{job.id}"))
            self.assertFalse(self.r.exists(f"rq:results:{job.id}"))
        for job in second:
            self.assertTrue(self.r.exists(f"rq:job:{job.id}"))
        # cutoff = now: every finished job (the stale one is still refused).
        calls = self.clean.run_all(self.r, "old", state="finished", limit=4)
        self.assertEqual(sum(c.done for c in calls), 5)
        self.assertEqual(self.r.zrange("rq:finished:old", 0, -1), [stale.id.encode()])
        # failed: results streams (which never expire for failed runs) go with the jobs.
        self.assertTrue(all(self.r.exists(f"rq:results:{j.id}") for j in fails))
        calls = self.clean.run_all(self.r, "old", state="failed", cutoff=cutoff - 60000)
        self.assertEqual(sum(c.done for c in calls), 0)
        calls = self.clean.run_all(self.r, "old", state="failed", cutoff=cutoff)
        self.assertEqual(sum(c.done for c in calls), 4)
        for job in fails:
            self.assertFalse(self.r.exists(f"rq:job:{job.id}"))
            self.assertFalse(self.r.exists(f"rq:results:{job.id}"))
        self.assertEqual(self.r.zcard("rq:failed:old"), 0)
        # canceled: age from the registry score (cancel() sets no ended_at).
        self.assertEqual(sum(c.done for c in self.clean.run_all(
            self.r, "old", state="canceled", cutoff=cutoff)), 0)
        self.assertEqual(sum(c.done for c in self.clean.run_all(self.r, "old", state="canceled")), 1)
        self.assertFalse(self.r.exists(f"rq:job:{canceled.id}"))

        # Timing: one call over 1,000 finished jobs.
        many = q.enqueue_many([Queue.prepare_data(JOBS + "succeed", (n,)) for n in range(1000)])
        burst(self.url, ["old"], workers=2)
        calls = self.clean.run_all(self.r, "old", state="finished", limit=1000)
        log(f"rq-clean: {sum(c.done for c in calls)} finished jobs: "
            + "; ".join(c.timing() for c in calls))
        self.assertEqual(sum(c.done for c in calls), len(many))

    # ---- rq-empty ----

    def test_empty_bounded(self):
        from rq import Queue
        q = self.queue("flood")
        with self.r.pipeline() as pipe:
            jobs = q.enqueue_many([Queue.prepare_data(JOBS + "succeed", (n,)) for n in range(2500)],
                                  pipeline=pipe)
            pipe.execute()
        parent = jobs[0]
        child = q.enqueue(JOBS + "succeed", 0, depends_on=parent)  # deferred, not in the list
        self.assertTrue(self.r.exists(f"rq:job:{parent.id}:dependents"))
        calls = self.empty.run_all(self.r, "flood", limit=1000)
        log("rq-empty: 2500 queued jobs: " + "; ".join(c.timing() for c in calls))
        self.assertEqual([(c.done, c.more) for c in calls], [(1000, True), (1000, True), (500, False)])
        self.assertEqual(self.r.llen("rq:queue:flood"), 0)
        self.assertFalse(any(self.r.exists(f"rq:job:{j.id}") for j in jobs))
        self.assertFalse(self.r.exists(f"rq:job:{parent.id}:dependents"))
        # Like Queue.empty(): registries and the queue registry are untouched.
        self.assertEqual(places(self.r, "flood", child.id), ["deferred"])
        self.assertTrue(self.r.exists(f"rq:job:{child.id}"))
        self.assertIn(b"rq:queue:flood", self.r.smembers("rq:queues"))
        self.assertEqual(self.empty.run_all(self.r, "flood")[0].done, 0)


if __name__ == "__main__":
    started = time.time()
    program = unittest.main(exit=False, verbosity=2, warnings="ignore")
    log(f"rq_actions_test: {time.time() - started:.1f} s")
    sys.exit(0 if program.result.wasSuccessful() else 1)
