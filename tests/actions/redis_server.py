"""A throwaway redis-server for the action tests: free loopback port, its own temp dir, no
persistence, always stopped when the test process exits (normally, by exception or by SIGTERM).

    with RedisServer() as server:
        client = server.client()          # redis.Redis, decode_responses=False
        server.url                         # redis://127.0.0.1:PORT/0
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REDIS_SERVER = "/usr/bin/redis-server"
_running = []


def _stop_all():
    for server in list(_running):
        server.stop()


def _on_term(signum, frame):
    _stop_all()
    raise SystemExit(128 + signum)


atexit.register(_stop_all)
signal.signal(signal.SIGTERM, _on_term)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, extra_args=()):
        self.extra_args = list(extra_args)
        self.process = None
        self.dir = None
        self.port = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **kwargs):
        import redis
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="qs-actions-redis-")
        for attempt in range(5):
            self.port = free_port()
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", self.dir, "--daemonize", "no",
                 "--loglevel", "warning", *self.extra_args],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            _running.append(self)
            deadline = time.time() + 10
            while time.time() < deadline and self.process.poll() is None:
                try:
                    if self.client(socket_timeout=1).ping():
                        return self
                except Exception:
                    time.sleep(0.02)
            self.stop(keep_dir=True)  # port race: try another one
        raise RuntimeError("could not start redis-server")

    def stop(self, keep_dir=False):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self in _running:
            _running.remove(self)
        if not keep_dir and self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
