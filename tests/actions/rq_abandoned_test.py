#!/usr/bin/python3
"""RQ 1.13's abandoned jobs (started, their worker gone) moved to failed by QueueScope's
"Move to failed" (restore; models/frameworks/rq/scripts/rq-fail-abandoned.lua):

* the script against RQ's own StartedJobRegistry.cleanup(), field by field, on jobs RQ's own API
  put in the started registry of a worker that never registered;
* the real `queuescope` binary (QS_QUEUESCOPE_BIN) on jobs of real `rq worker`s killed with -9
  mid-job (tests/queues/rq_workers.py: heartbeats cut to seconds), a live worker's job beside
  them, then RQ's own API and real workers on the result.

Run: QS_QUEUESCOPE_BIN=build/app/queuescope /usr/bin/python3 tests/actions/rq_abandoned_test.py
"""

import json
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cli_python_test import queuescope  # noqa: E402
from rq_actions_test import JOBS, now_ms  # noqa: E402
from waiting import log, wait_for  # noqa: E402

FIXTURE = os.path.join(HERE, "..", "queues", "rq_workers.py")
FIXTURE_RELEASE = "qs-fixture:release"  # rq_workers.py: set, every held job ends
LATER_MS = 65_000  # the `now` at which abandon()'s started entries have expired


