// The Bull 4 fixtures the action suites share (bull-actions, bull-cleanup): Bull 4.16.5 from
// tests/queues/node_modules, a redis-server per test with queues and real workers whose runs a
// control object records, and the action scripts as the engine calls them.
import { performance } from 'node:perf_hooks';
import { frameworks } from './script-caller.mjs';
import {
  bullInvariants, keyOf, loadActionScripts, makeControl, PREFIX, scriptContext, startServer, timePickUp, waitFor,
} from './bull-kit.mjs';

export const Redis = frameworks.require('ioredis');
export const Bull = frameworks.require('bull');
export const HOUR = 3600 * 1000;
export const SCRIPTS = loadActionScripts('bull');

export function setup() {
  return (async () => {
    const { server, redis } = await startServer();
    const ctx = {
      server, redis,
      ...scriptContext(redis, SCRIPTS, PREFIX),
      queue(name) {
        const queue = new Bull(name, server.url, { prefix: PREFIX });
        queue.on('error', () => {});
        return ctx.track(queue);
      },
      // A Bull Queue object that also processes (concurrency as given).
      worker(name, control, concurrency = 1) {
        const queue = ctx.queue(name);
        let release;
        const gate = new Promise((resolve) => { release = resolve; });
        control.releaseAll = release;
        ctx.trackControl(control);
        queue.process(concurrency, async (job) => {
          const id = String(job.id);
          control.activeAt.set(id, performance.now());
          control.runs.set(id, (control.runs.get(id) || 0) + 1);
          if (control.holds.has(job.data.kind)) {
            control.held = id;
            await gate;
          }
          if (control.fails.has(job.data.kind)) throw new Error(`fixture failure of ${job.data.kind}`);
          return `ok:${id}`;
        });
        queue.on('completed', (job) => {
          control.completedAt.set(String(job.id), performance.now());
          control.order.push(String(job.id));
        });
        queue.on('failed', (job) => control.failedAt.set(String(job.id), performance.now()));
        return queue;
      },
      // Jobs that a real Bull worker failed (attempts: 1 unless given); the worker stays unless told.
      async failedJobs(name, specs, { keepWorker = true } = {}) {
        const producer = ctx.queue(name);
        const control = makeControl();
        for (const spec of specs) control.fails.add(spec.kind);
        const worker = ctx.worker(name, control);
        const jobs = [];
        for (const spec of specs) jobs.push(await producer.add({ kind: spec.kind }, { attempts: 1, ...spec.opts }));
        await waitFor('jobs to fail', async () => (await producer.getFailedCount()) === specs.length, 15000);
        control.fails.clear();
        control.activeAt.clear();
        if (!keepWorker) await worker.close();
        return { producer, control, worker, jobs, ids: jobs.map((j) => String(j.id)) };
      },
      inv(queue, options) {
        return bullInvariants(redis, PREFIX, queue, options);
      },
    };
    return ctx;
  })();
}

// Time from the action until the workers (idle in BRPOPLPUSH) started and finished the jobs.
export const pickUp = (ctx, control, ids, action) => timePickUp(ctx, control, ids, action, 'brpoplpush');
