#!/usr/bin/python3
"""The real `queuescope` binary (QS_QUEUESCOPE_BIN) on Celery 5.2 and RQ 1.13 jobs made by the
frameworks themselves, with real workers finishing what QueueScope retried, re-ran or restored:
the product path end to end (command line -> engine -> script -> framework's worker).

Run: QS_QUEUESCOPE_BIN=build/app/queuescope /usr/bin/python3 tests/actions/cli_python_test.py
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import celery_actions_test as celery_kit  # noqa: E402  (tasks, worker, app config)
import kombu.pools  # noqa: E402
from waiting import wait_for  # noqa: E402
from celery import Celery  # noqa: E402

BIN = os.environ.get("QS_QUEUESCOPE_BIN")
HOME = tempfile.mkdtemp(prefix="qs-cli-python-home-")


def queuescope(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDIS_")}
    env.update(HOME=HOME, XDG_DATA_HOME=os.path.join(HOME, "data"))
    proc = subprocess.run([BIN, *args], capture_output=True, text=True, env=env, timeout=120)
    try:
        parsed = json.loads(proc.stdout)
    except ValueError:
        parsed = None
    return proc.returncode, parsed, proc.stdout + proc.stderr


class CeleryFromTheCommandLine(unittest.TestCase):
    def setUp(self):
        self.r = SERVER.client()
        self.r.flushall()
        # kombu remembers per process (global connection pools) which queues it declared, so
        # after FLUSHALL a publish would not bind "work" again: start as a fresh producer does.
        kombu.pools.reset()
        self.app = Celery("cli-client")
        celery_kit.configure(self.app, SERVER.url, "")
        self.workers = []

    def tearDown(self):
        self.r.set(celery_kit.RELEASE_KEY, "1")
        for worker in self.workers:
            worker.stop()

    def worker(self, name):
        worker = celery_kit.Worker(SERVER.url, "", ["work"], name, log_dir=LOG_DIR)
        self.workers.append(worker)
        return worker

    def status(self, task_id):
        raw = self.r.get(f"celery-task-meta-{task_id}")
        return json.loads(raw)["status"] if raw else "PENDING"

    def test_failures_are_listed_and_rerun_once_by_a_real_worker(self):
        self.worker("cli-rerun")
        tasks = [self.app.send_task("qs.flaky", args=[n], kwargs={"k": 1}, queue="work") for n in range(3)]
        wait_for(lambda: all(self.status(t.id) == "FAILURE" for t in tasks), "the failures")
        code, page, out = queuescope("jobs", "--url", SERVER.url, "celery/work", "failure", "--json")
        self.assertEqual(code, 0, out)
        listed = {job["id"] for job in page["jobs"]}
        while page.get("nextCursor", "0") != "0":  # SCAN-based: follow the cursor
            code, page, out = queuescope("jobs", "--url", SERVER.url, "celery/work", "failure",
                                         "--cursor", page["nextCursor"], "--json")
            listed |= {job["id"] for job in page["jobs"]}
        self.assertEqual(listed, {t.id for t in tasks})
        code, detail, out = queuescope("job", "--url", SERVER.url, "celery/work", tasks[0].id, "--json")
        self.assertEqual(code, 0, out)
        self.assertTrue(any(s["title"] == "Traceback" and "fails until healed" in s["content"]
                            for s in detail["sections"]), out)

        self.r.set(celery_kit.HEAL_KEY, "1")
        ids = [arg for t in tasks for arg in ("--job", t.id)]
        code, result, out = queuescope("retry", "--url", SERVER.url, "celery/work", *ids, "--yes", "--json")
        self.assertEqual(code, 0, out)
        self.assertEqual(result["done"], 3, out)
        wait_for(lambda: all(self.status(t.id) == "SUCCESS" for t in tasks), "re-runs to succeed")
        # Once: a second run finds no FAILURE to re-run.
        code, again, out = queuescope("retry", "--url", SERVER.url, "celery/work", *ids, "--yes", "--json")
        self.assertEqual(again["done"], 0, out)
        self.assertEqual(code, 1, out)  # partial: every id skipped, with the reason
        runs = {k.decode(): int(v) for k, v in self.r.hgetall("qs-test:runs").items()}
        self.assertEqual(sorted(runs[t.id] for t in tasks), [2, 2, 2])

    def test_restore_is_refused_while_a_worker_lives_and_works_after_kill9(self):
        worker = self.worker("cli-restore")
        held = self.app.send_task("qs.hold_late", queue="work")
        wait_for(lambda: self.r.exists(celery_kit.HELD_KEY), "the acks_late task to start")
        code, result, out = queuescope("restore", "--url", SERVER.url, "celery/work", "--all", "--yes", "--json")
        self.assertEqual(code, 4, out)
        self.assertIn("worker(s) are connected", out)
        self.assertEqual(self.r.hlen("unacked"), 1)
        worker.kill9()
        code, result, out = queuescope("restore", "--url", SERVER.url, "celery/work", "--all", "--yes", "--json")
        self.assertEqual(code, 0, out)
        self.assertEqual(result["done"], 1, out)
        self.assertEqual(self.r.hlen("unacked"), 0)
        self.r.set(celery_kit.RELEASE_KEY, "1")
        self.worker("cli-after")
        wait_for(lambda: self.r.get("qs-test:runs:hold_late") == b"2", "the restored task to run again")
        wait_for(lambda: self.status(held.id) == "SUCCESS", "the restored task to succeed")

    def test_purge(self):
        for n in range(4):
            self.app.send_task("qs.add", args=[n], queue="work", priority=n * 3)
        code, result, out = queuescope("drain", "--url", SERVER.url, "celery/work", "--yes", "--json")
        self.assertEqual((code, result["done"]), (0, 4), out)
        code, page, out = queuescope("jobs", "--url", SERVER.url, "celery/work", "pending", "--json")
        self.assertEqual(code, 0, out)
        self.assertEqual(page["total"], 0, out)


    def test_an_unknown_queue_is_an_error_and_an_emptied_one_is_not(self):
        # A queue a worker emptied: kombu deleted its list, its binding stays.
        self.worker("cli-known")
        task = self.app.send_task("qs.add", args=[1], queue="work")
        wait_for(lambda: self.status(task.id) == "SUCCESS", "the task to run")
        self.assertFalse(self.r.exists("work"))
        code, page, out = queuescope("jobs", "--url", SERVER.url, "celery/work", "pending", "--json")
        self.assertEqual((code, page["total"]), (0, 0), out)
        for call in (["jobs", "celery/wrok", "pending"], ["retry", "celery/wrok", "--job", task.id],
                     ["drain", "celery/wrok"], ["drain", "celery/wrok", "--yes"],
                     ["restore", "celery/wrok", "--all", "--yes"]):
            code, _, out = queuescope(call[0], "--url", SERVER.url, *call[1:])
            self.assertEqual(code, 1, out)
            self.assertIn(f"no queue 'celery/wrok' on redis://127.0.0.1:{SERVER.port}/0; "
                          "did you mean 'celery/work'?", out)
        code, _, out = queuescope("jobs", "--url", SERVER.url, "rq/work", "queued")
        self.assertEqual(code, 1, out)
        self.assertIn("did you mean 'celery/work'?", out)


class RQFromTheCommandLine(unittest.TestCase):
    def setUp(self):
        import redis
        from rq import Queue
        self.r = redis.Redis.from_url(SERVER.url)
        self.r.flushall()
        self.queue = Queue("rapports-é", connection=self.r)

    def burst(self):
        env = dict(os.environ, PYTHONPATH=HERE)
        subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", SERVER.url,
                        self.queue.name], cwd=HERE, env=env, check=True, capture_output=True,
                       timeout=120)

    def test_requeue_all_and_a_real_worker_finishes(self):
        from rq.registry import FailedJobRegistry, FinishedJobRegistry
        jobs = [self.queue.enqueue("rq_actions_test.flaky", n) for n in range(5)]
        self.burst()
        failed = FailedJobRegistry(queue=self.queue)
        self.assertEqual(len(failed), 5)
        code, page, out = queuescope("jobs", "--url", SERVER.url, f"rq/{self.queue.name}", "failed", "--json")
        self.assertEqual((code, page["total"]), (0, 5), out)
        self.assertTrue(all("fails until healed" in job.get("failedReason", "") for job in page["jobs"]), out)
        code, dry, out = queuescope("retry", "--url", SERVER.url, f"rq/{self.queue.name}", "--all")
        self.assertEqual(code, 4, out)
        self.r.set("qs-test:heal", "1")
        code, result, out = queuescope("retry", "--url", SERVER.url, f"rq/{self.queue.name}", "--all", "--yes", "--json")
        self.assertEqual((code, result["done"]), (0, 5), out)
        self.burst()
        self.assertEqual(len(FinishedJobRegistry(queue=self.queue)), 5)
        self.assertEqual(len(failed), 0)
        for job in jobs:
            job.refresh()
            self.assertEqual(job.get_status(), "finished")
        code, cleaned, out = queuescope("clean", "--url", SERVER.url, f"rq/{self.queue.name}", "finished", "--yes", "--json")
        self.assertEqual((code, cleaned["done"]), (0, 5), out)
        self.assertEqual(len(FinishedJobRegistry(queue=self.queue)), 0)
        self.assertFalse(any(self.r.exists(f"rq:job:{job.id}") for job in jobs))


    def test_an_unknown_queue_is_an_error_and_an_emptied_one_is_not(self):
        self.queue.enqueue("rq_actions_test.flaky", 1)
        self.queue.empty()  # RQ's own empty(): the list is gone, rq:queues still names the queue
        code, page, out = queuescope("jobs", "--url", SERVER.url, f"rq/{self.queue.name}", "queued", "--json")
        self.assertEqual((code, page["total"]), (0, 0), out)
        for call in (["jobs", "rq/rapports-e", "failed"], ["retry", "rq/rapports-e", "--all", "--yes"],
                     ["clean", "rq/rapports-e", "finished", "--yes"], ["drain", "rq/rapports-e"]):
            code, _, out = queuescope(call[0], "--url", SERVER.url, *call[1:])
            self.assertEqual(code, 1, out)
            self.assertIn("no queue 'rq/rapports-e' on ", out)
            self.assertIn("did you mean 'rq/rapports-é'?", out)
        code, _, out = queuescope("jobs", "--url", SERVER.url, "sidekiq/rapports-é", "retries")
        self.assertEqual(code, 1, out)
        self.assertIn("did you mean 'rq/rapports-é'?", out)


if __name__ == "__main__":
    import shutil
    from redis_server import RedisServer
    if not BIN:
        sys.exit("QS_QUEUESCOPE_BIN must name the queuescope binary")
    SERVER = RedisServer().start()
    celery_kit.SERVER = SERVER
    LOG_DIR = tempfile.mkdtemp(prefix="qs-cli-python-")
    program = unittest.main(exit=False, verbosity=2, warnings="ignore")
    SERVER.stop()
    shutil.rmtree(LOG_DIR, ignore_errors=True)
    shutil.rmtree(HOME, ignore_errors=True)
    sys.exit(0 if program.result.wasSuccessful() else 1)
