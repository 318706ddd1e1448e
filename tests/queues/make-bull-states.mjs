// Creates Bull 4 jobs in every state with Bull's own API, prints Bull's own counts as JSON and
// keeps running (a worker holds one active job per queue) until stdin closes or a signal.
//
//   node make-bull-states.mjs --redis redis://127.0.0.1:6379 --prefix bull \
//       --queue emails [--queue reports] [--paused emails] [--defer-counts]
//
// States per queue: completed, failed (attempts exhausted), active, waiting, prioritized (Bull
// inserts them into "wait"), delayed and, for --paused queues, paused (pause() RENAMEs wait to
// "paused") with jobs added after the pause. Bull has no flows, so no waiting-children.
import Queue from 'bull';
import { holdForever, makeStatesAndServe, parseCommandLine, plan, waitFor } from './fixture-common.mjs';

const args = parseCommandLine();
const hour = 3600 * 1000;

async function makeStates(name, index) {
  const counts = plan(index);
  const queue = new Queue(name, args.redis, {
    prefix: args.prefix,
    ...(args.metrics.includes(name) ? { metrics: { maxDataPoints: 60 } } : {}),
  });
  queue.on('error', (error) => process.stderr.write(`queue ${name}: ${error}\n`));
  let holding;
  const held = new Promise((resolve) => {
    holding = resolve;
  });
  // Unnamed jobs (Bull wants a processor per job name otherwise); the kind is in the data.
  queue.process(1, async (job) => {
    if (job.data.kind === 'fail') throw new Error('fixture failure');
    if (job.data.kind === 'hold') {
      holding();
      await holdForever();
    }
    return 'ok';
  });

  for (let i = 0; i < counts.completed; i++) await queue.add({ kind: 'ok', i });
  for (let i = 0; i < counts.failed; i++) await queue.add({ kind: 'fail', i }, { attempts: 2 });
  await waitFor(
    `${name}: completed and failed`,
    async () =>
      (await queue.getCompletedCount()) === counts.completed &&
      (await queue.getFailedCount()) === counts.failed,
  );

  // The worker (concurrency 1) now holds this job, so nothing added below is picked up.
  await queue.add({ kind: 'hold' });
  await held;

  for (let i = 0; i < counts.waiting; i++) await queue.add({ kind: 'wait', i });
  for (let i = 0; i < counts.prioritized; i++) {
    await queue.add({ kind: 'prio', i }, { priority: 1 + i });
  }
  for (let i = 0; i < counts.delayed; i++) await queue.add({ kind: 'later', i }, { delay: hour });

  if (args.paused.includes(name)) {
    await queue.pause(); // global: wait is RENAMEd to paused, meta-paused is set
    for (let i = 0; i < counts.late; i++) await queue.add({ kind: 'late', i });
  }
  return { name, queue };
}

await makeStatesAndServe('Bull', args, makeStates);
