// Proves the Bull 4 action scripts (models/frameworks/bull/scripts/bull-*.lua) against the real, unmodified
// Bull 4.16.5 from tests/queues/node_modules: jobs are made with Bull's own Queue API, the scripts
// are called exactly as QueueScope's engine calls them (script-caller.mjs reads their `--!`
// header), and Bull's own API and real workers (queue.process) check the outcome.
//
//   node tests/actions/bull-cleanup.test.mjs        (any working directory)
//
// This file: remove, clean, drain, batches and performance. bull-actions.test.mjs: retry,
// promote, pause/resume. Fixtures: bull-fixture.mjs.
//
// Starts its own redis-server (redis-server.mjs), prints measurements and a summary, exits 1 on
// any failure.
import { performance } from 'node:perf_hooks';
import {
  assert, checkBoundedCalls, checkCleanOfFinishedJobs, cloneFailedJobs, finishJobs, fmt, keyOf, makeControl, measureRetryAtScale, note, PREFIX, run, sleep, stopContext, test, uniqueName, waitFor,
} from './bull-kit.mjs';
import { Bull, HOUR, setup } from './bull-fixture.mjs';

// ---------------------------------------------------------------- remove

test('remove: every state, debounce key, limiter index; locked and repeatable-next-run refused', async (ctx) => {
  const name = uniqueName('remove');
  const producer = ctx.queue(name);
  const control = makeControl();
  control.fails.add('bad');
  control.holds.add('hold');
  ctx.worker(name, control);
  const completed = String((await producer.add({ kind: 'ok' })).id);
  const failed = String((await producer.add({ kind: 'bad' }, { attempts: 1 })).id);
  await waitFor('finished', () => control.completedAt.has(completed) && control.failedAt.has(failed));
  const active = String((await producer.add({ kind: 'hold' })).id);
  await waitFor('held', () => control.held === active);
  const waiting = await producer.add({ kind: 'w' });
  await waiting.log('a line');
  const prio = String((await producer.add({ kind: 'p' }, { priority: 2 })).id);
  const delayed = String((await producer.add({ kind: 'd' }, { delay: HOUR })).id);
  const debounced = String((await producer.add({ kind: 'dd' }, { debounce: { id: 'deb-1' } })).id);
  await producer.add({ kind: 'r' }, { repeat: { every: HOUR } });
  const [repeatId] = (await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).filter((id) => id.startsWith('repeat:'));
  await ctx.redis.hset(keyOf(name, 'limiter:index'), String(waiting.id), keyOf(name, 'limiter:limited'));
  await ctx.redis.sadd(keyOf(name, 'limiter:limited'), String(waiting.id));
  assert.equal(await ctx.redis.get(keyOf(name, 'de:deb-1')), debounced);
  await ctx.inv(name);

  const ids = [String(waiting.id), prio, delayed, completed, failed, debounced, active, repeatId, 'no-such-job'];
  const outcome = await ctx.call('remove', name, { items: ids });
  assert.equal(outcome.reasonFor(active), 'locked by a worker');
  assert.equal(outcome.reasonFor(repeatId), 'job is the next run of a repeatable job');
  assert.equal(outcome.reasonFor('no-such-job'), 'not found');
  assert.deepEqual([outcome.done, outcome.skipped], [6, 3]);
  for (const id of [String(waiting.id), prio, delayed, completed, failed, debounced]) {
    assert.equal(await producer.getJob(id), null, `job ${id} gone`);
    assert.equal(await ctx.redis.exists(keyOf(name, `${id}:logs`)), 0);
  }
  assert.equal(await ctx.redis.zscore(keyOf(name, 'priority'), prio), null);
  assert.equal(await ctx.redis.exists(keyOf(name, 'de:deb-1')), 0);
  assert.equal(await ctx.redis.hexists(keyOf(name, 'limiter:index'), String(waiting.id)), 0);
  assert.equal(await ctx.redis.sismember(keyOf(name, 'limiter:limited'), String(waiting.id)), 0);
  await ctx.inv(name);
  control.releaseAll();
  await waitFor('the held job', () => control.completedAt.has(active));
  await ctx.inv(name);
});

// ---------------------------------------------------------------- clean

