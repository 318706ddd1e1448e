// Runs one real BullMQ 6, BullMQ 5 or Bull 4 worker for QueueScope's worker tests, in a child
// process of its own so that it can be killed with SIGKILL, with a 2 s lock (30 s by default)
// so that its job stalls within seconds, and no stalled check of its own.
//
//   node bull-workers.mjs --redis redis://127.0.0.1:6379 --module bullmq|bullmq5|bull \
//       --queue NAME [--name WORKER] [--prefix bull]
//
// Line protocol on stdin/stdout (one JSON object per line):
//   -> {"ready": true, "pid": N}     once the worker's connection is named on the server
//   <- slow  -> {"job": ID}          once a held job runs (its lock exists)
//   <- kill  -> {"killed": PID}      SIGKILL to the worker process
//   <- quit, or end of input         releases held jobs and stops the worker
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { connectionOptions, fail, print, waitFor } from './fixture-common.mjs';

const RELEASE_KEY = 'qs-fixture:release';
const LOCK_MS = 2000;

const { values: args } = parseArgs({
  options: {
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    module: { type: 'string', default: 'bullmq' },
    queue: { type: 'string' },
    name: { type: 'string', default: '' },
    prefix: { type: 'string', default: 'bull' },
    role: { type: 'string', default: 'controller' },
  },
});
if (!args.queue || !['bullmq', 'bullmq5', 'bull'].includes(args.module)) {
  fail('usage: --redis URL --module bullmq|bullmq5|bull --queue NAME [--name W] [--prefix P]');
}
const connection = connectionOptions(args.redis);
const bull = args.module === 'bull';
const framework = await import(args.module);
const { default: IORedis } = await import('ioredis');
const redis = new IORedis(connection);

async function held() {
  const deadline = Date.now() + 300000;
  while (Date.now() < deadline && !(await redis.exists(RELEASE_KEY))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function makeQueue() {
  return bull
    ? new framework.default(args.queue, { redis: connection, prefix: args.prefix })
    : new framework.Queue(args.queue, { connection, prefix: args.prefix });
}

async function runWorker() {
  if (bull) {
    const queue = new framework.default(args.queue, {
      redis: connection,
      prefix: args.prefix,
      settings: { lockDuration: LOCK_MS, stalledInterval: 600000 },
    });
    queue.process(2, held);
  } else {
    const options = { connection, prefix: args.prefix, concurrency: 2, lockDuration: LOCK_MS,
      stalledInterval: 600000 };
    if (args.name) options.name = args.name;
    new framework.Worker(args.queue, held, options);
  }
  await new Promise(() => {});
}

async function runController() {
  await redis.del(RELEASE_KEY);
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [script, ...process.argv.slice(2), '--role', 'worker'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  const base64 = Buffer.from(args.queue).toString('base64');
  const named = `${args.prefix}:${base64}${args.name && !bull ? `:w:${args.name}` : ''}`;
  await waitFor('the worker connection', async () =>
    (await redis.client('LIST')).split('\n').some((line) => line.includes(` name=${named} `)));
  const queue = makeQueue();
  let alive = true;
  const stop = async () => {
    await redis.set(RELEASE_KEY, '1');
    if (alive) child.kill('SIGTERM');
    process.exit(0);
  };
  print({ ready: true, pid: child.pid });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const request = line.trim();
    if (request === 'slow') {
      const job = bull ? await queue.add({ slow: true }) : await queue.add('slow', { slow: true });
      const lock = `${args.prefix}:${args.queue}:${job.id}:lock`;
      await waitFor('the held job to run', async () => (await redis.exists(lock)) === 1);
      print({ job: String(job.id) });
    } else if (request === 'kill') {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      alive = false;
      print({ killed: child.pid });
    } else if (request === 'quit') {
      break;
    }
  }
  await stop();
}

if (args.role === 'worker') await runWorker();
else await runController();
