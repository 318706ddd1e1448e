"""Calls an action script the way QueueScope's engine does (models/queues/scripts/README.md):
expands its `--! include:` lines (as ActionScript::builtIn does), reads the script's `--!`
header, expands the key and argv templates for a queue, appends the item groups, runs EVALSHA
(EVAL after NOSCRIPT) and parses {done, skipped, more, details[, cursor][, tally]}. Nothing here is per
script: a header the engine could not drive fails here too.
"""

import glob
import hashlib
import os
import re
import time

import redis

MODELS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                       "models"))
# Where ActionScript::builtIn's resources come from (models/CMakeLists.txt qs_add_action_scripts):
# each framework's scripts/ and scripts/include/, and the shared includes of queues/scripts/.
SCRIPT_DIRS = sorted(glob.glob(os.path.join(MODELS, "frameworks", "*", "scripts")))
INCLUDE_DIRS = [os.path.join(MODELS, "queues", "scripts", "include")] + \
    [os.path.join(d, "include") for d in SCRIPT_DIRS]
SEP = b"\x06\x16"
NAMED = ("mode", "limit", "now", "cutoff", "reset", "state", "cursor", "delayed")


def find_file(dirs, name):
    """The path of <name>.lua in the first of `dirs` that has it, None when none has."""
    for d in dirs:
        path = os.path.join(d, name + ".lua")
        if os.path.exists(path):
            return path
    return None


def include_path(name):
    return find_file(INCLUDE_DIRS, name)


def read_include(name):
    """The text of include/<name>.lua, None when there is no such include."""
    path = include_path(name)
    if path is None:
        return None
    with open(path, "rb") as f:
        return f.read()


def header_line(raw):
    """A `--! <field>: <value>` line's (field, value), None for any other line."""
    line = raw.strip()
    if not line.startswith(b"--!"):
        return None
    field, sep, value = line[3:].partition(b":")
    if not sep:
        return b"", b""
    return field.strip(), value.strip()


def expand_includes(source, load=read_include):
    """As ActionScript's expandIncludes (scripts/README.md): every `--! include: <name>` line is
    replaced by the lines of include/<name>.lua, expanded the same way, each include inlined
    once. load(name) returns the include's bytes or None."""
    out, stack, included = [], [], set()

    def where():
        return f"include/{stack[-1]}.lua" if stack else "the script"

    def expand(text):
        for line in text.split(b"\n"):
            header = header_line(line)
            if header is None or (header[0] != b"include" and not stack):
                out.append(line)
                continue
            if header[0] != b"include":
                raise AssertionError(f"{where()}: header line '{line.strip().decode()}' belongs in "
                                     "the top-level script")
            name = header[1].decode()
            if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
                raise AssertionError(f"{where()}: bad include name '{name}' "
                                     "(letters, digits, '-', '_')")
            if name in stack:
                raise AssertionError(f"include cycle: {' -> '.join(stack + [name])}")
            if name in included:
                continue  # inlined once per script
            include = load(name)
            if include is None:
                raise AssertionError(f"missing include '{name}' (include/{name}.lua, "
                                     f"named in {where()})")
            if include.endswith(b"\n"):
                include = include[:-1]  # the directive's own line end stays
            included.add(name)
            stack.append(name)
            expand(include)
            stack.pop()

    expand(source)
    return b"\n".join(out)


def as_bytes(value):
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def script_usec(client):
    """Microseconds Redis has spent executing scripts (INFO commandstats): the difference around
    a call is the time that call blocked Redis (plus any script another client ran meanwhile,
    e.g. Sidekiq's scheduler poller, rare and small)."""
    try:
        stats = client.info("commandstats")
    except Exception:
        return None
    return sum(stats.get(name, {}).get("usec", 0) for name in ("cmdstat_evalsha", "cmdstat_eval"))


class Outcome:
    def __init__(self, reply, returns_cursor, elapsed):
        if not isinstance(reply, list) or len(reply) < (5 if returns_cursor else 4):
            raise AssertionError(f"reply outside the contract: {reply!r}")
        self.done, self.skipped, self.more = int(reply[0]), int(reply[1]), int(reply[2]) != 0
        details = reply[3]
        self.reasons = [(details[i], details[i + 1].decode()) for i in range(0, len(details) - 1, 2)]
        self.cursor = b"0"
        if returns_cursor:
            self.cursor = as_bytes(reply[4])
            self.more = self.more or self.cursor not in (b"0", b"")
        # The optional last element: what the done jobs became ({what: count}).
        tally = reply[5 if returns_cursor else 4] if len(reply) > (5 if returns_cursor else 4) else []
        self.tally = {tally[i].decode(): int(tally[i + 1]) for i in range(0, len(tally) - 1, 2)}
        self.elapsed_ms = elapsed * 1000

    def reason_for(self, item):
        for key, reason in self.reasons:
            if key == as_bytes(item):
                return reason
        return None

    server_ms = None

    def timing(self):
        server = f"{self.server_ms:.1f}" if self.server_ms is not None else "?"
        return f"{self.elapsed_ms:.1f} ms ({server} ms in Redis)"

    def __repr__(self):
        return (f"Outcome(done={self.done}, skipped={self.skipped}, more={self.more}, "
                f"cursor={self.cursor!r}, reasons={self.reasons[:5]!r})")


