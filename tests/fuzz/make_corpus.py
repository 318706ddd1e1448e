#!/usr/bin/python3
"""Writes the seed corpora of tests/fuzz/corpus/ from real data (run by hand; the output is
committed). Starts a throwaway redis-server, lets the real frameworks create jobs in every state
with the fixture scripts of tests/queues/ (BullMQ, Bull, RQ, Celery, Sidekiq), and keeps:

  fuzz_replyparser    raw RESP replies of the server to the commands QueueScope sends (INFO,
                      SCAN, HGETALL, ZRANGE, XREVRANGE, CLIENT LIST, SLOWLOG, EVAL, errors),
                      each after one byte that picks the read sizes
  fuzz_payloadformat  stored job fields (JSON data, RQ's zlib pickles and tracebacks, messages)
  fuzz_jsonedit       "name\\nvalue\\njson" for the members the actions rewrite, on stored JSON
  fuzz_infoparser     tests/fixtures/info/*.txt and this server's INFO

The URL, .env and Lua header corpora are written from the unit tests' data and the built-in
scripts by the same script (no server needed).

Usage: tests/fuzz/make_corpus.py   (needs redis-server, node with tests/queues/node_modules,
/usr/bin/python3 with rq and celery, ruby with sidekiq: what scripts/install-deps.sh installs)
"""

import glob
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
QUEUES = os.path.join(ROOT, "tests", "queues")
CORPUS = os.path.join(HERE, "corpus")
MAX_SEED = 12000  # below run-fuzzer.sh's -max_len


