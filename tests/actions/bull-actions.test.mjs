// Proves the Bull 4 action scripts (models/frameworks/bull/scripts/bull-*.lua) against the real, unmodified
// Bull 4.16.5 from tests/queues/node_modules: jobs are made with Bull's own Queue API, the scripts
// are called exactly as QueueScope's engine calls them (script-caller.mjs reads their `--!`
// header), and Bull's own API and real workers (queue.process) check the outcome.
//
//   node tests/actions/bull-actions.test.mjs        (any working directory)
//
// This file: retry, promote, pause/resume. bull-cleanup.test.mjs: remove, clean, drain, batches
// and performance. Fixtures: bull-fixture.mjs.
//
// Starts its own redis-server (redis-server.mjs), prints measurements and a summary, exits 1 on
// any failure.
import {
  assert, fmt, keyOf, makeControl, note, run, sleep, stopContext, test, uniqueName, waitFor,
} from './bull-kit.mjs';
import { Bull, HOUR, pickUp, Redis, setup } from './bull-fixture.mjs';

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

await run('Bull action scripts (retry, promote, pause/resume) against Bull 4.16.5', { setup, teardown: stopContext });
