// Proves the BullMQ action scripts (models/frameworks/bullmq/scripts/bullmq-*.lua) against the real,
// unmodified BullMQ 6.7.0 and 5.47.3 (npm alias bullmq5) from tests/queues/node_modules: jobs are
// made with BullMQ's own Queue/FlowProducer API, the scripts are called exactly as QueueScope's
// engine calls them (script-caller.mjs reads their `--!` header), and BullMQ's own API and real
// Workers (default drainDelay 5 s, so a missing marker shows up as seconds) check the outcome.
//
//   node tests/actions/bullmq-actions.test.mjs        (any working directory)
//
// Starts its own redis-server (redis-server.mjs), prints measurements and a summary, exits 1 on
// any failure.
import { performance } from 'node:perf_hooks';
import { frameworks } from './script-caller.mjs';
import {
  assert, checkCleanOfFinishedJobs, finishJobs, keyOf, loadActionScripts, makeControl, PREFIX, scriptContext, startServer, uniqueName, stopContext, timePickUp, bullmqInvariants, checkBoundedCalls, cloneFailedJobs, fmt, measureRetryAtScale, note, run, sleep, test, waitFor, waitIdle,
} from './bull-kit.mjs';

const Redis = frameworks.require('ioredis');
const BULLMQ = { v6: frameworks.require('bullmq'), v5: frameworks.require('bullmq5') };
const HOUR = 3600 * 1000;
const SCRIPTS = loadActionScripts('bullmq');

// ---------------------------------------------------------------- fixtures per test

