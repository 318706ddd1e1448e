#!/usr/bin/python3
"""Peak memory and wall time of QueueScope's CLI against hostile servers and big stored data.

Usage: scripts/measure-hostile.py [--bin build/app/queuescope] [--timeout 5] [--cap-gb 4]

Runs `check`, `watch --count 3`, `jobs` and `job --json` against each behaviour of the hostile
Redis double (tests/support/hostileredis.py), and `jobs`, `job` and `job --json` against a real
redis-server holding a 50 MB BullMQ payload and an RQ job whose exc_info is a 2 MB zlib bomb.
Each run is measured by GNU time (peak RSS = ru_maxrss) under an address-space cap (prlimit), so
that a binary without limits fails at the cap instead of taking the machine's memory; such a run
is reported as ">= cap". Prints a Markdown table (docs/performance.md keeps the results).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOSTILE = os.path.join(ROOT, "tests", "support", "hostileredis.py")
BEHAVIOURS = ["trickle", "trickle-all", "huge-bulk", "endless-array", "huge-info",
              "big-info-field", "lie-long", "lie-short", "close-mid", "garbage"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, deadline=10.0):
    end = time.time() + deadline
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def commands(url, timeout):
    t = ["--url", url, "--timeout", str(timeout)]
    return {
        "check": ["check"] + t,
        "watch --count 3": ["watch"] + t + ["--count", "3", "--interval", "1"],
        "jobs": ["jobs"] + t + ["bullmq/big", "failed"],
        "job --json": ["job"] + t + ["bullmq/big", "1", "--json"],
    }


def peak_of_children(pid):
    """VmHWM (KB) of the first child of pid (queuescope under /usr/bin/time), while it runs."""
    try:
        children = open("/proc/%d/task/%d/children" % (pid, pid)).read().split()
        for line in open("/proc/%s/status" % children[0]):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return None


def run(binary, args, cap_gb, wall_limit):
    report = tempfile.NamedTemporaryFile(delete=False)
    report.close()
    argv = ["prlimit", "--as=%d" % (cap_gb << 30), "/usr/bin/time", "-f", "%M", "-o",
            report.name, binary] + args
    start = time.time()
    # Its own process group, so that a run past the wall limit is ended whole (time and
    # queuescope), not left behind.
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err_bytes = proc.communicate(timeout=wall_limit)
        code = proc.returncode
        err = err_bytes.decode("utf-8", "replace")
        out_bytes = len(out)
    except subprocess.TimeoutExpired:
        hwm = peak_of_children(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        code, err, out_bytes = "killed", "still running after %d s" % wall_limit, 0
        with open(report.name, "w") as f:
            f.write(str(hwm) if hwm is not None else "")
    elapsed = time.time() - start
    lines = open(report.name).read().strip().splitlines()
    os.unlink(report.name)
    try:
        peak_mb = int(lines[-1]) / 1024.0
    except (IndexError, ValueError):
        peak_mb = None
    signalled = any("terminated by signal" in line for line in lines)
    return code, elapsed, peak_mb, signalled, err.strip().splitlines()[:1], out_bytes


def fmt(result, cap_gb):
    code, elapsed, peak, signalled, err, out_bytes = result
    peak_text = "?" if peak is None else "%.0f MB" % peak
    if signalled or code in (134, 139) or (peak is not None and peak > (cap_gb << 10) * 0.9):
        peak_text = ">= %d GB cap (aborted)" % cap_gb if signalled or code in (134, 139) \
            else peak_text
    message = err[0][:90] if err else ""
    return "%s | %.1f s | exit %s | %s | %s" % (peak_text, elapsed, code,
                                               "%.1f MB" % (out_bytes / 1048576.0), message)


def start_redis(port, workdir):
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly",
                             "no", "--dir", workdir, "--proto-max-bulk-len", "1gb"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_port(port):
        raise SystemExit("redis-server did not start")
    return proc


def fill_stored_data(port):
    import redis  # python3-redis, as the queue tests use
    r = redis.Redis(port=port)
    payload = b'{"blob":"' + b"p" * (50 * 1000 * 1000) + b'"}'
    r.hset("bull:big:meta", mapping={"opts.maxLenEvents": "10000", "version": "bullmq:5.0.0"})
    r.hset("bull:big:1", mapping={"name": "big", "data": payload, "opts": "{}",
                                 "timestamp": "1700000000000", "failedReason": "boom"})
    r.zadd("bull:big:failed", {"1": 1700000000000})
    packer = zlib.compressobj(9)
    zeros = b"\0" * (1 << 20)
    bomb = b"".join(packer.compress(zeros) for _ in range(2048)) + packer.flush()  # 2 MB -> 2 GB
    r.hset("rq:job:bomb", mapping={"status": "failed", "exc_info": bomb, "origin": "default",
                                   "description": "bomb()", "created_at": "2024-01-01T00:00:00Z",
                                   "data": zlib.compress(b"not a pickle")})
    r.zadd("rq:wip:default", {"x": 0})  # nothing; RQ discovery finds rq:queues
    r.sadd("rq:queues", "rq:queue:default")
    r.zadd("rq:failed:default", {"bomb": 9999999999})
    return len(payload), len(bomb)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "app", "queuescope"))
    parser.add_argument("--timeout", type=int, default=5)
    parser.add_argument("--cap-gb", type=int, default=4)
    parser.add_argument("--only", default="", help="comma-separated behaviours or 'stored'")
    args = parser.parse_args()
    for tool in ("prlimit", "/usr/bin/time", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit("measure-hostile: %s is needed" % tool)
    only = set(filter(None, args.only.split(",")))
    wall = args.timeout * 8 + 20
    print("| server | command | peak RSS | wall | exit | stdout | first line of stderr |")
    print("|---|---|---|---|---|---|---|")
    for behaviour in BEHAVIOURS:
        if only and behaviour not in only:
            continue
        port = free_port()
        server = subprocess.Popen(["/usr/bin/python3", HOSTILE, "--port", str(port),
                                   "--behaviour", behaviour], stdout=subprocess.DEVNULL)
        try:
            if not wait_port(port):
                raise SystemExit("hostile double did not start")
            for name, argv in commands("redis://127.0.0.1:%d" % port, args.timeout).items():
                result = run(args.bin, argv, args.cap_gb, wall)
                print("| %s | %s | %s |" % (behaviour, name, fmt(result, args.cap_gb)),
                      flush=True)
        finally:
            server.kill()
            server.wait()
    if only and "stored" not in only:
        return
    workdir = tempfile.mkdtemp()
    port = free_port()
    redis_server = start_redis(port, workdir)
    try:
        payload, bomb = fill_stored_data(port)
        url = "redis://127.0.0.1:%d" % port
        t = ["--url", url, "--timeout", "30"]
        stored = [
            ("50 MB BullMQ payload", "jobs", ["jobs"] + t + ["bullmq/big", "failed"]),
            ("50 MB BullMQ payload", "job", ["job"] + t + ["bullmq/big", "1"]),
            ("50 MB BullMQ payload", "job --json", ["job"] + t + ["bullmq/big", "1", "--json"]),
            ("RQ exc_info zlib bomb (%.1f MB -> 2 GB)" % (bomb / 1e6), "job",
             ["job"] + t + ["rq/default", "bomb"]),
            ("RQ exc_info zlib bomb", "job --json",
             ["job"] + t + ["rq/default", "bomb", "--json"]),
        ]
        for server_name, name, argv in stored:
            result = run(args.bin, argv, args.cap_gb, 120)
            print("| %s | %s | %s |" % (server_name, name, fmt(result, args.cap_gb)), flush=True)
    finally:
        redis_server.kill()
        redis_server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