def save(harness, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_SEED:
        return
    folder = os.path.join(CORPUS, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Raw:
    """A socket that returns each reply's exact bytes (hiredis-independent framing)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(65536)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        out = line + b"\r\n"
        kind, rest = line[:1], line[1:]
        if kind == b"$" and int(rest) >= 0:
            need = int(rest) + 2
            while len(self.buf) < need:
                self.buf += self.sock.recv(65536)
            out += self.buf[:need]
            self.buf = self.buf[need:]
        elif kind == b"*" and int(rest) > 0:
            for _ in range(int(rest)):
                out += self._reply()
        return out

    def ask(self, *args):
        self.sock.sendall(command(*args))
        return self._reply()


def run_fixture(argv, cwd=QUEUES):
    """Starts a fixture script, waits for its ready line, returns the process."""
    p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        try:
            if isinstance(json.loads(line), dict):
                return p
        except ValueError:
            pass
    return p


def stop(p):
    try:
        p.stdin.write(b"quit\n")
        p.stdin.close()
        p.wait(timeout=60)
    except Exception:
        p.kill()


def server_seeds(port):
    url = "redis://127.0.0.1:%d/0" % port
    fixtures = [
        ["node", "make-bullmq-states.mjs", "--redis", url, "--prefix", "bull", "--queue", "emails"],
        ["node", "make-bull-states.mjs", "--redis", url, "--prefix", "legacy", "--queue", "mail"],
        ["/usr/bin/python3", "make_rq_states.py", "--url", url, "--queues", "reports"],
        ["/usr/bin/python3", "make_celery_states.py", "--url", url, "--queues", "celery"],
        ["ruby", "make_sidekiq_states.rb", "--url", url, "--queues", "default"],
    ]
    running = []
    for argv in fixtures:
        print("corpus: running", " ".join(argv[:2]), file=sys.stderr)
        running.append(run_fixture(argv))
    raw = Raw(port)
    replies = [raw.ask("PING"), raw.ask("INFO"), raw.ask("INFO", "everything"),
               raw.ask("CLIENT", "LIST"), raw.ask("SLOWLOG", "GET", "10"),
               raw.ask("NOSUCHCOMMAND"), raw.ask("GET", "missing"),
               raw.ask("EVAL", "return {1,{2,{3,'x'}},redis.status_reply('OK'),false}", "0"),
               raw.ask("SCAN", "0", "COUNT", "1000")]
    save("fuzz_infoparser", raw.ask("INFO", "everything").split(b"\r\n", 1)[1][:-2])
    keys = [k for k in re.findall(rb"\$\d+\r\n([^\r]*)\r\n", replies[-1])][1:]
    for key in keys:
        kind = raw.ask("TYPE", key)
        if kind == b"+hash\r\n":
            reply = raw.ask("HGETALL", key)
        elif kind == b"+list\r\n":
            reply = raw.ask("LRANGE", key, "0", "20")
        elif kind == b"+zset\r\n":
            reply = raw.ask("ZRANGE", key, "0", "20", "WITHSCORES")
        elif kind == b"+stream\r\n":
            reply = raw.ask("XREVRANGE", key, "+", "-", "COUNT", "10")
        elif kind == b"+set\r\n":
            reply = raw.ask("SMEMBERS", key)
        else:
            reply = raw.ask("GET", key)
        replies.append(reply)
        # Every bulk string of the reply is a stored field or member.
        at = 0
        while True:
            m = re.compile(rb"\$(\d+)\r\n").search(reply, at)
            if not m:
                break
            n = int(m.group(1))
            value = reply[m.end():m.end() + n]
            at = m.end() + n
            if len(value) > 24:
                save("fuzz_payloadformat", value)
            if value.startswith(b"{"):
                try:
                    obj = json.loads(value)
                except ValueError:
                    continue
                for name in ("retry_count", "enqueued_at", "queue", "jid", "args", "kwargs"):
                    if name in obj:
                        save("fuzz_jsonedit", name.encode() + b"\n" + json.dumps(obj[name]).encode()
                             + b"\n" + value)
                save("fuzz_jsonedit", b"retry_count\n1\n" + value)
    for i, reply in enumerate(replies):
        save("fuzz_replyparser", bytes([i * 37 % 256]) + reply)
    # Several replies in one read, as a pipelined poll receives them.
    save("fuzz_replyparser", b"\x55" + b"".join(replies[:9]))
    for p in running:
        stop(p)


def offline_seeds():
    for path in glob.glob(os.path.join(ROOT, "tests", "fixtures", "info", "*.txt")):
        with open(path, "rb") as f:
            save("fuzz_infoparser", f.read())
    # URLs: the strings the URL unit tests feed the parser.
    with open(os.path.join(ROOT, "tests", "unit", "tst_redisurl.cpp"), encoding="utf-8") as f:
        for url in re.findall(r'newRow\("[^"]*"\)\s*<<\s*"((?:[^"\\]|\\.)*)"', f.read()):
            save("fuzz_redisurl", url.encode().decode("unicode_escape").encode("latin-1"))
    # .env files: the unit tests' files (C string literals joined), and the URLs as REDIS_URL.
    with open(os.path.join(ROOT, "tests", "unit", "tst_environmentimport.cpp"),
              encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r'((?:"(?:[^"\\]|\\.)*"\s*)+)', text):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        joined = "".join(parts).encode().decode("unicode_escape").encode("latin-1")
        if b"=" in joined:
            save("fuzz_dotenv", joined)
    for path in glob.glob(os.path.join(CORPUS, "fuzz_redisurl", "*"))[:10]:
        with open(path, "rb") as f:
            save("fuzz_dotenv", b"# app settings\nexport REDIS_URL=" + f.read() + b"\n")
    # Lua: every built-in script followed by its includes ("@@ name" lines, fuzz_actionscript).
    # Where the resources come from: each framework's scripts/ (with its own include/) and the
    # shared includes of models/queues/scripts/include (models/CMakeLists.txt).
    scripts = glob.glob(os.path.join(ROOT, "models", "frameworks", "*", "scripts"))
    includes = {}
    for folder in scripts + [os.path.join(ROOT, "models", "queues", "scripts")]:
        for path in glob.glob(os.path.join(folder, "include", "*.lua")):
            with open(path, "rb") as f:
                includes[os.path.basename(path)[:-4]] = f.read()
    for path in sorted(p for folder in scripts for p in glob.glob(os.path.join(folder, "*.lua"))):
        with open(path, "rb") as f:
            source = f.read()
        data = source
        for name in re.findall(rb"--!\s*include:\s*(\S+)", source):
            name = name.decode()
            if name in includes:
                data += b"\n@@ " + name.encode() + b"\n" + includes[name]
        save("fuzz_actionscript", data)


def main():
    offline_seeds()
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        server_seeds(port)
    finally:
        server.terminate()
        server.wait()
    for harness in sorted(os.listdir(CORPUS)):
        print("corpus: %s: %d seeds" % (harness, len(os.listdir(os.path.join(CORPUS, harness)))))


if __name__ == "__main__":
    main()
