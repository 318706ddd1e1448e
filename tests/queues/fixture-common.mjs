// Shared by the make-*-states.mjs fixtures: command line, Redis URL, the stdin protocol and the
// life cycle (keep running, holding the active jobs, until stdin closes or a signal arrives).
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';

export function parseCommandLine(extraOptions = {}) {
  const { values } = parseArgs({
    options: {
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
      prefix: { type: 'string', default: 'bull' },
      queue: { type: 'string', multiple: true, default: [] },
      paused: { type: 'string', multiple: true, default: [] },
      // Queues whose worker (BullMQ) or queue (Bull) keeps metrics (<q>:metrics:completed).
      metrics: { type: 'string', multiple: true, default: [] },
      // Print the framework's counts only when asked on stdin ("counts"), so that a test can
      // count first: BullMQ's getJobCounts() runs a script that may RPOP a legacy wait marker.
      'defer-counts': { type: 'boolean', default: false },
      ...extraOptions,
    },
  });
  if (values.queue.length === 0) {
    fail('usage: --redis URL --prefix P --queue NAME [--queue NAME...] [--paused NAME...]');
  }
  for (const name of values.paused) {
    if (!values.queue.includes(name)) fail(`--paused ${name} is not one of the --queue names`);
  }
  return values;
}

// ioredis options from redis://[user:password@]host:port[/db].
export function connectionOptions(redisUrl) {
  const url = new URL(redisUrl);
  const options = {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 6379),
    // BullMQ workers refuse connections that give up on blocking commands.
    maxRetriesPerRequest: null,
  };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  const db = url.pathname.replace('/', '');
  if (db) options.db = Number(db);
  return options;
}

// Job counts per queue index differ, so that a test which mixes queues up fails.
export function plan(index) {
  return {
    completed: 2 + index,
    failed: 1 + index,
    waiting: 3 + index,
    prioritized: 2 + index,
    delayed: 1 + index,
    children: 2,
    late: 1 + index, // added after pause()
  };
}

export async function waitFor(what, predicate, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// What the framework itself says about a queue's details, to compare QueueScope's reads with:
// the oldest waiting job (getJobs over wait, then the legacy paused list, oldest first), the jobs
// that finished in the last minute by their finishedOn, and the metrics counters when kept.
export async function frameworkDetails(queue, keepsMetrics) {
  const now = Date.now();
  const [oldest] = await queue.getJobs(['wait', 'paused'], 0, 0, true);
  const recent = async (state) =>
    (await queue.getJobs([state])).filter((job) => job.finishedOn >= now - 60000).length;
  const details = {
    oldestWaitingSinceMs: oldest ? oldest.timestamp + (oldest.opts?.delay || 0) : null,
    oldestWaitingId: oldest ? String(oldest.id) : null,
    completedLastMinute: await recent('completed'),
    failedLastMinute: await recent('failed'),
  };
  if (keepsMetrics) {
    details.completedCounter = (await queue.getMetrics('completed')).meta.count;
    details.failedCounter = (await queue.getMetrics('failed')).meta.count;
  }
  return details;
}

export function print(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

// Serves "counts" requests on stdin until it closes; exits on stdin end or a signal. The
// processes are simply ended: closing a worker would wait for the held job forever.
export function serve(readCounts, { deferCounts }) {
  const answer = async () => {
    try {
      print({ ready: true, queues: await readCounts() });
    } catch (error) {
      fail(`reading counts failed: ${error.stack || error}`);
    }
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'counts') answer();
  });
  lines.on('close', () => process.exit(0));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(0));
  if (deferCounts) print({ ready: true });
  else answer();
}

// Makes the states of each --queue (makeStates(name, index) -> { name, queue }), then serves
// the framework's own counts, paused flag and details of each.
export async function makeStatesAndServe(label, args, makeStates) {
  const made = [];
  try {
    for (const [index, name] of args.queue.entries()) made.push(await makeStates(name, index));
  } catch (error) {
    fail(`making ${label} states failed: ${error.stack || error}`);
  }
  serve(
    async () => {
      const result = {};
      for (const { name, queue } of made) {
        result[name] = {
          counts: await queue.getJobCounts(),
          paused: await queue.isPaused(),
          details: await frameworkDetails(queue, args.metrics.includes(name)),
        };
      }
      return result;
    },
    { deferCounts: args['defer-counts'] },
  );
}

export function holdForever() {
  return new Promise(() => {});
}
