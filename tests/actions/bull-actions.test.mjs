// Proves the Bull 4 action scripts (models/frameworks/bull/scripts/bull-*.lua) against the real, unmodified
// Bull 4.16.5 from tests/queues/node_modules: jobs are made with Bull's own Queue API, the scripts
// are called exactly as QueueScope's engine calls them (script-caller.mjs reads their `--!`
// header), and Bull's own API and real workers (queue.process) check the outcome.
//
//   node tests/actions/bull-actions.test.mjs        (any working directory)
//
// Starts its own redis-server (redis-server.mjs), prints measurements and a summary, exits 1 on
// any failure.
import { performance } from 'node:perf_hooks';
import { frameworks } from './script-caller.mjs';
import {
  assert, checkCleanOfFinishedJobs, finishJobs, keyOf, loadActionScripts, makeControl, PREFIX, scriptContext, startServer, uniqueName, stopContext, timePickUp, bullInvariants, checkBoundedCalls, cloneFailedJobs, fmt, measureRetryAtScale, note, run, sleep, test, waitFor, waitIdle,
} from './bull-kit.mjs';

const Redis = frameworks.require('ioredis');
const Bull = frameworks.require('bull');
const HOUR = 3600 * 1000;
const SCRIPTS = loadActionScripts('bull');

function setup() {
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
const pickUp = (ctx, control, ids, action) => timePickUp(ctx, control, ids, action, 'brpoplpush');

// ---------------------------------------------------------------- retry

test('retry: a failed job is picked up within ms, completes, gets one more attempt, retriedOn set, waiting@ published; a second call is skipped', async (ctx) => {
  const name = uniqueName('retry');
  const { producer, control, ids: [id] } = await ctx.failedJobs(name, [{ kind: 'flaky' }]);
  const subscriber = new Redis(ctx.server.port);
  const published = [];
  await subscriber.psubscribe(`${keyOf(name, 'waiting')}*`);
  subscriber.on('pmessage', (_pattern, _channel, message) => published.push(message));
  const now = Date.now();
  const { outcome, first, last } = await pickUp(ctx, control, [id], () => ctx.call('retry', name, { items: [id], now }));
  assert.deepEqual([outcome.done, outcome.skipped, outcome.more], [1, 0, false]);
  note(`Bull retry pick-up latency ${fmt(first)}, completed after ${fmt(last)}`);
  assert.ok(first < 1000);
  const job = await producer.getJob(id);
  assert.equal(await job.getState(), 'completed');
  assert.equal(job.attemptsMade, 1, 'kept (Bull counts failed attempts only)');
  assert.equal(job.retriedOn, now);
  await waitFor('the waiting@ message', () => published.includes(id), 2000);
  await subscriber.quit();

  const again = await ctx.call('retry', name, { items: [id] });
  assert.deepEqual([again.done, again.skipped, again.reasonFor(id)], [0, 1, 'not in failed']);
  await sleep(100);
  assert.equal(control.runs.get(id), 2);
  await ctx.inv(name);
});

test('retry: a job that a worker took meanwhile (locked) is skipped, not duplicated', async (ctx) => {
  const name = uniqueName('retry-race');
  const { producer, control, ids: [id] } = await ctx.failedJobs(name, [{ kind: 'slow' }]);
  control.holds.add('slow');
  await (await producer.getJob(id)).retry(); // Bull's own retry, e.g. from another dashboard
  await waitFor('the worker to hold it', () => control.held === id);
  const outcome = await ctx.call('retry', name, { items: [id] });
  assert.deepEqual([outcome.done, outcome.skipped, outcome.reasonFor(id)], [0, 1, 'locked by a worker']);
  const { where } = await ctx.inv(name);
  assert.equal(where.get(id), 'active');
  control.releaseAll();
  await waitFor('completion', () => control.completedAt.has(id));
  await sleep(50);
  assert.equal(control.runs.get(id), 2);
  assert.equal((await ctx.call('retry', name, { items: [id] })).reasonFor(id), 'not in failed');
  await ctx.inv(name);
});

test('retry all (cutoff, reset=1): a prioritized job is re-inserted where Bull\'s add would put it, lifo at the tail; order of execution as Bull\'s', async (ctx) => {
  const name = uniqueName('retry-all');
  const { producer, worker, ids } = await ctx.failedJobs(name, [
    { kind: 'x', opts: { priority: 2 } }, { kind: 'l', opts: { lifo: true } }, { kind: 'f' },
  ]);
  await worker.close();
  const [x, l, f] = ids;
  const cutoff = Date.now();
  // waiting jobs around which the retried ones must be placed
  const a = String((await producer.add({ kind: 'a' }, { priority: 1 })).id);
  const b = String((await producer.add({ kind: 'b' }, { priority: 3 })).id);
  const c = String((await producer.add({ kind: 'c' })).id);
  // the twin: the same waiting jobs, then Bull's own add of the same jobs in the order mode all
  // takes them (failure order), i.e. where Bull itself would put them
  const failedOrder = await ctx.redis.zrange(keyOf(name, 'failed'), 0, -1);
  const optsOf = { [x]: ['x', { priority: 2 }], [l]: ['l', { lifo: true }], [f]: ['f', {}] };
  const twinName = uniqueName('retry-all-twin');
  const twin = ctx.queue(twinName);
  const twinIds = {};
  for (const [kind, opts] of [['a', { priority: 1 }], ['b', { priority: 3 }], ['c', {}], ...failedOrder.map((id) => optsOf[id])]) {
    twinIds[String((await twin.add({ kind }, opts)).id)] = kind;
  }
  const twinWait = (await ctx.redis.lrange(keyOf(twinName, 'wait'), 0, -1)).map((id) => twinIds[id]);

  const outcome = await ctx.call('retry', name, { mode: 'all', cutoff, reset: 1 });
  assert.deepEqual([outcome.done, outcome.more], [3, false]);
  const kinds = { [a]: 'a', [b]: 'b', [c]: 'c', [x]: 'x', [l]: 'l', [f]: 'f' };
  const wait = (await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1)).map((id) => kinds[id]);
  assert.deepEqual(wait, twinWait, 'placement exactly as Bull\'s own add (priority LINSERT, lifo RPUSH, LPUSH)');
  assert.equal(await ctx.redis.zscore(keyOf(name, 'priority'), x), '2');
  assert.equal(await ctx.redis.hexists(keyOf(name, x), 'attemptsMade'), 0, 'reset=1');
  await ctx.inv(name);

  const control = makeControl();
  ctx.worker(name, control);
  await waitFor('all six', () => [a, b, c, x, l, f].every((id) => control.completedAt.has(id)));
  const ran = control.order.map((id) => kinds[id]);
  assert.deepEqual(ran, [...wait].reverse(), 'consumed from the tail');
  assert.equal((await producer.getJob(x)).attemptsMade, 0, 'reset=1, then one successful run (Bull counts failures only)');
  await ctx.inv(name);
});

