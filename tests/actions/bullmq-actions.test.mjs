// Proves the BullMQ action scripts (models/frameworks/bullmq/scripts/bullmq-*.lua) against the real,
// unmodified BullMQ 6.7.0 and 5.47.3 (npm alias bullmq5) from tests/queues/node_modules: jobs are
// made with BullMQ's own Queue/FlowProducer API, the scripts are called exactly as QueueScope's
// engine calls them (script-caller.mjs reads their `--!` header), and BullMQ's own API and real
// Workers (default drainDelay 5 s, so a missing marker shows up as seconds) check the outcome.
//
//   node tests/actions/bullmq-actions.test.mjs        (any working directory)
//
// This file: retry, promote, pause/resume. bullmq-cleanup.test.mjs: remove, clean, drain, batches
// and performance. Fixtures: bullmq-fixture.mjs.
//
// Starts its own redis-server (redis-server.mjs), prints measurements and a summary, exits 1 on
// any failure.
import {
  assert, fmt, keyOf, makeControl, note, run, sleep, stopContext, test, uniqueName, waitFor,
} from './bull-kit.mjs';
import { eventsOf, HOUR, pickUp, setup } from './bullmq-fixture.mjs';

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

await run('BullMQ action scripts (retry, promote, pause/resume) against BullMQ 6.7.0 and 5.47.3', { setup, teardown: stopContext });
