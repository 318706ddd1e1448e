#!/usr/bin/python3
"""A hostile Redis double for QueueScope's tests (tests/support/hostileserver.h starts it).

It speaks enough RESP2 to pass QueueScope's handshake (AUTH, SELECT, CLIENT SETNAME, PING) and
then misbehaves in one chosen way on every later command, or only on INFO:

  trickle        every reply is correct but sent one byte every --interval seconds
  trickle-all    the same, the handshake included
  huge-bulk      announces a 2 GB bulk string, then streams it as fast as the socket takes it
  endless-array  announces an array of 2^31-1 integers and keeps sending them
  huge-info      INFO answers 200 MB (one 200 MB redis_version); other commands are normal
  big-info-field INFO answers 2 MB of which 1.9 MB is redis_version; other commands are normal
  lie-long       a bulk string longer than its announced length ($5 then "hello world")
  lie-short      a bulk string shorter than announced, then silence
  close-mid      half a reply, then the connection is closed
  garbage        bytes that are not RESP
  normal         no misbehaviour (for checking the double itself)

It prints "ready <port>" on stdout once it listens. Python's standard library only.
"""

import argparse
import asyncio
import sys

SMALL_INFO = (
    b"# Server\r\nredis_version:7.0.99\r\nredis_mode:standalone\r\nuptime_in_seconds:100\r\n"
    b"# Clients\r\nconnected_clients:1\r\nblocked_clients:0\r\n"
    b"# Memory\r\nused_memory:1000000\r\nused_memory_rss:2000000\r\nmaxmemory:0\r\n"
    b"# Stats\r\nevicted_keys:0\r\ninstantaneous_ops_per_sec:1\r\n"
    b"# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
)


def bulk(data):
    return b"$%d\r\n%s\r\n" % (len(data), data)


def array(items):
    return b"*%d\r\n%s" % (len(items), b"".join(items))


def ordinary_reply(argv):
    """What a small, empty Redis would answer."""
    name = argv[0].upper() if argv else b""
    if name in (b"PING",):
        return b"+PONG\r\n"
    if name in (b"AUTH", b"SELECT", b"CLIENT"):
        return b"+OK\r\n"
    if name == b"INFO":
        return bulk(SMALL_INFO)
    if name in (b"SCAN", b"HSCAN", b"SSCAN", b"ZSCAN"):
        return array([bulk(b"0"), array([])])
    if name == b"TYPE":
        return b"+none\r\n"
    if name == b"HMGET":
        return array([b"$-1\r\n"] * max(0, len(argv) - 2))
    if name in (b"GET", b"HGET", b"LINDEX", b"SRANDMEMBER", b"LPOS", b"ZSCORE", b"ZRANK"):
        return b"$-1\r\n" if name != b"SRANDMEMBER" or len(argv) < 3 else array([])
    if name in (b"HGETALL", b"LRANGE", b"ZRANGE", b"ZREVRANGE", b"ZRANGEBYSCORE",
                b"ZREVRANGEBYSCORE", b"SMEMBERS", b"SLOWLOG"):
        return array([])
    if name in (b"EXISTS", b"LLEN", b"ZCARD", b"SCARD", b"HLEN", b"ZCOUNT", b"DBSIZE",
                b"XLEN", b"DEL"):
        return b":0\r\n"
    return b"-ERR unknown command for the hostile double\r\n"


def read_command(buffer):
    """One multi-bulk or inline command from the start of buffer: (argv, rest) or None."""
    if not buffer:
        return None
    if buffer[:1] != b"*":
        end = buffer.find(b"\n")
        if end < 0:
            return None
        return buffer[:end].strip().split(), buffer[end + 1:]
    end = buffer.find(b"\r\n")
    if end < 0:
        return None
    count = int(buffer[1:end])
    at = end + 2
    argv = []
    for _ in range(count):
        end = buffer.find(b"\r\n", at)
        if end < 0:
            return None
        length = int(buffer[at + 1:end])
        start = end + 2
        if len(buffer) < start + length + 2:
            return None
        argv.append(buffer[start:start + length])
        at = start + length + 2
    return argv, buffer[at:]


class Connection:
    def __init__(self, behaviour, interval, reader, writer):
        self.behaviour = behaviour
        self.interval = interval
        self.reader = reader
        self.writer = writer
        self.handshake_done = False

    async def send(self, data, trickle):
        if not trickle:
            self.writer.write(data)
            await self.writer.drain()
            return
        for i in range(len(data)):
            self.writer.write(data[i:i + 1])
            await self.writer.drain()
            await asyncio.sleep(self.interval)

    async def stream(self, header, unit, count):
        """header, then unit repeated count times, as fast as the socket takes it."""
        self.writer.write(header)
        per_block = max(1, (1 << 20) // len(unit))
        block = unit * per_block
        while count > 0:
            n = min(count, per_block)
            self.writer.write(block if n == per_block else unit * n)
            await self.writer.drain()
            count -= n

    async def answer(self, argv):
        name = argv[0].upper() if argv else b""
        b = self.behaviour
        # The handshake ends with QueueScope's first PING; misbehaviour starts after it.
        hostile = self.handshake_done or b == "trickle-all"
        if name == b"PING":
            self.handshake_done = True
        if b in ("trickle", "trickle-all"):
            await self.send(ordinary_reply(argv), trickle=hostile)
            return True
        if b == "huge-info" and name == b"INFO":
            size = 200 * 1000 * 1000
            head = b"# Server\r\nredis_version:"
            tail = b"\r\n" + SMALL_INFO
            body_len = size - len(head) - len(tail)
            self.writer.write(b"$%d\r\n%s" % (size, head))
            await self.stream(b"", b"7", body_len)
            self.writer.write(tail + b"\r\n")
            await self.writer.drain()
            return True
        if b == "big-info-field" and name == b"INFO":
            version = b"7" * (1900 * 1000)
            await self.send(bulk(b"# Server\r\nredis_version:" + version + b"\r\n" +
                                 SMALL_INFO[len(b"# Server\r\nredis_version:7.0.99\r\n"):]),
                            trickle=False)
            return True
        if not hostile or b in ("normal", "huge-info", "big-info-field"):
            await self.send(ordinary_reply(argv), trickle=False)
            return True
        if b == "huge-bulk":
            await self.stream(b"$2147483648\r\n", b"x", 2147483648)
            return False
        if b == "endless-array":
            await self.stream(b"*2147483647\r\n", b":1\r\n", 2147483647)
            return False
        if b == "lie-long":
            await self.send(b"$5\r\nhello world\r\n", trickle=False)
            return True
        if b == "lie-short":
            await self.send(b"$1000\r\nhello\r\n", trickle=False)
            await asyncio.sleep(3600)
            return False
        if b == "close-mid":
            await self.send(b"*2\r\n$100\r\nhalf a rep", trickle=False)
            return False
        if b == "garbage":
            await self.send(b"\x00\xffQUEUESCOPE-HOSTILE garbage \x1b[2J not RESP\r\n", False)
            return True
        raise SystemExit("unknown behaviour " + b)

    async def run(self):
        buffer = b""
        try:
            while True:
                parsed = read_command(buffer)
                if parsed is None:
                    data = await self.reader.read(65536)
                    if not data:
                        return
                    buffer += data
                    continue
                argv, buffer = parsed
                if not await self.answer(argv):
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--behaviour", required=True)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()

    async def on_client(reader, writer):
        await Connection(args.behaviour, args.interval, reader, writer).run()

    server = await asyncio.start_server(on_client, "127.0.0.1", args.port)
    print("ready %d" % args.port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
