// The whole product path, end to end: the real `queuescope` binary (QS_QUEUESCOPE_BIN) lists,
// shows and acts on BullMQ 6 jobs that BullMQ itself made, and a real, unmodified BullMQ Worker
// then runs what QueueScope retried, promoted or resumed. Also the safety rails: nothing happens
// without --yes, a read-only target refuses (exit 4) and Redis receives no write, and every action
// lands in the audit log without the password.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { run, test, waitFor, note } from './bull-kit.mjs';
import { startRedisServer } from './redis-server.mjs';

const require = createRequire(new URL('../queues/package.json', import.meta.url));
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');

const BIN = process.env.QS_QUEUESCOPE_BIN;
if (!BIN) {
  process.stderr.write('QS_QUEUESCOPE_BIN must name the queuescope binary\n');
  process.exit(2);
}
const home = mkdtempSync(join(tmpdir(), 'qs-cli-home-'));
const PASSWORD = 'cli-test-secret-42';

// Runs queuescope; resolves {code, out, err, json}.
async function queuescope(...args) {
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data') };
  for (const name of Object.keys(env)) if (name.startsWith('REDIS_')) delete env[name];
  try {
    const { stdout, stderr } = await promisify(execFile)(BIN, args, { env, timeout: 60000 });
    return { code: 0, out: stdout, err: stderr, json: parse(stdout) };
  } catch (error) {
    return { code: error.code, out: error.stdout, err: error.stderr, json: parse(error.stdout) };
  }
}
function parse(text) {
  try { return JSON.parse(text); } catch { return null; }
}

async function failJobs(ctx, n) {
  const worker = new Worker(ctx.name, async () => { throw new Error('boom'); },
    { connection: ctx.connection, concurrency: 50 });
  for (let i = 0; i < n; i++) await ctx.queue.add('mail', { i }, { attempts: 1 });
  await waitFor('jobs failed', async () => (await ctx.queue.getFailedCount()) === n, 20000);
  await worker.close();
}

test('jobs and job show what BullMQ holds', async (ctx) => {
  await failJobs(ctx, 3);
  const page = await queuescope('jobs', '--url', ctx.url, `bullmq/${ctx.name}`, 'failed', '--json');
  assert.equal(page.code, 0, page.err);
  assert.equal(page.json.total, 3);
  const ids = (await ctx.queue.getFailed()).map((job) => job.id).sort();
  assert.deepEqual(page.json.jobs.map((job) => job.id).sort(), ids);
  const one = await queuescope('job', '--url', ctx.url, `bullmq/${ctx.name}`, ids[0], '--json');
  assert.equal(one.code, 0, one.err);
  assert.equal(one.json.state, 'failed');
  assert.ok(one.json.sections.some((s) => s.title.startsWith('Stack trace')), one.out);
  const data = one.json.sections.find((s) => s.title === 'Data').content;
  const original = (await ctx.queue.getJob(ids[0])).data;
  assert.deepEqual(data, original);
});

test('without --yes nothing happens; read-only refuses and sends no write', async (ctx) => {
  const dry = await queuescope('retry', '--url', ctx.url, `bullmq/${ctx.name}`, '--all');
  assert.equal(dry.code, 4);
  assert.match(dry.err, /would retry every failed job/);
  assert.match(dry.err, /failed 3/);
  const admin = new IORedis(ctx.redisPort);
  await admin.config('RESETSTAT');
  const readOnly = await queuescope('retry', '--url', ctx.url, '--read-only', `bullmq/${ctx.name}`, '--all', '--yes');
  assert.equal(readOnly.code, 4);
  assert.match(readOnly.err, /read-only/);
  const stats = await admin.info('commandstats');
  assert.doesNotMatch(stats, /cmdstat_eval/);
  await admin.quit();
  assert.equal(await ctx.queue.getFailedCount(), 3);
});

test('retry --all: a real worker completes every retried job', async (ctx) => {
  const done = [];
  const worker = new Worker(ctx.name, async (job) => { done.push(job.id); return 'ok'; },
    { connection: ctx.connection });
  await worker.waitUntilReady();
  const started = Date.now();
  const retried = await queuescope('retry', '--url', ctx.url, `bullmq/${ctx.name}`, '--all', '--yes', '--json');
  assert.equal(retried.code, 0, retried.err);
  assert.equal(retried.json.done, 3);
  await waitFor('retried jobs completed', async () => (await ctx.queue.getCompletedCount()) === 3, 15000);
  note(`cli retry --all of 3 jobs -> all completed by a real worker in ${Date.now() - started} ms`);
  assert.equal(await ctx.queue.getFailedCount(), 0);
  assert.equal(new Set(done).size, 3);
  await worker.close();
});

test('pause, promote while paused, resume: the worker runs it only after resume', async (ctx) => {
  const paused = await queuescope('pause', '--url', ctx.url, `bullmq/${ctx.name}`, '--yes');
  assert.equal(paused.code, 0, paused.err);
  assert.equal(await ctx.queue.isPaused(), true);
  const job = await ctx.queue.add('later', {}, { delay: 3600000 });
  const promoted = await queuescope('promote', '--url', ctx.url, `bullmq/${ctx.name}`, '--job', job.id, '--yes', '--json');
  assert.equal(promoted.json.done, 1, promoted.out + promoted.err);
  const worker = new Worker(ctx.name, async () => 'ok', { connection: ctx.connection });
  await worker.waitUntilReady();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await job.getState(), 'waiting'); // paused: not picked up
  const resumed = await queuescope('resume', '--url', ctx.url, `bullmq/${ctx.name}`, '--yes');
  assert.equal(resumed.code, 0, resumed.err);
  await waitFor('promoted job completed', async () => (await job.getState()) === 'completed', 15000);
  await worker.close();
});