test('clean: completed/failed by finishedOn, wait/paused/delayed by the hash\'s age, bounded calls with a cursor, repeatable next run kept', async (ctx) => {
  const name = uniqueName('clean');
  const producer = ctx.queue(name);
  const control = makeControl();
  control.fails.add('bad');
  ctx.worker(name, control);
  await checkCleanOfFinishedJobs(ctx, name, producer, (n, kind) =>
    finishJobs(control, n, () => producer.add({ kind }, { attempts: 1 })));
  await ctx.inv(name);

  await ctx.afterEach(); // no worker: waiting jobs stay put
  const q2 = ctx.queue(name);
  await q2.add({ kind: 'r' }, { repeat: { every: HOUR } });
  const [repeatId] = (await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).filter((id) => id.startsWith('repeat:'));
  const oldWait = [];
  for (let i = 0; i < 4; i++) oldWait.push(String((await q2.add({ kind: 'w' }, { priority: i % 2 ? 3 : 0 })).id));
  const oldDelayed = [String((await q2.add({ kind: 'd' }, { delay: HOUR })).id), String((await q2.add({ kind: 'd' }, { delay: 2 * HOUR })).id)];
  await sleep(5);
  const cutoff2 = Date.now();
  await sleep(5);
  const newWait = [String((await q2.add({ kind: 'w' })).id)];
  const newDelayed = [String((await q2.add({ kind: 'd' }, { delay: HOUR / 2 })).id)];

  let calls = await ctx.runAll('clean', name, { state: 'wait', cutoff: cutoff2, limit: 2 });
  assert.equal(calls.done, 4);
  assert.equal(calls.length, 3, '5 ids, at most 2 examined per call');
  assert.deepEqual(await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1), newWait);
  assert.equal(await ctx.redis.zcard(keyOf(name, 'priority')), 0, 'priority index cleaned');
  calls = await ctx.runAll('clean', name, { state: 'delayed', cutoff: cutoff2, limit: 2 });
  assert.equal(calls.done, 2);
  assert.equal(calls.flatMap((c) => c.details).find((d) => d.id === repeatId)?.reason, 'job is the next run of a repeatable job');
  assert.deepEqual((await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).sort(), [...newDelayed, repeatId].sort());
  for (const id of [...oldWait, ...oldDelayed]) assert.equal(await ctx.redis.exists(keyOf(name, id)), 0);
  await ctx.inv(name);

  // paused list too
  await ctx.call('pause', name);
  calls = await ctx.runAll('clean', name, { state: 'paused', cutoff: Date.now(), limit: 10 });
  assert.equal(calls.done, 1);
  assert.equal(await ctx.redis.exists(keyOf(name, 'paused')), 0);
  await ctx.inv(name);
});

// ---------------------------------------------------------------- drain

test('drain: wait + paused + delayed in bounded calls, hashes of delayed jobs deleted too, repeatable next run kept and still scheduled, pause state kept', async (ctx) => {
  const name = uniqueName('drain');
  const producer = ctx.queue(name);
  const early = [];
  for (let i = 0; i < 3; i++) early.push(String((await producer.add({ kind: 'w' }, { priority: i === 1 ? 2 : 0 })).id));
  await ctx.call('pause', name); // wait -> paused
  const late = [];
  for (let i = 0; i < 3; i++) late.push(String((await producer.add({ kind: 'p' })).id));
  const delayed = [String((await producer.add({ kind: 'd' }, { delay: HOUR })).id)];
  await producer.add({ kind: 'r' }, { repeat: { every: HOUR } });
  const [repeatId] = (await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).filter((id) => id.startsWith('repeat:'));
  const repeatHash = await ctx.redis.hgetall(keyOf(name, repeatId));
  await ctx.inv(name);

  let calls = await ctx.runAll('drain', name, { limit: 2, delayed: 0 });
  assert.equal(calls.done, 6);
  assert.equal(await ctx.redis.exists(keyOf(name, 'wait'), keyOf(name, 'paused'), keyOf(name, 'priority')), 0);
  assert.equal(await ctx.redis.zcard(keyOf(name, 'delayed')), 2, 'delayed=0 keeps delayed');
  assert.equal(await producer.isPaused(), true, 'the pause survives (Bull\'s empty() would un-pause)');
  await ctx.inv(name);
  calls = await ctx.runAll('drain', name, { limit: 2, delayed: 1 });
  assert.equal(calls.done, 1);
  assert.deepEqual(await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1), [repeatId]);
  assert.deepEqual(await ctx.redis.hgetall(keyOf(name, repeatId)), repeatHash);
  for (const id of [...early, ...late, ...delayed]) assert.equal(await ctx.redis.exists(keyOf(name, id)), 0);
  await ctx.inv(name);
  // the kept job still runs (promoted by our promote) and Bull schedules the next one
  await ctx.call('resume', name);
  const control = makeControl();
  ctx.worker(name, control);
  await ctx.call('promote', name, { items: [repeatId] });
  await waitFor('the repeatable to run', () => control.completedAt.has(repeatId));
  await waitFor('its next run', async () => (await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).some((id) => id.startsWith('repeat:') && id !== repeatId));
  await ctx.inv(name);
});