class ActionScript:
    def __init__(self, name):
        self.name = name
        with open(find_file(SCRIPT_DIRS, name) or name + ".lua", "rb") as f:
            raw = f.read()
        try:
            self.source = expand_includes(raw)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from None
        self.keys = self.argv = self.items = None
        self.returns_cursor = None
        for raw in self.source.split(b"\n"):
            line = raw.strip()
            if not line.startswith(b"--!"):
                continue
            field, sep, value = line[3:].partition(b":")
            if not sep:
                raise AssertionError(f"{name}: header line without ':': {line!r}")
            field = field.strip()
            words = value.split()
            if field == b"keys":
                self.keys = words
            elif field == b"argv":
                self.argv = words
            elif field == b"items":
                self.items = words
            elif field == b"returns":
                kind = value.strip()
                if kind not in (b"standard", b"cursor"):
                    raise AssertionError(f"{name}: unknown return kind {kind!r}")
                self.returns_cursor = kind == b"cursor"
        if None in (self.keys, self.argv, self.items, self.returns_cursor):
            raise AssertionError(f"{name}: the header needs keys, argv, items and returns lines")
        self.sha1 = hashlib.sha1(self.source).hexdigest()

    @staticmethod
    def expand(pattern, queue, prefix, params):
        """One template: a named value, or {p} {q} {ns} {sep} substituted (README)."""
        text = pattern.decode()
        if text in NAMED:
            return as_bytes(params[text])
        ns = prefix + b":" if prefix else b""
        out = bytearray()
        i = 0
        while i < len(pattern):
            if pattern[i:i + 1] == b"{":
                close = pattern.find(b"}", i)
                field = pattern[i + 1:close] if close > i else None
                value = {b"p": prefix, b"q": queue, b"ns": ns, b"sep": SEP}.get(field)
                if value is not None:
                    out += value
                    i = close + 1
                    continue
            out += pattern[i:i + 1]
            i += 1
        return bytes(out)

    def command(self, queue=b"", prefix=b"", items=(), **params):
        defaults = {"mode": "ids", "limit": 1000, "now": int(time.time() * 1000), "cutoff": None,
                    "reset": 0, "state": "", "cursor": "0", "delayed": 0}
        defaults.update(params)
        if defaults["cutoff"] is None:
            defaults["cutoff"] = defaults["now"]
        queue, prefix = as_bytes(queue), as_bytes(prefix)
        keys = [self.expand(k, queue, prefix, defaults) for k in self.keys]
        argv = [self.expand(a, queue, prefix, defaults) for a in self.argv]
        flat = []
        for group in items:
            group = group if isinstance(group, (tuple, list)) else (group,)
            if len(group) != len(self.items):
                raise AssertionError(f"{self.name}: item groups are {self.items}, got {group!r}")
            flat.extend(as_bytes(v) for v in group)
        return keys, argv + flat

    def call(self, client, queue=b"", prefix=b"", items=(), **params):
        keys, args = self.command(queue, prefix, items, **params)
        before = script_usec(client)
        start = time.perf_counter()
        try:
            reply = client.execute_command("EVALSHA", self.sha1, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            reply = client.execute_command("EVAL", self.source, len(keys), *keys, *args)
        outcome = Outcome(reply, self.returns_cursor, time.perf_counter() - start)
        if before is not None:
            outcome.server_ms = (script_usec(client) - before) / 1000
        return outcome

    def run_all(self, client, queue=b"", prefix=b"", **params):
        """Batch mode as the engine loops it: call again while more, carrying the cursor."""
        calls = []
        cursor = "0"
        while True:
            outcome = self.call(client, queue, prefix, mode="all", cursor=cursor, **params)
            calls.append(outcome)
            if not outcome.more:
                return calls
            cursor = outcome.cursor.decode()
            if len(calls) > 100000:
                raise AssertionError(f"{self.name}: batch mode does not terminate")