function setup() {
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
const pickUp = (ctx, control, ids, action) => timePickUp(ctx, control, ids, action, 'bzpopmin');

async function eventsOf(ctx, queue, filter = () => true) {
  const entries = await ctx.redis.xrange(keyOf(queue, 'events'), '-', '+');
  return entries.map(([, fields]) => {
    const o = {};
    for (let i = 0; i < fields.length; i += 2) o[fields[i]] = fields[i + 1];
    return o;
  }).filter(filter);
}

// ---------------------------------------------------------------- retry

for (const ver of ['v6', 'v5']) {
  test(`${ver} retry: one failed job is picked up within ms, completes, gets exactly one more attempt; a second call is skipped`, async (ctx) => {
    const name = uniqueName(`retry-${ver}`);
    const { queue, control, ids: [id] } = await ctx.failedJobs(ver, name, [{ name: 'flaky' }]);
    const { outcome, first, last } = await pickUp(ctx, control, [id], () => ctx.call('retry', name, { items: [id] }));
    assert.deepEqual([outcome.done, outcome.skipped, outcome.more], [1, 0, false]);
    note(`${ver} retry pick-up latency ${fmt(first)}, completed after ${fmt(last)} (idle worker, drainDelay 5 s)`);
    assert.ok(first < 1000, `picked up after ${first} ms: marker missing?`);
    const job = await queue.getJob(id);
    assert.equal(await job.getState(), 'completed');
    assert.equal(job.attemptsMade, 2, 'atm kept: one more attempt');
    const waiting = await eventsOf(ctx, name, (e) => e.event === 'waiting' && e.prev === 'failed');
    assert.equal(waiting.length, 1);

    const again = await ctx.call('retry', name, { items: [id] });
    assert.deepEqual([again.done, again.skipped], [0, 1]);
    assert.equal(again.reasonFor(id), 'not in failed');
    await sleep(100);
    assert.equal(control.runs.get(id), 2, 'ran once failing and once retried, never twice');
    await ctx.inv(name);
  });

  test(`${ver} retry: a job that a worker took meanwhile is skipped, not duplicated`, async (ctx) => {
    const name = uniqueName(`retry-race-${ver}`);
    const { queue, control, ids: [id] } = await ctx.failedJobs(ver, name, [{ name: 'slow' }]);
    control.holds.add('slow');
    await (await queue.getJob(id)).retry(); // BullMQ's own retry, e.g. from another dashboard
    await waitFor('the worker to hold the job', () => control.held === id);
    const outcome = await ctx.call('retry', name, { items: [id] }); // the stale list still shows it failed
    assert.deepEqual([outcome.done, outcome.skipped, outcome.reasonFor(id)], [0, 1, 'not in failed']);
    const { where } = await ctx.inv(name);
    assert.equal(where.get(id), 'active');
    control.releaseAll();
    await waitFor('completion', () => control.completedAt.has(id));
    await sleep(50);
    assert.equal(control.runs.get(id), 2);
    const { where: after } = await ctx.inv(name);
    assert.equal(after.get(id), 'completed');
  });

  test(`${ver} retry all (cutoff, reset=1): priority -> prioritized with the pc score, lifo -> tail, the rest FIFO; all complete with atm 1`, async (ctx) => {
    const name = uniqueName(`retry-all-${ver}`);
    const { queue, control, worker, ids } = await ctx.failedJobs(ver, name, [
      { name: 'a' }, { name: 'p', opts: { priority: 2 } },
      { name: 'l', opts: { lifo: true } }, { name: 'b' },
    ], { keepWorker: true });
    await worker.close();
    const [a, p, l, b] = ids;
    const cutoff = Date.now();
    await sleep(5);
    // one more failure after the cutoff, which mode all must leave alone
    const c2 = makeControl();
    c2.fails.add('late');
    const w2 = ctx.worker(ver, name, c2);
    const late = await queue.add('late', {}, { attempts: 1 });
    await waitFor('late failure', async () => (await queue.getFailedCount()) === 5);
    await w2.close();

    // mode all takes them in failure order: FIFO ids LPUSHed (the first failed runs first), lifo RPUSHed
    const failedOrder = (await ctx.redis.zrange(keyOf(name, 'failed'), 0, -1)).filter((id) => id !== late.id);
    const fifo = failedOrder.filter((id) => id === a || id === b);
    const outcome = await ctx.call('retry', name, { mode: 'all', cutoff, reset: 1, limit: 10 });
    assert.deepEqual([outcome.done, outcome.skipped, outcome.more], [4, 0, false]);
    const wait = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
    assert.deepEqual(wait, [...fifo].reverse().concat([l]), 'FIFO ids at the head, the lifo id at the tail');
    const [member, score] = await ctx.redis.zrange(keyOf(name, 'prioritized'), 0, -1, 'WITHSCORES');
    const pc = Number(await ctx.redis.get(keyOf(name, 'pc')));
    assert.equal(member, p);
    assert.equal(Number(score), 2 * 2 ** 32 + (pc % 2 ** 32));
    assert.equal(await ctx.redis.zscore(keyOf(name, 'failed'), late.id) !== null, true, 'failed after the cutoff: kept');
    assert.equal(await ctx.redis.hexists(keyOf(name, a), 'atm'), 0, 'reset=1 deletes atm');
    await ctx.inv(name);

    const c3 = makeControl();
    ctx.worker(ver, name, c3);
    await waitFor('all four to complete', () => [a, p, l, b].every((id) => c3.completedAt.has(id)));
    assert.deepEqual(c3.order.slice(0, 4), [l, ...fifo, p], 'wait from the tail, then prioritized');
    for (const id of [a, p, l, b]) assert.equal((await queue.getJob(id)).attemptsMade, 1);

    // ids mode honours the limit
    const capped = await ctx.call('retry', name, { items: [late.id, 'no-such-job'], limit: 1 });
    assert.deepEqual([capped.done, capped.skipped, capped.reasonFor('no-such-job')], [1, 1, 'over the batch limit']);
    await waitFor('late to complete', () => c3.completedAt.has(late.id));
    await ctx.inv(name);
  });

  test(`${ver} retry while paused: the job stays waiting (${ver === 'v6' ? 'in wait' : 'in the legacy paused list'}) and runs right after resume`, async (ctx) => {
    const name = uniqueName(`retry-paused-${ver}`);
    const { queue, control, ids: [id] } = await ctx.failedJobs(ver, name, [{ name: 'x' }]);
    const paused = await ctx.call('pause', name);
    assert.equal(paused.more, false);
    assert.equal(await queue.isPaused(), true, 'queue.isPaused() agrees with the script');
    const outcome = await ctx.call('retry', name, { items: [id] });
    assert.equal(outcome.done, 1);
    const inWait = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
    const inPaused = await ctx.redis.lrange(keyOf(name, 'paused'), 0, -1);
    if (ver === 'v6') assert.deepEqual([inWait, inPaused], [[id], []]);
    else assert.deepEqual([inWait, inPaused], [[], [id]]);
    assert.equal(await ctx.redis.zcard(keyOf(name, 'marker')), 0, 'no marker while paused');
    assert.equal(await (await queue.getJob(id)).getState(), 'waiting', 'BullMQ itself sees it waiting');
    await sleep(300);
    assert.equal(control.activeAt.has(id), false, 'did not run while paused');
    await ctx.inv(name);
    const { outcome: resumed, first } = await pickUp(ctx, control, [id], () => ctx.call('resume', name));
    assert.equal(resumed.more, false);
    assert.equal(await queue.isPaused(), false);
    note(`${ver} retry while paused, then resume: pick-up ${fmt(first)} after the resume call`);
    assert.ok(first < 1000);
    await ctx.inv(name);
  });

  test(`${ver} retry of a flow child: back into the parent's dependencies; the parent then completes with both children`, async (ctx) => {
    const name = uniqueName(`retry-flow-${ver}`);
    const control = makeControl();
    control.fails.add('c1');
    const queue = ctx.queue(ver, name);
    const tree = await ctx.flow(ver).add({
      name: 'parent', queueName: name, data: {},
      children: [
        { name: 'c1', queueName: name, data: {}, opts: { attempts: 1, ignoreDependencyOnFailure: true } },
        { name: 'c2', queueName: name, data: {}, opts: { delay: HOUR } },
      ],
    });
    const parentId = tree.job.id;
    const [c1, c2] = tree.children.map((c) => c.job).sort((x, y) => (x.name < y.name ? -1 : 1));
    ctx.worker(ver, name, control);
    await waitFor('c1 to fail', async () => (await queue.getFailedCount()) === 1);
    const parentKey = keyOf(name, parentId);
    const c1Key = keyOf(name, c1.id);
    assert.equal(await ctx.redis.hexists(`${parentKey}:failed`, c1Key), 1, 'ignored failure recorded on the parent');
    assert.equal(await ctx.redis.sismember(`${parentKey}:dependencies`, c1Key), 0);
    control.fails.clear();

    const outcome = await ctx.call('retry', name, { items: [c1.id] });
    assert.equal(outcome.done, 1);
    await waitFor('c1 to complete', () => control.completedAt.has(c1.id));
    assert.equal(await ctx.redis.hexists(`${parentKey}:failed`, c1Key), 0);
    assert.equal(await ctx.redis.hexists(`${parentKey}:processed`, c1Key), 1, 'the retried child reported to its parent');
    assert.equal(await (await queue.getJob(parentId)).getState(), 'waiting-children');

    const promoted = await ctx.call('promote', name, { items: [c2.id] });
    assert.equal(promoted.done, 1);
    await waitFor('the parent to complete', () => control.completedAt.has(parentId));
    const parent = await queue.getJob(parentId);
    assert.deepEqual(Object.keys(parent.returnvalue.children).sort(), [c1Key, keyOf(name, c2.id)].sort());
    await ctx.inv(name);
  });
}

// ---------------------------------------------------------------- promote

for (const ver of ['v6', 'v5']) {
  test(`${ver} promote: delayed jobs run within ms, priority kept, delay 0; mode all in bounded calls`, async (ctx) => {
    const name = uniqueName(`promote-${ver}`);
    const queue = ctx.queue(ver, name);
    const control = makeControl();
    ctx.worker(ver, name, control);
    const d1 = await queue.add('d1', {}, { delay: HOUR });
    const d2 = await queue.add('d2', {}, { delay: HOUR, priority: 3 });
    const { outcome, first, last } = await pickUp(ctx, control, [d1.id, d2.id],
      () => ctx.call('promote', name, { items: [d1.id, d2.id] }));
    assert.deepEqual([outcome.done, outcome.skipped], [2, 0]);
    note(`${ver} promote pick-up latency ${fmt(first)}, both completed after ${fmt(last)}`);
    assert.ok(first < 1000);
    for (const id of [d1.id, d2.id]) assert.equal((await queue.getJob(id)).delay, 0);
    const again = await ctx.call('promote', name, { items: [d1.id] });
    assert.equal(again.reasonFor(d1.id), 'not in delayed');
    const events = await eventsOf(ctx, name, (e) => e.event === 'waiting' && e.prev === 'delayed');
    assert.equal(events.length, 2);
    await ctx.inv(name);

    // mode all, 5 delayed jobs (one prioritized) in calls of 2, worker stopped meanwhile
    await ctx.afterEach();
    const q2 = ctx.queue(ver, name);
    const more = [];
    for (let i = 0; i < 5; i++) more.push((await q2.add(`m${i}`, {}, { delay: HOUR + i, priority: i === 2 ? 1 : 0 })).id);
    const calls = await ctx.runAll('promote', name, { limit: 2 });
    assert.deepEqual(calls.map((c) => c.done), [2, 2, 1]);
    assert.equal(await ctx.redis.llen(keyOf(name, 'wait')), 4);
    assert.deepEqual(await ctx.redis.zrange(keyOf(name, 'prioritized'), 0, -1), [more[2]]);
    await ctx.inv(name);
    const c2 = makeControl();
    ctx.worker(ver, name, c2);
    await waitFor('all promoted to complete', () => more.every((id) => c2.completedAt.has(id)));
    await ctx.inv(name);
  });
}

test('v5 promote while paused goes to the legacy paused list', async (ctx) => {
  const name = uniqueName('promote-paused-v5');
  const queue = ctx.queue('v5', name);
  const d = await queue.add('d', {}, { delay: HOUR });
  await queue.pause(); // BullMQ 5's own pause
  const outcome = await ctx.call('promote', name, { items: [d.id] });
  assert.equal(outcome.done, 1);
  assert.deepEqual(await ctx.redis.lrange(keyOf(name, 'paused'), 0, -1), [d.id]);
  assert.equal(await ctx.redis.exists(keyOf(name, 'wait')), 0);
  await queue.resume(); // BullMQ 5's own resume finds it where it expects it
  const control = makeControl();
  ctx.worker('v5', name, control);
  await waitFor('completion', () => control.completedAt.has(d.id));
  await ctx.inv(name);
});

// ---------------------------------------------------------------- pause / resume

for (const ver of ['v6', 'v5']) {
  test(`${ver} pause/resume: isPaused() agrees, nothing runs while paused, jobs added meanwhile all run after resume`, async (ctx) => {
    const name = uniqueName(`pause-${ver}`);
    const queue = ctx.queue(ver, name);
    const control = makeControl();
    ctx.worker(ver, name, control);
    const warm = await queue.add('warm', {});
    await waitFor('warm-up', () => control.completedAt.has(warm.id));
    const before = [];
    for (let i = 0; i < 3; i++) before.push((await queue.add(`w${i}`, {}, { delay: 0 })).id);
    await waitFor('before', () => before.every((id) => control.completedAt.has(id)));

    const paused = await ctx.call('pause', name);
    assert.equal(paused.more, false);
    assert.equal(await queue.isPaused(), true);
    assert.equal(await ctx.redis.exists(keyOf(name, 'marker')), 0);
    assert.equal((await eventsOf(ctx, name, (e) => e.event === 'paused')).length, 1);
    const again = await ctx.call('pause', name);
    assert.equal(again.done, 0);
    assert.equal((await eventsOf(ctx, name, (e) => e.event === 'paused')).length, 1, 'one event for two calls');

    const added = [];
    for (let i = 0; i < 4; i++) added.push((await queue.add(`p${i}`, {})).id);
    if (ver === 'v5') {
      assert.equal(await ctx.redis.llen(keyOf(name, 'paused')), 4, 'v5 adds into paused');
      assert.equal(await ctx.redis.exists(keyOf(name, 'wait')), 0);
    } else {
      assert.equal(await ctx.redis.llen(keyOf(name, 'wait')), 4, 'v6 adds into wait');
    }
    await sleep(300);
    assert.ok(added.every((id) => !control.activeAt.has(id)), 'nothing ran while paused');
    await ctx.inv(name);

    const { outcome, first, last } = await pickUp(ctx, control, added, () => ctx.call('resume', name));
    assert.equal(outcome.more, false);
    assert.equal(await queue.isPaused(), false);
    assert.equal((await eventsOf(ctx, name, (e) => e.event === 'resumed')).length, 1);
    note(`${ver} resume: first job active ${fmt(first)} after the call, 4 done after ${fmt(last)}`);
    assert.ok(first < 1000);
    assert.deepEqual(control.order.slice(-4), added, 'FIFO');
    await ctx.inv(name);

    // interplay with the framework's own pause/resume
    await queue.pause();
    const x = await queue.add('x', {});
    assert.equal(await queue.isPaused(), true);
    await pickUp(ctx, control, [x.id], () => ctx.call('resume', name));
    await ctx.call('pause', name);
    const y = await queue.add('y', {});
    await queue.resume();
    await waitFor('y after the framework resume', () => control.completedAt.has(y.id));
    await ctx.inv(name);
  });
}

test('v5 pause with jobs pushed meanwhile by v5 and v6 clients and a retry: a multi-call resume loses nothing, keeps order, stays paused between calls', async (ctx) => {
  const name = uniqueName('pause-mixed-v5');
  const q5 = ctx.queue('v5', name);
  const { ids: [failedId] } = await ctx.failedJobs('v5', name, [{ name: 'f' }], { keepWorker: false });
  const early = [];
  for (let i = 0; i < 5; i++) early.push((await q5.add(`e${i}`, {})).id);
  const paused = await ctx.call('pause', name);
  assert.equal(paused.done, 5, 'legacy pause: RENAME wait -> paused');
  assert.deepEqual(await ctx.redis.lrange(keyOf(name, 'paused'), 0, -1), [...early].reverse());
  for (let i = 0; i < 3; i++) await q5.add(`v5-${i}`, {});
  const q6 = ctx.queue('v6', name); // a v6 Queue object rewrites meta.version ...
  for (let i = 0; i < 3; i++) await q6.add(`v6-${i}`, {}); // ... and adds into wait, paused or not
  assert.match(await ctx.redis.hget(keyOf(name, 'meta'), 'version'), /^bullmq:6\./);
  const retried = await ctx.call('retry', name, { items: [failedId] });
  assert.equal(retried.done, 1);
  assert.equal((await ctx.redis.lrange(keyOf(name, 'paused'), 0, 0))[0], failedId, 'a legacy paused list exists: retry writes there');

  const pausedList = await ctx.redis.lrange(keyOf(name, 'paused'), 0, -1);
  const waitList = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
  assert.deepEqual([pausedList.length, waitList.length], [9, 3]);
  const expectedOrder = [...pausedList].reverse().concat([...waitList].reverse());
  await ctx.inv(name);

  const control = makeControl();
  ctx.worker('v5', name, control);
  let calls = 0;
  for (;;) {
    const out = await ctx.call('resume', name, { limit: 2 });
    calls++;
    if (!out.more) break;
    assert.equal(await q5.isPaused(), true, 'still paused between calls');
    await sleep(20);
    assert.equal(control.activeAt.size, 0, 'nothing runs before the resume completes');
    await ctx.inv(name);
  }
  assert.equal(calls, 2, 'the smaller list (wait, 3 ids) moved in chunks of 2, then one RENAME');
  assert.equal(await q5.isPaused(), false);
  await waitFor('all 12 to complete', () => expectedOrder.every((id) => control.completedAt.has(id)));
  assert.deepEqual(control.order, expectedOrder, 'paused ids first, each list in its order');
  for (const id of expectedOrder) assert.equal(control.runs.get(id), 1);
  await ctx.inv(name);
});

test('v5 reference: BullMQ 5\'s own resume() on the same mix drops the ids that sit in wait', async (ctx) => {
  const name = uniqueName('pause-mixed-v5-own');
  const q5 = ctx.queue('v5', name);
  await q5.add('e', {});
  await q5.pause();
  await q5.add('v5', {});
  const q6 = ctx.queue('v6', name);
  const lost = await q6.add('v6', {});
  await q5.resume();
  const wait = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
  const dropped = !wait.includes(lost.id) && (await ctx.redis.exists(keyOf(name, lost.id))) === 1;
  note(`reference: BullMQ 5.47.3 resume() ${dropped ? 'DROPPED' : 'kept'} job ${lost.id} that a v6 client added during the pause (hash orphaned)`);
});

test('v5 multi-call pause merges into an existing legacy list; the queue is paused from the first call', async (ctx) => {
  const name = uniqueName('pause-merge-v5');
  const q5 = ctx.queue('v5', name);
  const old = [];
  for (let i = 0; i < 6; i++) old.push((await q5.add(`old${i}`, {})).id);
  await q5.pause();
  await ctx.redis.hdel(keyOf(name, 'meta'), 'paused'); // as an interrupted BullMQ 6 resume() leaves it
  const fresh = [];
  for (let i = 0; i < 5; i++) fresh.push((await q5.add(`new${i}`, {})).id);
  const expectedOrder = [...old, ...fresh];
  const calls = await ctx.runAll('pause', name, { limit: 2 });
  assert.deepEqual(calls.map((c) => c.more), [true, true, false]);
  assert.equal(await q5.isPaused(), true);
  assert.equal(await ctx.redis.exists(keyOf(name, 'wait')), 0);
  assert.equal(await ctx.redis.llen(keyOf(name, 'paused')), 11);
  await ctx.inv(name);
  const control = makeControl();
  ctx.worker('v5', name, control);
  await sleep(200);
  assert.equal(control.activeAt.size, 0);
  await ctx.runAll('resume', name, { limit: 2 });
  await waitFor('all to complete', () => expectedOrder.every((id) => control.completedAt.has(id)));
  assert.deepEqual(control.order, expectedOrder);
  await ctx.inv(name);
});

// ---------------------------------------------------------------- remove

for (const ver of ['v6', 'v5']) {
  test(`${ver} remove: every state; locked, job-scheduler and parent-with-children refused; a child's removal releases its parent`, async (ctx) => {
    const name = uniqueName(`remove-${ver}`);
    const queue = ctx.queue(ver, name);
    const control = makeControl();
    control.fails.add('bad');
    control.holds.add('hold');
    ctx.worker(ver, name, control);
    const completed = await queue.add('ok', {});
    const failed = await queue.add('bad', {}, { attempts: 1 });
    await waitFor('finished', async () => control.completedAt.has(completed.id) && control.failedAt.has(failed.id));
    const active = await queue.add('hold', {});
    await waitFor('held', () => control.held === active.id);
    // everything below stays put: the only worker slot is held
    const waiting = await queue.add('w', {});
    await waiting.log('a log line');
    const prioritized = await queue.add('p', {}, { priority: 5 });
    const delayed = await queue.add('d', {}, { delay: HOUR });
    const dedup = await queue.add('dd', {}, { deduplication: { id: 'dedup-1' } });
    const foreign = await queue.add('fd', {}, { deduplication: { id: 'dedup-2' } });
    await ctx.redis.set(keyOf(name, 'de:dedup-2'), 'someone-else');
    const scheduled = await queue.upsertJobScheduler('every-hour', { every: HOUR }, { name: 'tick' });
    const tree = await ctx.flow(ver).add({
      name: 'parent', queueName: name, data: {},
      children: [{ name: 'k1', queueName: name, data: {} }, { name: 'k2', queueName: name, data: {} }],
    });
    const parentId = tree.job.id;
    const [k1, k2] = tree.children.map((c) => c.job.id);
    await ctx.inv(name);

    const outcome = await ctx.call('remove', name, {
      items: [waiting.id, prioritized.id, delayed.id, completed.id, failed.id, dedup.id, foreign.id,
        active.id, scheduled.id, parentId, 'no-such-job', k1],
    });
    assert.equal(outcome.reasonFor(active.id), 'locked by a worker');
    assert.equal(outcome.reasonFor(scheduled.id), 'job is a job-scheduler job');
    assert.equal(outcome.reasonFor(parentId), 'has pending children');
    assert.equal(outcome.reasonFor('no-such-job'), 'not found');
    assert.deepEqual([outcome.done, outcome.skipped], [8, 4]);
    for (const id of [waiting.id, prioritized.id, delayed.id, completed.id, failed.id, dedup.id, k1]) {
      assert.equal(await queue.getJob(id), undefined, `job ${id} gone`);
    }
    assert.equal(await ctx.redis.exists(keyOf(name, `${waiting.id}:logs`)), 0, ':logs deleted');
    assert.equal(await ctx.redis.exists(keyOf(name, 'de:dedup-1')), 0, 'own dedup key deleted');
    assert.equal(await ctx.redis.get(keyOf(name, 'de:dedup-2')), 'someone-else', 'foreign dedup key kept');
    const removed = await eventsOf(ctx, name, (e) => e.event === 'removed');
    const prev = Object.fromEntries(removed.map((e) => [e.jobId, e.prev]));
    assert.deepEqual(
      [prev[waiting.id], prev[prioritized.id], prev[delayed.id], prev[completed.id], prev[failed.id]],
      ['wait', 'prioritized', 'delayed', 'completed', 'failed'],
    );
    assert.equal(await (await queue.getJob(parentId)).getState(), 'waiting-children', 'one child left');
    await ctx.inv(name);

    const last = await ctx.call('remove', name, { items: [k2] });
    assert.equal(last.done, 1);
    assert.equal(await (await queue.getJob(parentId)).getState(), 'waiting', 'released by its last child');
    const released = await eventsOf(ctx, name, (e) => e.event === 'waiting' && e.prev === 'waiting-children');
    assert.deepEqual(released.map((e) => e.jobId), [parentId]);
    await ctx.inv(name);
    control.releaseAll();
    await waitFor('the released parent to complete', () => control.completedAt.has(parentId));
    assert.deepEqual((await queue.getJob(parentId)).returnvalue, { children: {} });
    await ctx.inv(name);
  });
}

test('v5 remove from the legacy paused list reports prev=paused', async (ctx) => {
  const name = uniqueName('remove-paused-v5');
  const queue = ctx.queue('v5', name);
  const job = await queue.add('x', {});
  await queue.pause();
  const outcome = await ctx.call('remove', name, { items: [job.id] });
  assert.equal(outcome.done, 1);
  const [event] = await eventsOf(ctx, name, (e) => e.event === 'removed');
  assert.equal(event.prev, 'paused');
  await ctx.inv(name);
});

// ---------------------------------------------------------------- clean

for (const ver of ['v6', 'v5']) {
  test(`${ver} clean: completed/failed by finishedOn, wait/delayed/prioritized by the hash's age, bounded calls with a cursor, scheduler job kept`, async (ctx) => {
    const name = uniqueName(`clean-${ver}`);
    const queue = ctx.queue(ver, name);
    const control = makeControl();
    control.fails.add('bad');
    ctx.worker(ver, name, control);
    await checkCleanOfFinishedJobs(ctx, name, queue, (n, jobName) =>
      finishJobs(control, n, () => queue.add(jobName, {}, { attempts: 1 })));
    const cleaned = await eventsOf(ctx, name, (e) => e.event === 'cleaned');
    assert.deepEqual(cleaned.map((e) => Number(e.count)), [2, 1, 2]);
    await ctx.inv(name);

    // waiting states: pause so that nothing moves, make old and new jobs of each kind
    await ctx.call('pause', name);
    const scheduled = await queue.upsertJobScheduler('every-hour', { every: HOUR }, { name: 'tick' });
    const yearly = await queue.upsertJobScheduler('yearly', { pattern: '0 0 1 1 *' }, { name: 'tock' });
    const oldWait = [];
    for (let i = 0; i < 4; i++) oldWait.push((await queue.add('w', {})).id);
    const oldDelayed = [(await queue.add('d', {}, { delay: HOUR })).id, (await queue.add('d', {}, { delay: 2 * HOUR })).id];
    const oldPrio = [(await queue.add('p', {}, { priority: 1 })).id, (await queue.add('p', {}, { priority: 9 })).id];
    await sleep(5);
    const cutoff2 = Date.now();
    await sleep(5);
    const newWait = [(await queue.add('w', {})).id];
    const newDelayed = [(await queue.add('d', {}, { delay: HOUR / 2 })).id];
    const newPrio = [(await queue.add('p', {}, { priority: 4 })).id];
    const waitState = ver === 'v6' ? 'wait' : 'paused';

    let calls = await ctx.runAll('clean', name, { state: waitState, cutoff: cutoff2, limit: 2 });
    assert.equal(calls.done, 4);
    assert.equal(calls.length, 3, '6 ids examined, at most 2 per call');
    assert.equal(calls.flatMap((c) => c.details).find((d) => d.id === scheduled.id)?.reason, 'job is a job-scheduler job');
    assert.deepEqual((await ctx.redis.lrange(keyOf(name, waitState), 0, -1)).sort(), [...newWait, scheduled.id].sort());
    calls = await ctx.runAll('clean', name, { state: 'delayed', cutoff: cutoff2, limit: 2 });
    assert.equal(calls.done, 2);
    assert.deepEqual((await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).sort(), [...newDelayed, yearly.id].sort());
    calls = await ctx.runAll('clean', name, { state: 'prioritized', cutoff: cutoff2, limit: 5 });
    assert.equal(calls.done, 2);
    assert.deepEqual(await ctx.redis.zrange(keyOf(name, 'prioritized'), 0, -1), newPrio);
    for (const id of [...oldWait, ...oldDelayed, ...oldPrio]) assert.equal(await ctx.redis.exists(keyOf(name, id)), 0);
    await ctx.inv(name);
    await ctx.call('resume', name);
    await waitFor('the survivors to run', () => [...newWait, ...newPrio, scheduled.id].every((id) => control.completedAt.has(id)));
    await ctx.inv(name);
  });
}

test('v6 clean of a flow child: a same-queue parent left without children is deleted, a parent in another queue moves to its wait (as BullMQ\'s removeJob(hard))', async (ctx) => {
  const name = uniqueName('clean-flow');
  const other = uniqueName('clean-flow-parent');
  const queue = ctx.queue('v6', name);
  ctx.queue('v6', other);
  await ctx.call('pause', name);
  const same = await ctx.flow('v6').add({ name: 'parent', queueName: name, children: [{ name: 'c', queueName: name }] });
  const cross = await ctx.flow('v6').add({ name: 'parent', queueName: other, children: [{ name: 'c', queueName: name }] });
  const cutoff = Date.now();
  const calls = await ctx.runAll('clean', name, { state: 'wait', cutoff, limit: 10 });
  assert.equal(calls.done, 2);
  assert.equal(await ctx.redis.exists(keyOf(name, same.job.id)), 0, 'same-queue parent deleted');
  assert.equal(await ctx.redis.zscore(keyOf(name, 'waiting-children'), same.job.id), null);
  assert.deepEqual(await ctx.redis.lrange(keyOf(other, 'wait'), 0, -1), [cross.job.id], 'cross-queue parent released');
  await ctx.inv(name);
  await ctx.inv(other);
  const control = makeControl();
  ctx.worker('v6', other, control);
  await waitFor('released parent to run', () => control.completedAt.has(cross.job.id));
  await queue.count();
});

// ---------------------------------------------------------------- drain

for (const ver of ['v6', 'v5']) {
  test(`${ver} drain: wait${ver === 'v5' ? ' (legacy paused list)' : ''}, prioritized and (delayed=1) delayed in bounded calls; job-scheduler jobs kept intact and still run`, async (ctx) => {
    const name = uniqueName(`drain-${ver}`);
    const queue = ctx.queue(ver, name);
    await ctx.call('pause', name);
    const plain = [];
    for (let i = 0; i < 3; i++) plain.push((await queue.add('w', {})).id);
    const scheduled = await queue.upsertJobScheduler('every-hour', { every: HOUR }, { name: 'tick' });
    for (let i = 0; i < 3; i++) plain.push((await queue.add('w', {}, { deduplication: { id: `dd${i}` } })).id);
    const prio = [(await queue.add('p', {}, { priority: 2 })).id, (await queue.add('p', {}, { priority: 1 })).id];
    const delayed = [(await queue.add('d', {}, { delay: HOUR })).id];
    const yearly = await queue.upsertJobScheduler('yearly', { pattern: '0 0 1 1 *' }, { name: 'tock' });
    const list = ver === 'v6' ? 'wait' : 'paused';
    assert.ok((await ctx.redis.lrange(keyOf(name, list), 0, -1)).includes(scheduled.id), 'scheduler job waiting');
    const schedulerHash = await ctx.redis.hgetall(keyOf(name, scheduled.id));
    await ctx.inv(name);

    let calls = await ctx.runAll('drain', name, { limit: 3, delayed: 0 });
    assert.equal(calls.done, 8);
    assert.ok(calls.length >= 3);
    assert.deepEqual(await ctx.redis.lrange(keyOf(name, list), 0, -1), [scheduled.id]);
    assert.equal(await ctx.redis.zcard(keyOf(name, 'prioritized')), 0);
    assert.deepEqual((await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1)).sort(), [...delayed, yearly.id].sort(), 'delayed=0 keeps delayed');
    assert.deepEqual(await ctx.redis.hgetall(keyOf(name, scheduled.id)), schedulerHash, 'scheduler job untouched');
    for (let i = 0; i < 3; i++) assert.equal(await ctx.redis.exists(keyOf(name, `de:dd${i}`)), 0);
    await ctx.inv(name);

    calls = await ctx.runAll('drain', name, { limit: 3, delayed: 1 });
    assert.equal(calls.done, 1);
    assert.deepEqual(await ctx.redis.zrange(keyOf(name, 'delayed'), 0, -1), [yearly.id], 'the scheduler\'s delayed job is kept');
    for (const id of [...plain, ...prio, ...delayed]) assert.equal(await ctx.redis.exists(keyOf(name, id)), 0);
    await ctx.inv(name);

    const control = makeControl();
    ctx.worker(ver, name, control);
    await ctx.call('resume', name);
    await waitFor('the scheduler job to run', () => control.completedAt.has(scheduled.id));
    await ctx.inv(name);
  });
}

