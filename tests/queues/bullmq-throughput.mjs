// Runs BullMQ's own Worker over --jobs jobs of which --fail throw, waits until all finished,
// prints {"ready":true,"completed":N,"failed":M,"firstFinishedOn":ms,"lastFinishedOn":ms} as
// BullMQ itself counts them, and exits. For the throughput tests.
//
//   node bullmq-throughput.mjs --redis URL --prefix bull --queue q --jobs 30 --fail 7
//       [--metrics] [--remove-on-complete N]
import { Queue, Worker } from 'bullmq';
import { connectionOptions, fail, parseCommandLine, print, waitFor } from './fixture-common.mjs';

const args = parseCommandLine({
  jobs: { type: 'string', default: '10' },
  fail: { type: 'string', default: '0' },
  'metrics-on': { type: 'boolean', default: false },
  'remove-on-complete': { type: 'string' },
});
const connection = connectionOptions(args.redis);
const prefix = args.prefix;
const name = args.queue[0];
const total = Number(args.jobs);
const failing = Number(args.fail);

try {
  const queue = new Queue(name, { connection, prefix });
  let completed = 0;
  let failed = 0;
  let first = null;
  let last = null;
  const worker = new Worker(
    name,
    async (job) => {
      if (job.name === 'fail') throw new Error('fixture failure');
      return 'ok';
    },
    {
      connection,
      prefix,
      concurrency: 4,
      ...(args['metrics-on'] ? { metrics: { maxDataPoints: 120 } } : {}),
    },
  );
  const seen = (job) => {
    first = first === null ? job.finishedOn : Math.min(first, job.finishedOn);
    last = last === null ? job.finishedOn : Math.max(last, job.finishedOn);
  };
  worker.on('completed', (job) => {
    completed += 1;
    seen(job);
  });
  worker.on('failed', (job) => {
    failed += 1;
    seen(job);
  });
  const removeOnComplete =
    args['remove-on-complete'] !== undefined ? Number(args['remove-on-complete']) : undefined;
  const jobs = Array.from({ length: total }, (_, i) => ({
    name: i < failing ? 'fail' : 'ok',
    data: { i },
    opts: { attempts: 1, ...(removeOnComplete !== undefined ? { removeOnComplete } : {}) },
  }));
  await queue.addBulk(jobs);
  await waitFor('every job finished', async () => completed + failed === total);
  await worker.close();
  await queue.close();
  print({ ready: true, completed, failed, firstFinishedOn: first, lastFinishedOn: last });
  process.exit(0);
} catch (error) {
  fail(`bullmq throughput fixture: ${error.stack || error}`);
}
