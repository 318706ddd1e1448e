// Shared by bullmq-actions.test.mjs and bull-actions.test.mjs: a tiny sequential test runner with a
// summary and a non-zero exit on failure, polling helpers, state snapshots and invariant checks for
// BullMQ and Bull queues, fast creation of many failed jobs (clones of one job that a real
// worker failed, so every field is what the framework wrote), and the tests both suites run on
// such clones at scale (bounded calls, retry performance).
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startRedisServer } from './redis-server.mjs';
import { frameworks, loadScript } from './script-caller.mjs';

// ---------------------------------------------------------------- runner

const tests = [];
export function test(name, fn, { timeoutMs = 30000 } = {}) {
  tests.push({ name, fn, timeoutMs });
}

export const notes = []; // measurements, printed in the summary
export function note(line) {
  notes.push(line);
  process.stdout.write(`    ${line}\n`);
}

// QS_ONLY=<regex> runs only the tests whose name matches (for debugging).
export async function run(title, { setup, teardown } = {}) {
  if (process.env.QS_ONLY) {
    const only = new RegExp(process.env.QS_ONLY);
    tests.splice(0, tests.length, ...tests.filter((t) => only.test(t.name)));
  }
  const started = performance.now();
  const failures = [];
  let context;
  process.stdout.write(`${title}\n`);
  try {
    context = setup ? await setup() : {};
    for (const t of tests) {
      const t0 = performance.now();
      process.stdout.write(`  - ${t.name}\n`);
      let timer;
      try {
        await Promise.race([
          t.fn(context),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs} ms`)), t.timeoutMs);
          }),
        ]);
        process.stdout.write(`    ok (${Math.round(performance.now() - t0)} ms)\n`);
      } catch (error) {
        failures.push({ name: t.name, error });
        process.stdout.write(`    FAILED (${Math.round(performance.now() - t0)} ms): ${error.stack || error}\n`);
      } finally {
        clearTimeout(timer);
        if (context.afterEach) await context.afterEach().catch(() => {});
      }
    }
  } catch (error) {
    failures.push({ name: 'setup', error });
    process.stdout.write(`  setup FAILED: ${error.stack || error}\n`);
  } finally {
    if (teardown) await teardown(context).catch((e) => process.stdout.write(`  teardown: ${e}\n`));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n${title}: summary\n`);
  for (const line of notes) process.stdout.write(`  ${line}\n`);
  process.stdout.write(`  ${tests.length - failures.length}/${tests.length} passed in ${seconds} s\n`);
  for (const f of failures) process.stdout.write(`  FAILED: ${f.name}: ${f.error.message}\n`);
  process.exit(failures.length === 0 ? 0 : 1);
}

// ---------------------------------------------------------------- helpers

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(what, predicate, timeoutMs = 10000, everyMs = 5) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// The run() teardown of both suites: the test's Redis connection, then its server.
export async function stopContext(ctx) {
  if (!ctx) return;
  await ctx.redis.quit().catch(() => {});
  await ctx.server.stop();
}

// ---------------------------------------------------------------- test context

const Redis = frameworks.require('ioredis');
export const PREFIX = 'bull';
export const keyOf = (queue, name) => `${PREFIX}:${queue}:${name}`;
let queueCounter = 0;
export const uniqueName = (label) => `${label}-${++queueCounter}`;

// The action scripts of "bull" or "bullmq", by verb (models/frameworks/<framework>/scripts).
export function loadActionScripts(framework) {
  return Object.fromEntries(
    ['retry', 'promote', 'remove', 'clean', 'pause', 'resume', 'drain'].map((s) => [s, loadScript(`${framework}-${s}`)]),
  );
}

// A redis-server of the suite's own and a connection to it.
export async function startServer() {
  const server = await startRedisServer();
  const redis = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
  return { server, redis };
}

// What a test's worker does and saw: jobs whose kind (Bull: data.kind; BullMQ: the job's name)
// is in `fails` throw, those in `holds` wait for releaseAll(); times by job id.
export function makeControl() {
  return {
    fails: new Set(),
    holds: new Set(),
    releaseAll: () => {},
    held: null,
    activeAt: new Map(),
    completedAt: new Map(),
    failedAt: new Map(),
    runs: new Map(),
    order: [],
  };
}

// The part of a test context both suites share: the action scripts called as the engine calls
// them, and what a test opened (queues, workers) closed after it, its held jobs released first
// (closing waits for active jobs).
export function scriptContext(redis, scripts, prefix) {
  let resources = [];
  let controls = [];
  return {
    track(resource) {
      resources.push(resource);
      return resource;
    },
    trackControl(control) {
      controls.push(control);
    },
    call(script, queue, params = {}) {
      return scripts[script].call(redis, { prefix, queue, ...params });
    },
    runAll(script, queue, params = {}) {
      return scripts[script].runAll(redis, { prefix, queue, ...params });
    },
    async afterEach() {
      for (const control of controls) control.releaseAll();
      const list = resources;
      resources = [];
      controls = [];
      await Promise.all(list.map((r) => Promise.race([r.close().catch(() => {}), sleep(3000)])));
    },
  };
}

// Adds n jobs (add() -> job) and waits until the worker finished each; their ids.
export async function finishJobs(control, n, add) {
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(String((await add()).id));
  await waitFor('finished', () => ids.every((id) => control.completedAt.has(id) || control.failedAt.has(id)));
  return ids;
}

// The first part of both suites' clean test: 3 completed and 2 failed jobs (finish(n, 'ok' or
// 'bad')) before the cutoff, 2 and 1 after it; clean of completed and of failed in calls of 2
// deletes the old ones with their logs, and only those.
export async function checkCleanOfFinishedJobs(ctx, name, queue, finish) {
  const oldCompleted = await finish(3, 'ok');
  const oldFailed = await finish(2, 'bad');
  for (const id of oldCompleted) await (await queue.getJob(id)).log('line');
  await sleep(5);
  const cutoff = Date.now();
  await sleep(5);
  const newCompleted = await finish(2, 'ok');
  const newFailed = await finish(1, 'bad');
  let calls = await ctx.runAll('clean', name, { state: 'completed', cutoff, limit: 2 });
  assert.deepEqual(calls.map((c) => c.done), [2, 1]);
  calls = await ctx.runAll('clean', name, { state: 'failed', cutoff, limit: 2 });
  assert.equal(calls.done, 2);
  for (const id of [...oldCompleted, ...oldFailed]) {
    assert.equal(await ctx.redis.exists(keyOf(name, id), keyOf(name, `${id}:logs`)), 0);
  }
  assert.deepEqual((await queue.getCompleted()).map((j) => String(j.id)).sort(), [...newCompleted].sort());
  assert.deepEqual((await queue.getFailed()).map((j) => String(j.id)), newFailed);
}

// Runs `action` once the workers block in `blockingCommand`, and measures from the action until
// the first of `ids` started and the last one completed (control: activeAt/completedAt maps).
export async function timePickUp(ctx, control, ids, action, blockingCommand) {
  await waitIdle(ctx.redis, blockingCommand);
  const t0 = performance.now();
  const outcome = await action();
  await waitFor(`jobs ${ids} to complete`, () => ids.every((id) => control.completedAt.has(String(id))), 10000, 1);
  const first = Math.min(...ids.map((id) => control.activeAt.get(String(id)))) - t0;
  const last = Math.max(...ids.map((id) => control.completedAt.get(String(id)))) - t0;
  return { outcome, first, last };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmt = (ms) => (ms == null ? '?' : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);

// Number of connections blocked in `command` (e.g. bzpopmin for idle BullMQ workers).
export async function blockedClients(redis, command) {
  const list = await redis.client('LIST');
  return list.split('\n').filter((line) => line.includes(` cmd=${command} `) && / flags=\S*b/.test(line)).length;
}

// Waits until `count` workers sit idle in their blocking call (and stay there for a moment).
export async function waitIdle(redis, command, count = 1) {
  for (let i = 0; i < 3; i++) {
    await waitFor(`${count} idle ${command} worker(s)`, async () => (await blockedClients(redis, command)) >= count, 15000);
    await sleep(30);
  }
}

// ---------------------------------------------------------------- state snapshots

const BULLMQ_LISTS = ['wait', 'paused', 'active'];
const BULLMQ_SETS = ['prioritized', 'delayed', 'completed', 'failed', 'waiting-children'];
const BULL_LISTS = ['wait', 'paused', 'active'];
const BULL_SETS = ['delayed', 'completed', 'failed'];

// One consistent view of every state (MULTI/EXEC: workers keep moving jobs meanwhile).
async function snapshot(redis, base, lists, sets) {
  const multi = redis.multi();
  for (const name of lists) multi.lrange(base + name, 0, -1);
  for (const name of sets) multi.zrange(base + name, 0, -1);
  const replies = await multi.exec();
  const states = {};
  [...lists, ...sets].forEach((name, i) => { states[name] = replies[i][1]; });
  return states;
}

// Every job hash of a queue (a hash with a `timestamp` field; scheduler/repeat definitions and
// the :processed/:failed child hashes have none).
async function jobHashIds(redis, base) {
  const ids = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 1000, 'TYPE', 'hash');
    cursor = next;
    if (keys.length) {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hexists(key, 'timestamp');
      const replies = await pipeline.exec();
      keys.forEach((key, i) => { if (replies[i][1] === 1) ids.push(key.slice(base.length)); });
    }
  } while (cursor !== '0');
  return ids;
}

// Every id in exactly one state, every id with a hash, every job hash in a state (unless
// `orphansAllowed` lists it). Returns {states, counts, where: Map id -> state}.
async function checkInvariants(redis, base, lists, sets, { orphansAllowed = [], scanHashes = true, extra } = {}) {
  const states = await snapshot(redis, base, lists, sets);
  const where = new Map();
  const problems = [];
  for (const [state, ids] of Object.entries(states)) {
    for (const id of ids) {
      if (where.has(id)) problems.push(`${id} is in ${where.get(id)} and ${state}`);
      else where.set(id, state);
    }
  }
  const ids = [...where.keys()];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const pipeline = redis.pipeline();
    for (const id of chunk) pipeline.exists(base + id);
    const replies = await pipeline.exec();
    chunk.forEach((id, j) => { if (replies[j][1] !== 1) problems.push(`dangling id ${id} in ${where.get(id)}`); });
  }
  if (scanHashes) {
    const candidates = (await jobHashIds(redis, base)).filter((id) => !where.has(id) && !orphansAllowed.includes(id));
    if (candidates.length) {
      // a worker may have created a job (atomically: hash + state) after the first snapshot
      const later = Object.values(await snapshot(redis, base, lists, sets)).flat();
      for (const id of candidates) {
        if (!later.includes(id) && (await redis.exists(base + id))) problems.push(`orphaned job hash ${id}`);
      }
    }
  }
  if (extra) problems.push(...(await extra(states, where)));
  assert.deepEqual(problems.slice(0, 20), [], `invariants of ${base}`);
  const counts = Object.fromEntries(Object.entries(states).map(([k, v]) => [k, v.length]));
  return { states, counts, where };
}

export function bullmqInvariants(redis, prefix, queue, options) {
  return checkInvariants(redis, `${prefix}:${queue}:`, BULLMQ_LISTS, BULLMQ_SETS, options);
}

// Bull also keeps <q>:priority, an index of the prioritized ids that are in wait/paused.
export function bullInvariants(redis, prefix, queue, options = {}) {
  const base = `${prefix}:${queue}:`;
  return checkInvariants(redis, base, BULL_LISTS, BULL_SETS, {
    ...options,
    extra: async (states) => {
      const problems = [];
      const waiting = new Set([...states.wait, ...states.paused]);
      for (const id of await redis.zrange(`${base}priority`, 0, -1)) {
        if (!waiting.has(id)) problems.push(`priority index holds ${id}, which is not waiting`);
      }
      return problems;
    },
  });
}

// ---------------------------------------------------------------- many jobs, fast

// Copies the hash of `templateId` (a job a real worker failed) to `count` new ids taken from the
// queue's own id counter, with distinct timestamps, and adds them to `state`: `failed` or
// `completed` (zset scored by finishedOn) or `wait` (LPUSH, finishedOn/failedReason dropped),
// i.e. the keys the framework writes for such a job (minus the per-job events).
const CLONE = `
local prefix, templateId, count, base, state = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local template = redis.call("HGETALL", prefix .. templateId)
local last = redis.call("INCRBY", KEYS[2], count)
local first = last - count + 1
local members = {}
local function flush()
  if #members == 0 then return end
  if state == "wait" then redis.call("LPUSH", KEYS[1], unpack(members)) else redis.call("ZADD", KEYS[1], unpack(members)) end
  members = {}
end
for i = 0, count - 1 do
  local id = tostring(first + i)
  local key = prefix .. id
  redis.call("HSET", key, unpack(template))
  if state == "wait" then
    redis.call("HDEL", key, "finishedOn", "processedOn", "failedReason", "stacktrace", "atm", "ats", "attemptsMade")
    redis.call("HSET", key, "timestamp", base + i)
  else
    redis.call("HSET", key, "timestamp", base + i, "processedOn", base + i, "finishedOn", base + i)
    members[#members + 1] = base + i
  end
  members[#members + 1] = id
  if #members >= 2000 then flush() end
end
flush()
return {first, last}
`;

export async function cloneJobs(redis, prefix, queue, templateId, count, baseMs, state = 'failed') {
  const base = `${prefix}:${queue}:`;
  const ids = [];
  for (let done = 0; done < count; done += 10000) {
    const n = Math.min(10000, count - done);
    const [first, last] = await redis.eval(CLONE, 2, `${base}${state}`, `${base}id`,
      base, templateId, n, baseMs + done, state);
    for (let id = first; id <= last; id++) ids.push(String(id));
  }
  return ids;
}

export const cloneFailedJobs = (redis, prefix, queue, templateId, count, baseMs) =>
  cloneJobs(redis, prefix, queue, templateId, count, baseMs, 'failed');

// ---------------------------------------------------------------- at scale

const HOUR = 3600 * 1000;

// Both suites' bounded-calls test on 20,000 waiting and 20,000 completed clones of templateId (a
// job a real worker failed, in queue `name`): clean examines at most limit ids per call, drain
// and remove stay short. label names the framework in the notes.
export async function checkBoundedCalls(ctx, name, templateId, label) {
  const N = 20000;
  const old = Date.now() - 2 * HOUR;
  const waiting = await cloneJobs(ctx.redis, PREFIX, name, templateId, N, old, 'wait');
  await cloneJobs(ctx.redis, PREFIX, name, templateId, N, old, 'completed');
  await ctx.redis.zrem(keyOf(name, 'failed'), templateId);
  await ctx.redis.del(keyOf(name, templateId));
  await ctx.inv(name, { scanHashes: false });
  const max = (calls) => Math.max(...calls.map((c) => c.ms));

  // nothing is old enough: every call examines 1,000 ids and keeps them
  let calls = await ctx.runAll('clean', name, { state: 'wait', cutoff: old - 1, limit: 1000 });
  assert.deepEqual([calls.length, calls.done], [20, 0]);
  note(`${label} clean of 20,000 waiting jobs, none old enough: ${calls.length} calls, max ${fmt(max(calls))}, ${fmt(calls.ms)} in total`);
  // remove 100 ids that sit deep in a 20,000-id wait list
  const out = await ctx.call('remove', name, { items: waiting.slice(0, 100), serverTime: true });
  assert.equal(out.done, 100);
  note(`${label} remove of 100 ids from the far end of a 20,000-id wait list: ${fmt(out.ms)}`);
  calls = await ctx.runAll('clean', name, { state: 'completed', cutoff: old + N / 2 - 1, limit: 1000 });
  assert.equal(calls.done, N / 2);
  note(`${label} clean of the older half of 20,000 completed jobs: ${calls.length} calls, max ${fmt(max(calls))}`);
  calls = await ctx.runAll('drain', name, { limit: 1000 });
  assert.equal(calls.done, N - 100);
  note(`${label} drain of 19,900 waiting jobs: ${calls.length} calls, max ${fmt(max(calls))}, ${fmt(calls.ms)} in total`);
  await ctx.inv(name);
  await ctx.redis.flushall();
}

// Both suites' performance test on 100,000 failed clones of templateId (in queue `name`): 1,000-id
// retry calls, retry-all of 100,000, and the framework's own ways on the same data. own: label,
// the framework's name and version, openQueue(name) (its Queue, ready), getJob(queue, id),
// retryJobsNote (what the framework's retryJobs() leaves out, or '').
export async function measureRetryAtScale(ctx, name, templateId, own) {
  const N = 100000;
  const template = await ctx.redis.hgetall(keyOf(name, templateId));
  const fresh = async (queueName) => {
    await ctx.redis.del(...['failed', 'wait', 'events', 'marker', 'pc'].map((k) => keyOf(queueName, k)));
    await ctx.redis.hset(keyOf(queueName, 'tpl'), template);
    const t0 = performance.now();
    const ids = await cloneFailedJobs(ctx.redis, PREFIX, queueName, 'tpl', N, Date.now() - 2 * HOUR);
    await ctx.redis.del(keyOf(queueName, 'tpl'));
    return { ids, ms: performance.now() - t0 };
  };

  // 1) single calls of 1,000 ids picked at random from 100,000 failed jobs
  const { ids, ms: cloneMs } = await fresh(name);
  note(`created 100,000 failed ${own.label} jobs (clones of a job a real ${own.label} worker failed) in ${fmt(cloneMs)}`);
  const shuffled = [...ids].sort(() => Math.random() - 0.5);
  const perCall = [];
  const perCallServer = [];
  for (let r = 0; r < 7; r++) {
    const out = await ctx.call('retry', name, { items: shuffled.slice(r * 1000, (r + 1) * 1000), serverTime: true });
    assert.equal(out.done, 1000);
    perCall.push(out.ms);
    perCallServer.push(out.serverMs ?? 1);
  }
  const serverMedian = median(perCallServer);
  note(`${own.label} retry of 1,000 ids on 100,000 failed: median ${fmt(median(perCall))} per call, ${fmt(serverMedian)} inside Redis (goal 20 ms: ${serverMedian < 20 ? 'met' : 'NOT met on this machine'}; runs ${perCall.map((m) => m.toFixed(1)).join(', ')} ms)`);
  assert.ok(serverMedian < 100, 'far beyond the 20 ms goal: a regression');
  // the framework's own way to retry 1,000 chosen jobs: job.retry() each (auto-pipelined by ioredis)
  const ownQueue = await own.openQueue(name);
  const chosen = await Promise.all(shuffled.slice(7000, 8000).map((id) => own.getJob(ownQueue, id)));
  const tOwn = performance.now();
  await Promise.all(chosen.map((job) => job.retry()));
  note(`${own.version} job.retry() of the same kind of 1,000 ids (1,000 reprocessJob calls, pipelined): ${fmt(performance.now() - tOwn)}`);
  await ctx.inv(name, { scanHashes: false });

  // 2) retry-all of 100,000, calls of 1,000, as the engine loops
  const allName = uniqueName('perf-all');
  await fresh(allName);
  const t0 = performance.now();
  const calls = await ctx.runAll('retry', allName, { limit: 1000 });
  const allMs = performance.now() - t0;
  assert.equal(calls.done, N);
  assert.equal(await ctx.redis.llen(keyOf(allName, 'wait')), N);
  assert.equal(await ctx.redis.zcard(keyOf(allName, 'failed')), 0);
  const callMs = calls.map((c) => c.ms);
  note(`${own.label} retry-all of 100,000: ${fmt(allMs)} end to end (goal 1.5 s: ${allMs < 1500 ? 'met' : 'NOT met on this machine'}), ${calls.length} calls, median ${fmt(median(callMs))}, max ${fmt(Math.max(...callMs))} per call`);
  assert.ok(allMs < 8000, 'far beyond the 1.5 s goal: a regression');
  await ctx.inv(allName, { scanHashes: false });

  // 3) the framework's own queue.retryJobs() on the same data
  const ownName = uniqueName('perf-own');
  await fresh(ownName);
  const queue = await own.openQueue(ownName);
  const t1 = performance.now();
  await queue.retryJobs({ count: 1000 });
  const ownMs = performance.now() - t1;
  assert.equal(await ctx.redis.llen(keyOf(ownName, 'wait')), N);
  note(`${own.version} queue.retryJobs({count: 1000}) on the same 100,000: ${fmt(ownMs)}${own.retryJobsNote}`);
  await ctx.redis.flushall();
}

export { assert };
