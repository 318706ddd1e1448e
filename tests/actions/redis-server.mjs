// A throwaway redis-server for the action tests: free loopback port, its own temp dir, no
// persistence, always stopped when the test process ends (normally, by exception, by a signal).
//
//   const server = await startRedisServer();
//   server.port, server.url          // redis://127.0.0.1:PORT
//   await server.stop();             // also done automatically at exit
//
// SLOWLOG keeps every command that took 1 ms or more, so that tests can read how long Redis itself
// spent in a script call (script-caller.mjs). Not 0: Redis 7 also logs the commands a script runs,
// and logging each of them costs about as much as the command itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.QS_REDIS_SERVER || '/usr/bin/redis-server';
const running = new Set();

function stopAllNow() {
  for (const server of running) server.killNow();
}
process.on('exit', stopAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopAllNow();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] || 0));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('data', (data) => {
      reply += data;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

export async function startRedisServer({ extraArgs = [] } = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'qs-actions-redis-'));
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--save', '', '--appendonly', 'no', '--daemonize', 'no',
      '--slowlog-log-slower-than', '1000', '--slowlog-max-len', '1024',
      '--logfile', join(dir, 'redis.log'),
      ...extraArgs,
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    let exited = false;
    child.once('exit', () => { exited = true; });
    const server = {
      port,
      url: `redis://127.0.0.1:${port}`,
      dir,
      killNow() {
        if (!exited) {
          try { child.kill('SIGKILL'); } catch { /* already gone */ }
        }
        try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
        running.delete(server);
      },
      async stop() {
        if (!exited) {
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 2000))]);
        }
        server.killNow();
      },
    };
    running.add(server);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !exited) {
      if (await ping(port)) return server;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    server.killNow(); // port taken meanwhile, or the server did not come up: try another port
  }
  throw new Error(`could not start ${REDIS_SERVER}`);
}
