// Creates BullMQ jobs in every state with BullMQ's own API, prints BullMQ's own counts as JSON
// and keeps running (a worker holds one active job per queue) until stdin closes or a signal.
//
//   node make-bullmq-states.mjs --redis redis://127.0.0.1:6379 --prefix bull \
//       --queue emails [--queue reports] [--paused emails] [--metrics reports] [--module bullmq5]
//       [--defer-counts]
//
// --module bullmq5 uses BullMQ 5.47.3 (npm alias), whose pause() RENAMEs wait to the legacy
// "paused" list. States per queue: completed, failed (attempts exhausted), active, waiting,
// prioritized, delayed, waiting-children (a flow parent whose children wait in the same queue)
// and, for --paused queues, paused with jobs added after the pause.
import {
  connectionOptions, fail, holdForever, makeStatesAndServe, parseCommandLine, plan, waitFor,
} from './fixture-common.mjs';

const args = parseCommandLine({ module: { type: 'string', default: 'bullmq' } });
if (!['bullmq', 'bullmq5'].includes(args.module)) fail(`unknown --module ${args.module}`);
const { Queue, Worker, FlowProducer } = await import(args.module);

const connection = connectionOptions(args.redis);
const prefix = args.prefix;
const hour = 3600 * 1000;

async function makeStates(name, index) {
  const counts = plan(index);
  const queue = new Queue(name, { connection, prefix });
  let holding;
  const held = new Promise((resolve) => {
    holding = resolve;
  });
  const worker = new Worker(
    name,
    async (job) => {
      if (job.name === 'fail') throw new Error('fixture failure');
      if (job.name === 'hold') {
        holding();
        await holdForever();
      }
      return 'ok';
    },
    {
      connection,
      prefix,
      concurrency: 1,
      ...(args.metrics.includes(name) ? { metrics: { maxDataPoints: 60 } } : {}),
    },
  );
  worker.on('error', (error) => process.stderr.write(`worker ${name}: ${error}\n`));

  // Finished states first, while the worker is free.
  for (let i = 0; i < counts.completed; i++) await queue.add('ok', { i });
  for (let i = 0; i < counts.failed; i++) await queue.add('fail', { i }, { attempts: 2 });
  await waitFor(
    `${name}: completed and failed`,
    async () =>
      (await queue.getCompletedCount()) === counts.completed &&
      (await queue.getFailedCount()) === counts.failed,
  );

  // The worker (concurrency 1) now holds this job, so nothing added below is picked up.
  await queue.add('hold', {});
  await held;

  for (let i = 0; i < counts.waiting; i++) await queue.add('wait', { i });
  for (let i = 0; i < counts.prioritized; i++) {
    await queue.add('prio', { i }, { priority: 1 + i });
  }
  for (let i = 0; i < counts.delayed; i++) await queue.add('later', { i }, { delay: hour });
  const flow = new FlowProducer({ connection, prefix });
  const children = Array.from({ length: counts.children }, (_, i) => ({
    name: 'child',
    queueName: name,
    data: { i },
  }));
  await flow.add({ name: 'parent', queueName: name, data: {}, children });
  await flow.close();

  if (args.paused.includes(name)) {
    await queue.pause();
    for (let i = 0; i < counts.late; i++) await queue.add('late', { i });
  }
  return { name, queue, worker };
}

await makeStatesAndServe('BullMQ', args, makeStates);