test('reference: Bull\'s own empty() on delayed jobs', async (ctx) => {
  const name = uniqueName('drain-own');
  const producer = ctx.queue(name);
  await producer.add({ kind: 'd' }, { delay: HOUR });
  await producer.add({ kind: 'r' }, { repeat: { every: HOUR } });
  await producer.pause();
  await producer.empty();
  const orphans = [];
  for (const key of await ctx.redis.keys(`${keyOf(name, '')}*`)) {
    if ((await ctx.redis.type(key)) === 'hash' && (await ctx.redis.hexists(key, 'timestamp'))) orphans.push(key);
  }
  note(`reference: Bull 4.16.5 empty() left ${orphans.length} delayed job hash(es) in no state, and isPaused() = ${await producer.isPaused()} (meta-paused deleted: ${!(await ctx.redis.exists(keyOf(name, 'meta-paused')))})`);
});

// ---------------------------------------------------------------- batch and performance

async function templateQueue(ctx, name) {
  const { ids: [templateId] } = await ctx.failedJobs(name, [{ kind: 'bulk' }], { keepWorker: false });
  return templateId;
}

test('batch: retry-all of 5,000 failed jobs in calls of 1,000 ends with all 5,000 waiting, then completed by a worker', async (ctx) => {
  const name = uniqueName('batch');
  const templateId = await templateQueue(ctx, name);
  const ids = await cloneFailedJobs(ctx.redis, PREFIX, name, templateId, 4999, Date.now() - HOUR);
  ids.push(templateId);
  const producer = ctx.queue(name);
  assert.equal(await producer.getFailedCount(), 5000);
  const calls = await ctx.runAll('retry', name, { limit: 1000 });
  assert.deepEqual(calls.map((c) => c.done), [1000, 1000, 1000, 1000, 1000]);
  assert.equal(await producer.getWaitingCount(), 5000);
  assert.equal(await producer.getFailedCount(), 0);
  await ctx.inv(name);
  note(`Bull retry-all 5,000: ${calls.length} calls, ${fmt(calls.ms)} in total`);
  const control = makeControl();
  const t0 = performance.now();
  ctx.worker(name, control, 100);
  await waitFor('5,000 completed', async () => (await producer.getCompletedCount()) === 5000, 60000, 50);
  note(`a real Bull worker (concurrency 100) completed the 5,000 retried jobs in ${fmt(performance.now() - t0)}`);
  await ctx.inv(name);
  await ctx.redis.flushall();
}, { timeoutMs: 80000 });

test('batch: locked failed jobs in front are reported once and do not stop the jobs behind them', async (ctx) => {
  const name = uniqueName('locked');
  const templateId = await templateQueue(ctx, name);
  const ids = await cloneFailedJobs(ctx.redis, PREFIX, name, templateId, 9, Date.now() - HOUR);
  ids.push(templateId);
  // The three lowest scores are held by a (pretend) worker: they must stay in failed.
  const front = await ctx.redis.zrange(keyOf(name, 'failed'), 0, 2);
  for (const id of front) await ctx.redis.set(keyOf(name, `${id}:lock`), 'token', 'PX', 60000);
  const calls = await ctx.runAll('retry', name, { limit: 2 });
  assert.equal(calls.done, 7);
  assert.equal(calls.skipped, 3); // each locked job once
  assert.deepEqual((await ctx.redis.zrange(keyOf(name, 'failed'), 0, -1)).sort(), [...front].sort());
  assert.equal(await ctx.queue(name).getWaitingCount(), 7);
  for (const id of front) await ctx.redis.del(keyOf(name, `${id}:lock`));
  await ctx.redis.flushall();
});

test('bounded calls on 20,000 waiting and 20,000 completed jobs: clean examines at most limit ids per call, drain and remove stay short', async (ctx) => {
  const name = uniqueName('bounded');
  await checkBoundedCalls(ctx, name, await templateQueue(ctx, name), 'Bull');
}, { timeoutMs: 60000 });

test('performance: 1,000-id retry calls on 100,000 failed jobs, retry-all of 100,000, and Bull\'s own retryJobs() on the same data', async (ctx) => {
  const name = uniqueName('perf');
  await measureRetryAtScale(ctx, name, await templateQueue(ctx, name), {
    label: 'Bull',
    version: 'Bull 4.16.5',
    async openQueue(queueName) {
      const queue = ctx.queue(queueName);
      await queue.isReady();
      return queue;
    },
    getJob: (queue, id) => queue.getJob(id),
    retryJobsNote: ' (no priority, no lifo, no events)',
  });
}, { timeoutMs: 80000 });

await run('Bull action scripts (remove, clean, drain, batches, performance) against Bull 4.16.5', { setup, teardown: stopContext });