test('clean completed older than 0s and drain, as BullMQ would', async (ctx) => {
  assert.ok((await ctx.queue.getCompletedCount()) >= 4);
  const cleaned = await queuescope('clean', '--url', ctx.url, `bullmq/${ctx.name}`, 'completed', '--yes', '--json');
  assert.equal(cleaned.code, 0, cleaned.err);
  assert.equal(await ctx.queue.getCompletedCount(), 0);
  for (let i = 0; i < 5; i++) await ctx.queue.add('w', { i });
  const drained = await queuescope('drain', '--url', ctx.url, `bullmq/${ctx.name}`, '--yes', '--json');
  assert.equal(drained.json.done, 5, drained.out);
  assert.equal(await ctx.queue.getWaitingCount(), 0);
  const unsupported = await queuescope('pause', '--url', ctx.url, 'sidekiq/default', '--yes');
  assert.equal(unsupported.code, 4);
  assert.match(unsupported.err, /Sidekiq Pro/);
});

test('an unknown queue is an error on every verb; an empty one is not', async (ctx) => {
  const typo = 'bullmq/cli-émial';
  const meant = /did you mean 'bullmq\/cli-émails'\?/;
  const calls = [['jobs', typo, 'failed'], ['job', typo, '1'], ['retry', typo, '--all'],
    ['promote', typo, '--all'], ['remove', typo, '--job', '1'], ['clean', typo, 'completed'],
    ['pause', typo], ['resume', typo], ['drain', typo]];
  for (const [verb, ...rest] of calls) {
    const acts = !['jobs', 'job'].includes(verb);
    for (const yes of acts ? [[], ['--yes']] : [[]]) { // also before the dry run (exit 4)
      const r = await queuescope(verb, '--url', ctx.url, ...rest, ...yes);
      assert.equal(r.code, 1, `${verb} ${yes}: ${r.err}`);
      assert.match(r.err, /^queuescope: no queue 'bullmq\/cli-émial' on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0; /);
      assert.match(r.err, meant);
      assert.ok(!r.err.includes(PASSWORD));
    }
  }
  // The right name under the wrong framework: BullMQ's queue called a Bull one.
  const wrong = await queuescope('jobs', '--url', ctx.url, `bull/${ctx.name}`, 'failed');
  assert.equal(wrong.code, 1, wrong.err);
  assert.match(wrong.err, meant);

  // Queues that exist but hold no job, as BullMQ and Bull leave them.
  const idle = new Queue('idle', { connection: ctx.connection });
  await idle.waitUntilReady();
  const idleJobs = await queuescope('jobs', '--url', ctx.url, 'bullmq/idle', 'waiting', '--json');
  assert.equal(idleJobs.code, 0, idleJobs.err);
  assert.equal(idleJobs.json.total, 0);
  await idle.close();
  const Bull = require('bull');
  const legacy = new Bull('legacy', { redis: ctx.redisPort });
  await legacy.add({ n: 1 });
  await legacy.empty();
  const legacyJobs = await queuescope('jobs', '--url', ctx.url, 'bull/legacy', 'waiting', '--json');
  assert.equal(legacyJobs.code, 0, legacyJobs.err);
  assert.equal(legacyJobs.json.total, 0);
  const drained = await queuescope('drain', '--url', ctx.url, 'bull/legacy', '--yes', '--json');
  assert.equal(drained.code, 0, drained.err);
  const asBullMq = await queuescope('jobs', '--url', ctx.url, 'bullmq/legacy', 'waiting');
  assert.equal(asBullMq.code, 1, asBullMq.err);
  assert.match(asBullMq.err, /did you mean 'bull\/legacy'\?/);
  await legacy.close();

  // Retry without saying which jobs is a usage error that names both ways.
  const bare = await queuescope('retry', '--url', ctx.url, `bullmq/${ctx.name}`);
  assert.equal(bare.code, 2, bare.err);
  assert.match(bare.err, /--job ID/);
  assert.match(bare.err, /--all/);
});

test('the audit log has every action and never the password', async (ctx) => {
  const log = readFileSync(join(home, 'data', 'QueueScope', 'queuescope', 'audit.jsonl'), 'utf8');
  const entries = log.trim().split('\n').map((line) => JSON.parse(line));
  const actions = entries.map((e) => `${e.action}:${e.result.outcome}`);
  for (const expected of ['retry:refused', 'retry:completed', 'pause:completed', 'promote:completed',
    'resume:completed', 'clean:completed', 'drain:completed']) {
    assert.ok(actions.includes(expected), `${expected} missing from ${actions}`);
  }
  assert.ok(!log.includes(PASSWORD), 'the password reached the audit log');
  assert.match(entries[0].server, /:\*\*\*@/);
});

await run('queuescope CLI on BullMQ 6 (real workers)', {
  async setup() {
    const server = await startRedisServer();
    const setup = new IORedis({ host: '127.0.0.1', port: server.port });
    await setup.config('SET', 'requirepass', PASSWORD); // the CLI must authenticate
    await setup.quit();
    const connection = { host: '127.0.0.1', port: server.port, password: PASSWORD, maxRetriesPerRequest: null };
    const name = 'cli-émails';
    const queue = new Queue(name, { connection });
    await queue.waitUntilReady();
    return {
      server, connection, name, queue,
      url: `redis://:${PASSWORD}@127.0.0.1:${server.port}`,
      redisPort: { host: '127.0.0.1', port: server.port, password: PASSWORD },
    };
  },
  async teardown(ctx) {
    await ctx.queue?.close();
    await ctx.server?.stop();
  },
});