test('v6 reference: BullMQ 6.7\'s own drain() with a waiting job-scheduler job', async (ctx) => {
  const name = uniqueName('drain-own');
  const queue = ctx.queue('v6', name);
  await queue.pause();
  await queue.add('w', {});
  await queue.add('w', {});
  const scheduled = await queue.upsertJobScheduler('every-hour', { every: HOUR }, { name: 'tick' });
  await queue.add('w', {});
  await queue.add('w', {});
  await queue.drain();
  const wait = await ctx.redis.lrange(keyOf(name, 'wait'), 0, -1);
  const dangling = [];
  for (const id of wait) if (!(await ctx.redis.exists(keyOf(name, id)))) dangling.push(id);
  const schedulerOk = wait.includes(scheduled.id);
  note(`reference: BullMQ 6.7.0 drain() left wait=[${wait}] (dangling: [${dangling}]); scheduler job ${schedulerOk ? 'still waiting' : 'in NO state (schedule stops)'}`);
});

// ---------------------------------------------------------------- batch and performance

async function makeTemplateQueue(ctx, ver, name) {
  // one job failed for real; its hash is the template for the clones
  const { ids: [templateId] } = await ctx.failedJobs(ver, name, [{ name: 'bulk' }], { keepWorker: false });
  return templateId;
}