test('retry while paused: the job goes to the paused list, does not run, and runs right after resume', async (ctx) => {
  const name = uniqueName('retry-paused');
  const { producer, control, ids: [id] } = await ctx.failedJobs(name, [{ kind: 'x' }]);
  const paused = await ctx.call('pause', name);
  assert.equal(paused.more, false);
  assert.equal(await producer.isPaused(), true, 'queue.isPaused() agrees with the script');
  assert.equal(await ctx.call('retry', name, { items: [id] }).then((o) => o.done), 1);
  assert.deepEqual(await ctx.redis.lrange(keyOf(name, 'paused'), 0, -1), [id]);
  assert.equal(await (await producer.getJob(id)).getState(), 'paused');
  await sleep(300);
  assert.equal(control.activeAt.has(id), false);
  await ctx.inv(name);
  const { outcome, first } = await pickUp(ctx, control, [id], () => ctx.call('resume', name));
  assert.equal(outcome.more, false);
  assert.equal(await producer.isPaused(), false);
  note(`Bull retry while paused, then resume: pick-up ${fmt(first)} after the resume call`);
  assert.ok(first < 1000);
  await ctx.inv(name);
});

// ---------------------------------------------------------------- promote

test('promote: delayed jobs run within ms (priority placement, delay 0); mode all in bounded calls; paused -> paused list', async (ctx) => {
  const name = uniqueName('promote');
  const control = makeControl();
  const producer = ctx.queue(name);
  ctx.worker(name, control);
  const d1 = String((await producer.add({ kind: 'd1' }, { delay: HOUR })).id);
  const d2 = String((await producer.add({ kind: 'd2' }, { delay: HOUR, priority: 4 })).id);
  const { outcome, first, last } = await pickUp(ctx, control, [d1, d2], () => ctx.call('promote', name, { items: [d1, d2] }));
  assert.deepEqual([outcome.done, outcome.skipped], [2, 0]);
  note(`Bull promote pick-up latency ${fmt(first)}, both completed after ${fmt(last)}`);
  assert.ok(first < 1000);
  for (const id of [d1, d2]) assert.equal((await producer.getJob(id)).delay, 0);
  assert.equal((await ctx.call('promote', name, { items: [d1] })).reasonFor(d1), 'not in delayed');
  await ctx.inv(name);
  await ctx.afterEach();

  const q2 = ctx.queue(name);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(String((await q2.add({ kind: `m${i}` }, { delay: HOUR + i })).id));
  await ctx.call('pause', name);
  const calls = await ctx.runAll('promote', name, { limit: 2 });
  assert.deepEqual(calls.map((c) => c.done), [2, 2, 1]);
  assert.equal(await ctx.redis.llen(keyOf(name, 'paused')), 5, 'meta-paused: into paused');
  await ctx.inv(name);
  const c2 = makeControl();
  ctx.worker(name, c2);
  await ctx.call('resume', name);
  await waitFor('all promoted to complete', () => ids.every((id) => c2.completedAt.has(id)));
  assert.deepEqual(c2.order, ids, 'FIFO');
  await ctx.inv(name);
});

