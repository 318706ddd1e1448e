// Proves the BullMQ action scripts (models/frameworks/bullmq/scripts/bullmq-*.lua) against the real,
// unmodified BullMQ 6.7.0 and 5.47.3 (npm alias bullmq5) from tests/queues/node_modules: jobs are
// made with BullMQ's own Queue/FlowProducer API, the scripts are called exactly as QueueScope's
// engine calls them (script-caller.mjs reads their `--!` header), and BullMQ's own API and real
// Workers (default drainDelay 5 s, so a missing marker shows up as seconds) check the outcome.
//
//   node tests/actions/bullmq-cleanup.test.mjs        (any working directory)
//
// This file: remove, clean, drain, batches and performance. bullmq-actions.test.mjs: retry,
// promote, pause/resume. Fixtures: bullmq-fixture.mjs.
//
// Starts its own redis-server (redis-server.mjs), prints measurements and a summary, exits 1 on
// any failure.
import { performance } from 'node:perf_hooks';
import {
  assert, checkBoundedCalls, checkCleanOfFinishedJobs, cloneFailedJobs, finishJobs, fmt, keyOf, makeControl, measureRetryAtScale, note, PREFIX, run, sleep, stopContext, test, uniqueName, waitFor,
} from './bull-kit.mjs';
import { BULLMQ, eventsOf, HOUR, setup } from './bullmq-fixture.mjs';

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

await run('BullMQ action scripts (remove, clean, drain, batches, performance) against BullMQ 6.7.0 and 5.47.3', { setup, teardown: stopContext });
