// The BullMQ fixtures the action suites share (bullmq-actions, bullmq-cleanup): BullMQ 6.7.0 and
// 5.47.3 (npm alias bullmq5) from tests/queues/node_modules, a redis-server per test with queues,
// flows and real Workers whose runs a control object records, and the action scripts as the engine
// calls them.
import { performance } from 'node:perf_hooks';
import { frameworks } from './script-caller.mjs';
import {
  bullmqInvariants, keyOf, loadActionScripts, makeControl, PREFIX, scriptContext, startServer, timePickUp, waitFor,
} from './bull-kit.mjs';

export const Redis = frameworks.require('ioredis');
export const BULLMQ = { v6: frameworks.require('bullmq'), v5: frameworks.require('bullmq5') };
export const HOUR = 3600 * 1000;
export const SCRIPTS = loadActionScripts('bullmq');

// ---------------------------------------------------------------- fixtures per test

export function setup() {
  return (async () => {
    const { server, redis } = await startServer();
    const connection = { host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null };
    const ctx = {
      server, redis, connection,
      ...scriptContext(redis, SCRIPTS, PREFIX),
      queue(ver, name) {
        const queue = new BULLMQ[ver].Queue(name, { connection, prefix: PREFIX });
        queue.on('error', () => {});
        return ctx.track(queue);
      },
      flow(ver) {
        const flow = new BULLMQ[ver].FlowProducer({ connection, prefix: PREFIX });
        flow.on('error', () => {});
        return ctx.track(flow);
      },
      worker(ver, name, control, options = {}) {
        let release;
        const gate = new Promise((resolve) => { release = resolve; });
        control.releaseAll = release;
        ctx.trackControl(control);
        const worker = new BULLMQ[ver].Worker(name, async (job) => {
          control.activeAt.set(job.id, performance.now());
          control.runs.set(job.id, (control.runs.get(job.id) || 0) + 1);
          if (control.holds.has(job.name)) {
            control.held = job.id;
            await gate;
          }
          if (control.fails.has(job.name)) throw new Error(`fixture failure of ${job.name}`);
          if (job.name === 'parent') return { children: await job.getChildrenValues() };
          return `ok:${job.id}`;
        }, { connection, prefix: PREFIX, concurrency: 1, ...options });
        worker.on('completed', (job) => {
          control.completedAt.set(job.id, performance.now());
          control.order.push(job.id);
        });
        worker.on('failed', (job) => { if (job) control.failedAt.set(job.id, performance.now()); });
        worker.on('error', (error) => process.stdout.write(`    worker error: ${error}\n`));
        return ctx.track(worker);
      },
      // A queue with a running worker and jobs that failed for real (attempts: 1 unless given).
      async failedJobs(ver, name, specs, { keepWorker = true } = {}) {
        const queue = ctx.queue(ver, name);
        const control = makeControl();
        for (const spec of specs) control.fails.add(spec.name);
        const worker = ctx.worker(ver, name, control);
        const jobs = [];
        for (const spec of specs) jobs.push(await queue.add(spec.name, spec.data || {}, { attempts: 1, ...spec.opts }));
        await waitFor('jobs to fail', async () => (await queue.getFailedCount()) === specs.length, 15000);
        control.fails.clear();
        control.activeAt.clear(); // from now on: runs after the action under test
        if (!keepWorker) await worker.close();
        return { queue, control, worker, jobs, ids: jobs.map((j) => j.id) };
      },
      async inv(queue, options) {
        return bullmqInvariants(redis, PREFIX, queue, options);
      },
    };
    return ctx;
  })();
}

// Time from the action until the workers (idle in BZPOPMIN) started and finished the jobs.
export const pickUp = (ctx, control, ids, action) => timePickUp(ctx, control, ids, action, 'bzpopmin');

export async function eventsOf(ctx, queue, filter = () => true) {
  const entries = await ctx.redis.xrange(keyOf(queue, 'events'), '-', '+');
  return entries.map(([, fields]) => {
    const o = {};
    for (let i = 0; i < fields.length; i += 2) o[fields[i]] = fields[i + 1];
    return o;
  }).filter(filter);
}