// ---------------------------------------------------------------- pause / resume

test('pause/resume: isPaused() agrees, Bull adds go to paused, nothing runs; a multi-call resume merges ids pushed into wait meanwhile, loses nothing, keeps order', async (ctx) => {
  const name = uniqueName('pause');
  const producer = ctx.queue(name);
  const control = makeControl();
  const worker = ctx.worker(name, control);
  await ctx.call('pause', name);
  assert.equal(await producer.isPaused(), true);
  assert.equal(await ctx.redis.exists(keyOf(name, 'meta-paused')), 1);
  assert.equal(await ctx.redis.hget(keyOf(name, 'meta'), 'paused'), '1');
  assert.equal((await ctx.call('pause', name)).done, 0, 'a second pause moves nothing');
  const added = [];
  for (let i = 0; i < 7; i++) added.push(String((await producer.add({ kind: `p${i}` })).id));
  assert.equal(await ctx.redis.llen(keyOf(name, 'paused')), 7, 'Bull adds into paused');
  await sleep(300);
  assert.equal(control.activeAt.size, 0, 'nothing ran while paused');
  await ctx.inv(name);

  // A writer that ignores meta-paused (a naive monitor, a BullMQ client on a Bull queue) puts two
  // of them into wait. Bull workers would take them at once - Bull has no other pause mechanism -
  // so the worker is stopped to look at the lists between the resume calls.
  await worker.close();
  for (const id of [added[5], added[6]]) {
    await ctx.redis.lrem(keyOf(name, 'paused'), 1, id);
    await ctx.redis.lpush(keyOf(name, 'wait'), id);
  }
  const pausedList = await ctx.redis.lrange(keyOf(name, 'paused'), 0, -1);
  const waitList = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
  const expectedOrder = [...pausedList].reverse().concat([...waitList].reverse());
  await ctx.inv(name);
  let calls = 0;
  for (;;) {
    const out = await ctx.call('resume', name, { limit: 1 });
    calls++;
    if (!out.more) break;
    assert.equal(await producer.isPaused(), true, 'still paused between calls');
    await ctx.inv(name);
  }
  assert.equal(calls, 2, 'the 2 ids of wait moved one per call, then one RENAME');
  assert.equal(await producer.isPaused(), false);
  assert.equal(await ctx.redis.exists(keyOf(name, 'meta-paused')), 0);
  assert.equal(await ctx.redis.hexists(keyOf(name, 'meta'), 'paused'), 0);
  const c2 = makeControl();
  ctx.worker(name, c2);
  await waitFor('all 7', () => expectedOrder.every((id) => c2.completedAt.has(id)));
  assert.deepEqual(c2.order, expectedOrder, 'paused ids first, each list in its order');
  for (const id of expectedOrder) assert.equal(c2.runs.get(id), 1);
  await ctx.inv(name);
});

test('pause/resume interplay with Bull\'s own pause()/resume(); resume latency', async (ctx) => {
  const name = uniqueName('pause-own');
  const producer = ctx.queue(name);
  const control = makeControl();
  ctx.worker(name, control);
  await producer.pause(); // Bull's own pause
  const x = String((await producer.add({ kind: 'x' })).id);
  const { first } = await pickUp(ctx, control, [x], () => ctx.call('resume', name));
  note(`Bull resume (after Bull's own pause): pick-up ${fmt(first)} after the call`);
  assert.ok(first < 1000);
  await ctx.call('pause', name);
  const y = String((await producer.add({ kind: 'y' })).id);
  assert.equal(await producer.isPaused(), true);
  await producer.resume(); // Bull's own resume
  await waitFor('y', () => control.completedAt.has(y));
  await ctx.inv(name);
});

test('reference: Bull\'s own resume() drops ids that sit in wait while paused', async (ctx) => {
  const name = uniqueName('pause-own-drop');
  const producer = ctx.queue(name);
  await producer.pause();
  const a = String((await producer.add({ kind: 'a' })).id);
  const b = String((await producer.add({ kind: 'b' })).id);
  await ctx.redis.lrem(keyOf(name, 'paused'), 1, b);
  await ctx.redis.lpush(keyOf(name, 'wait'), b);
  await producer.resume();
  const wait = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
  note(`reference: Bull 4.16.5 resume() left wait=[${wait}]: job ${b} ${wait.includes(b) ? 'kept' : 'DROPPED (hash orphaned)'} (job ${a} was in paused)`);
});

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

await run('Bull action scripts against Bull 4.16.5', { setup, teardown: stopContext });