for (const ver of ['v6', 'v5']) {
  test(`${ver} batch: retry-all of 5,000 failed jobs in calls of 1,000 ends with all 5,000 waiting, then completed by a worker`, async (ctx) => {
    const name = uniqueName(`batch-${ver}`);
    const templateId = await makeTemplateQueue(ctx, ver, name);
    const ids = await cloneFailedJobs(ctx.redis, PREFIX, name, templateId, 4999, Date.now() - HOUR);
    ids.push(templateId);
    const queue = ctx.queue(ver, name);
    assert.equal(await queue.getFailedCount(), 5000);
    const calls = await ctx.runAll('retry', name, { limit: 1000 });
    assert.deepEqual(calls.map((c) => c.done), [1000, 1000, 1000, 1000, 1000]);
    assert.equal(await queue.getWaitingCount(), 5000);
    assert.equal(await queue.getFailedCount(), 0);
    await ctx.inv(name);
    note(`${ver} retry-all 5,000: ${calls.length} calls, ${fmt(calls.ms)} in total`);
    const control = makeControl();
    const t0 = performance.now();
    ctx.worker(ver, name, control, { concurrency: 100 });
    await waitFor('5,000 completed', async () => (await queue.getCompletedCount()) === 5000, 60000, 50);
    note(`${ver} a real worker (concurrency 100) completed the 5,000 retried jobs in ${fmt(performance.now() - t0)}`);
    await ctx.inv(name);
    await ctx.redis.flushall();
  }, { timeoutMs: 80000 });
}

