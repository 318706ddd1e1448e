// The peer for bench_actions: BullMQ's own queue.retryJobs({ state: 'failed' }) on the same data,
// timed end to end (until it returns, i.e. until its script reports nothing left).
//   node bullmq-retryjobs.mjs --redis redis://127.0.0.1:PORT --queue emails
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../queues/package.json', import.meta.url));
const { Queue } = require('bullmq');

const { values } = parseArgs({
  options: { redis: { type: 'string' }, queue: { type: 'string', default: 'emails' } },
});
const url = new URL(values.redis);
const queue = new Queue(values.queue, {
  connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
});
await queue.waitUntilReady();
const started = process.hrtime.bigint();
await queue.retryJobs({ state: 'failed', count: 1000 });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, waiting: await queue.getWaitingCount() })}\n`);
await queue.close();