class RqWorkerFixture:
    """One real `rq worker` run by tests/queues/rq_workers.py (its line protocol)."""

    def __init__(self, url, queue, name):
        self.proc = subprocess.Popen([sys.executable, FIXTURE, "--url", url, "--queue", queue,
                                      "--name", name], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.name = name
        self.ask(None)  # {"ready": true}

    def ask(self, request):
        if request is not None:
            self.proc.stdin.write(request + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"rq_workers.py ({self.name}) ended: exit {self.proc.wait()}")
        return json.loads(line)

    def slow(self, **retry):
        """A held job running on this worker; retry: rq.Retry(max=retry, interval=...)."""
        return self.ask("slow" + (" " + json.dumps(retry) if retry else ""))["job"]

    def kill(self):
        self.ask("kill")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        self.proc.stdout.close()


class ScriptAgainstRQ(unittest.TestCase):
    """rq-fail-abandoned next to RQ's own StartedJobRegistry.cleanup()."""

    def setUp(self):
        self.r = SERVER.client()
        self.r.flushall()

    def abandon(self, queue, worker="ghost", **enqueue):
        """A job that a worker took and never finished, written by RQ's own code: dequeued, its
        execution prepared by `worker` (no such worker hash) and its started entry scored to
        expire in a minute (LATER is past that)."""
        from rq import Queue
        from rq.utils import utcnow
        q = Queue(queue, connection=self.r)
        job = q.enqueue(JOBS + "succeed", 1, **enqueue)
        self.r.lrem(q.key, 0, job.id)
        with self.r.pipeline() as pipe:
            job.prepare_for_execution(worker, pipe)
            job.heartbeat(utcnow(), 60, pipeline=pipe)
            pipe.execute()
        self.assertIsNotNone(self.r.zscore(f"rq:wip:{queue}", job.id))
        return job.id

    def test_same_fields_as_rq_cleanup_only_for_expired_jobs_of_gone_workers(self):
        from rq import Retry
        from rq.job import Job
        from rq.registry import StartedJobRegistry
        from script_caller import ActionScript
        script = ActionScript("rq-fail-abandoned")
        kinds = {"plain": {"failure_ttl": 3600}, "default ttl": {},
                 "retries": {"retry": Retry(max=2)},
                 "interval": {"retry": Retry(max=1, interval=[120])}}
        theirs = {kind: self.abandon("theirs", **kw) for kind, kw in kinds.items()}
        ours = {kind: self.abandon("ours", **kw) for kind, kw in kinds.items()}
        lone = self.abandon("ours", worker="")  # a job that records no worker
        ours_ids = list(ours.values()) + [lone]

        # Before the entries expire, nothing moves (RQ's cleanup would not either).
        early = script.call(self.r, "ours", items=ours_ids)
        self.assertEqual((early.done, early.skipped), (0, 5), early)
        self.assertEqual({reason for _, reason in early.reasons},
                         {"its heartbeat has not expired yet"})

        later = now_ms() + LATER_MS
        StartedJobRegistry("theirs", connection=self.r).cleanup(timestamp=later / 1000)
        calls = script.run_all(self.r, "ours", now=later, limit=2)
        self.assertEqual(sum(c.done for c in calls), 5, calls)
        self.assertEqual(sum(c.skipped for c in calls), 0, calls)
        tally = {}
        for c in calls:
            for what, n in c.tally.items():
                tally[what] = tally.get(what, 0) + n
        self.assertEqual(tally, {"moved to failed": 3, "requeued (retries left)": 1,
                                 "scheduled for retry (retries left)": 1})
        for queue in ("theirs", "ours"):
            self.assertEqual(self.r.zcard(f"rq:wip:{queue}"), 0)
        for kind in kinds:
            mine, rq = Job.fetch(ours[kind], connection=self.r), Job.fetch(theirs[kind], connection=self.r)
            self.assertEqual(mine.get_status(), rq.get_status(), kind)
            self.assertEqual(mine.retries_left, rq.retries_left, kind)
            self.assertEqual(self.r.hget(mine.key, "origin"), b"ours")
        # Failed: RQ's exc_info text (zlib, read back by RQ), failure_ttl score and hash TTL.
        for kind, ttl in (("plain", 3600), ("default ttl", 31536000)):
            mine = Job.fetch(ours[kind], connection=self.r)
            self.assertEqual(mine.get_status(), "failed")
            self.assertTrue(mine._exc_info.startswith("Moved to FailedJobRegistry at "), mine._exc_info)
            self.assertTrue(mine._exc_info.endswith("by QueueScope: worker ghost is gone"), mine._exc_info)
            self.assertEqual(self.r.zscore("rq:failed:ours", mine.id), later // 1000 + ttl)
            rq_score = self.r.zscore("rq:failed:theirs", theirs[kind])
            self.assertLessEqual(abs(rq_score - time.time() - ttl), 3, kind)
            self.assertLessEqual(abs(self.r.ttl(mine.key) - self.r.ttl(f"rq:job:{theirs[kind]}")), 2, kind)
        lone_job = Job.fetch(lone, connection=self.r)
        self.assertEqual(lone_job.get_status(), "failed")
        self.assertIn("no worker recorded", lone_job._exc_info)
        # Retries left: requeued at the tail, or scheduled after the interval, as RQ does.
        self.assertEqual(self.r.lrange("rq:queue:ours", 0, -1), [ours["retries"].encode()])
        self.assertEqual(self.r.lrange("rq:queue:theirs", 0, -1), [theirs["retries"].encode()])
        self.assertEqual(self.r.zscore("rq:scheduled:ours", ours["interval"]), later // 1000 + 120)
        self.assertIsNotNone(self.r.zscore("rq:scheduled:theirs", theirs["interval"]))
        self.assertEqual(self.r.hget(f"rq:job:{ours['retries']}", "status"), b"queued")
        self.assertIn(b"rq:queue:ours", self.r.smembers("rq:queues"))

        # Twice acts once (a lost reply re-sent): the ids are no longer started.
        again = script.call(self.r, "ours", items=ours_ids, now=later)
        self.assertEqual((again.done, again.skipped), (0, 5))
        self.assertEqual(again.reason_for(lone), "not in started")

    def test_skips_live_workers_and_stale_entries(self):
        from script_caller import ActionScript
        script = ActionScript("rq-fail-abandoned")
        alive = self.abandon("q", worker="still-here")
        self.r.hset("rq:worker:still-here", "state", "busy")  # as its heartbeat keeps it
        said_goodbye = self.abandon("q", worker="leaving")
        self.r.hset("rq:worker:leaving", mapping={"state": "busy", "death": "2026-01-01T00:00:00Z"})
        gone_hash = self.abandon("q")
        self.r.delete(f"rq:job:{gone_hash}")
        stale = self.abandon("q")
        self.r.hset(f"rq:job:{stale}", "status", "finished")
        later = now_ms() + LATER_MS
        out = script.call(self.r, "q", items=[alive, said_goodbye, gone_hash, stale], now=later)
        self.assertEqual((out.done, out.skipped), (1, 3), out)
        self.assertEqual(out.reason_for(alive), "its worker is alive")
        self.assertEqual(out.reason_for(gone_hash), "job hash is gone (expired); removed from started")
        self.assertEqual(out.reason_for(stale), "status is finished, not started")
        self.assertEqual(self.r.hget(f"rq:job:{said_goodbye}", "status"), b"failed")
        self.assertEqual(sorted(self.r.zrange("rq:wip:q", 0, -1)), sorted([alive.encode(), stale.encode()]))


    def test_1000_abandoned_jobs_in_one_call(self):
        from script_caller import ActionScript
        script = ActionScript("rq-fail-abandoned")
        ids = [self.abandon("bulk", worker=f"gone-{n % 10}") for n in range(1000)]
        calls = script.run_all(self.r, "bulk", now=now_ms() + LATER_MS, limit=1000)
        log("rq-fail-abandoned: 1000 abandoned jobs: " + "; ".join(c.timing() for c in calls))
        self.assertEqual([c.done for c in calls], [1000, 0][:len(calls)])
        self.assertTrue(all(c.elapsed_ms < 200 for c in calls), calls)  # goal 20: see the log
        self.assertEqual(self.r.zcard("rq:wip:bulk"), 0)
        self.assertEqual(set(self.r.zrange("rq:failed:bulk", 0, -1)), {i.encode() for i in ids})


class FromTheCommandLine(unittest.TestCase):
    """Real workers killed with -9; the product path: queuescope restore rq/<queue>."""

    queue = "rapports-é"

    def setUp(self):
        from rq import Queue
        self.r = SERVER.client()
        self.r.flushall()
        self.q = Queue(self.queue, connection=self.r)
        self.fixtures = []

    def tearDown(self):
        for fixture in self.fixtures:
            fixture.stop()

    def worker(self, name):
        fixture = RqWorkerFixture(SERVER.url, self.queue, name)
        self.fixtures.append(fixture)
        return fixture

    def cli(self, *args):
        return queuescope(args[0], "--url", SERVER.url, f"rq/{self.queue}", *args[1:])

    def kill_and_wait_abandoned(self, fixture, job_id):
        fixture.kill()
        # Offline (its hash expired) and the job's started entry past its expiry.
        def abandoned():
            score = self.r.zscore(f"rq:wip:{self.queue}", job_id)
            self.assertIsNotNone(score, "the killed worker's job left the started registry")
            return not self.r.exists(f"rq:worker:{fixture.name}") and score < time.time()
        wait_for(abandoned, f"{fixture.name}'s job to be abandoned", timeout=30, interval=0.1)

    def test_kill9_then_move_to_failed_and_requeue_runs_on_a_real_worker(self):
        from rq.job import Job
        from rq.registry import FailedJobRegistry, StartedJobRegistry
        dead = self.worker("doomed")
        abandoned = dead.slow()
        live = self.worker("busy-one")
        running = live.slow()  # the doomed worker is busy: the live one takes it
        self.kill_and_wait_abandoned(dead, abandoned)

        code, listing, out = queuescope("workers", "--url", SERVER.url, f"rq/{self.queue}", "--json")
        self.assertEqual(code, 0, out)
        self.assertEqual([s["id"] for s in listing["stuck"]], [abandoned], out)
        code, _, out = queuescope("workers", "--url", SERVER.url, f"rq/{self.queue}")
        self.assertIn('"Move to failed" makes it failed now', out)

        code, _, out = self.cli("restore", "--all")
        self.assertEqual(code, 4, out)
        self.assertIn("would move to failed every started job whose worker is gone", out)
        code, _, out = self.cli("restore", "--all", "--yes", "--read-only")
        self.assertEqual(code, 4, out)
        self.assertIn("read-only", out)
        self.assertEqual(self.r.hget(f"rq:job:{abandoned}", "status"), b"started")

        code, result, out = self.cli("restore", "--job", abandoned, "--job", running, "--yes", "--json")
        self.assertEqual(code, 1, out)  # partly done: the live worker's job is skipped
        self.assertEqual((result["done"], result["skipped"]), (1, 1), out)
        self.assertEqual(result["doneAs"], {"moved to failed": 1}, out)
        self.assertEqual(result["skippedReasons"], [{"id": running, "reason": "its worker is alive"}])
        # RQ's own API agrees.
        self.assertEqual(FailedJobRegistry(queue=self.q).get_job_ids(), [abandoned])
        job = Job.fetch(abandoned, connection=self.r)
        self.assertEqual(job.get_status(), "failed")
        self.assertIn("worker doomed is gone", job._exc_info)
        self.assertEqual(Job.fetch(running, connection=self.r).get_status(), "started")
        self.assertEqual(StartedJobRegistry(queue=self.q).get_job_ids(), [running])
        code, listing, out = queuescope("workers", "--url", SERVER.url, f"rq/{self.queue}", "--json")
        self.assertEqual(listing["stuck"], [], out)
        # --all has nothing left to move; the live worker's job is not even expired.
        code, result, out = self.cli("restore", "--all", "--yes", "--json")
        self.assertEqual((code, result["done"], result["skipped"]), (0, 0, 0), out)

        # Requeued from failed, the job runs again on the live worker and finishes.
        code, result, out = self.cli("retry", "--job", abandoned, "--yes", "--json")
        self.assertEqual((code, result["done"]), (0, 1), out)
        self.r.set(FIXTURE_RELEASE, "1")
        wait_for(lambda: job.get_status() == "finished", "the requeued job to finish", timeout=60,
                 interval=0.05)
        self.assertEqual(Job.fetch(running, connection=self.r).get_status(), "finished")
        self.assertEqual(FailedJobRegistry(queue=self.q).get_job_ids(), [])

    def test_a_job_with_retries_left_is_requeued_as_rq_does(self):
        from rq.job import Job
        from rq.registry import ScheduledJobRegistry
        first = self.worker("retrying")
        requeued = first.slow(retry=2)
        second = self.worker("waiting-one")  # started now: the first worker holds the first job
        scheduled = second.slow(retry=1, interval=[600])
        self.kill_and_wait_abandoned(first, requeued)
        self.kill_and_wait_abandoned(second, scheduled)

        code, result, out = self.cli("restore", "--all", "--yes", "--json")
        self.assertEqual((code, result["done"], result["skipped"]), (0, 2, 0), out)
        self.assertEqual(result["doneAs"], {"requeued (retries left)": 1,
                                            "scheduled for retry (retries left)": 1}, out)
        job = Job.fetch(requeued, connection=self.r)
        self.assertEqual((job.get_status(), job.retries_left), ("queued", 1))
        self.assertEqual(self.q.job_ids, [requeued])
        later = Job.fetch(scheduled, connection=self.r)
        self.assertEqual((later.get_status(), later.retries_left), ("scheduled", 0))
        self.assertEqual(ScheduledJobRegistry(queue=self.q).get_job_ids(), [scheduled])

        # A real worker runs the requeued job to the end.
        self.r.set(FIXTURE_RELEASE, "1")
        subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", SERVER.url,
                        "--path", os.path.dirname(FIXTURE), self.queue], check=True,
                       capture_output=True, timeout=120)
        self.assertEqual(job.get_status(), "finished")


if __name__ == "__main__":
    import shutil
    import cli_python_test
    from redis_server import RedisServer
    if not os.environ.get("QS_QUEUESCOPE_BIN"):
        sys.exit("QS_QUEUESCOPE_BIN must name the queuescope binary")
    SERVER = RedisServer().start()
    program = unittest.main(exit=False, verbosity=2, warnings="ignore")
    SERVER.stop()
    shutil.rmtree(cli_python_test.HOME, ignore_errors=True)
    sys.exit(0 if program.result.wasSuccessful() else 1)