test('v6 bounded calls on 20,000 waiting and 20,000 completed jobs: clean examines at most limit ids per call, drain and remove stay short', async (ctx) => {
  const name = uniqueName('bounded');
  await checkBoundedCalls(ctx, name, await makeTemplateQueue(ctx, 'v6', name), 'v6');
}, { timeoutMs: 60000 });

test('argument errors are refused before anything is written', async (ctx) => {
  const name = uniqueName('args');
  await assert.rejects(ctx.call('retry', name, { mode: 'everything' }), /mode must be ids or all/);
  await assert.rejects(ctx.call('clean', name, { state: 'active' }), /state must be/);
  await assert.rejects(ctx.call('clean', name, { state: 'wait', cursor: 'bogus' }), /bad cursor/);
  await assert.rejects(ctx.call('remove', name, { mode: 'all' }), /mode ids only/);
  await assert.rejects(ctx.call('drain', name, { limit: 0 }), /limit must be a positive integer/);
  assert.equal((await ctx.redis.keys(`${PREFIX}:${name}:*`)).length, 0);
});

test('v6 performance: 1,000-id retry calls on 100,000 failed jobs, retry-all of 100,000, and BullMQ\'s own retryJobs() on the same data', async (ctx) => {
  const name = uniqueName('perf');
  await measureRetryAtScale(ctx, name, await makeTemplateQueue(ctx, 'v6', name), {
    label: 'v6',
    version: 'BullMQ 6.7.0',
    openQueue: async (queueName) => ctx.queue('v6', queueName),
    getJob: (queue, id) => BULLMQ.v6.Job.fromId(queue, id),
    retryJobsNote: '',
  });
}, { timeoutMs: 80000 });

await run('BullMQ action scripts against BullMQ 6.7.0 and 5.47.3', { setup, teardown: stopContext });
