// The live demo's BullMQ workload (scripts/run.sh): producers and workers on three queues, with
// the framework's own API, so that counts, rates and failures move on QueueScope's pages.
// About 10% of jobs fail (2 attempts), some are delayed or prioritized; completed and failed
// jobs are trimmed so Redis memory stays bounded (so their sets' sizes stop moving: the rates
// come from elsewhere). The reports worker keeps BullMQ's metrics, the thumbnails worker has a
// name, and a QueueEvents listener follows emails: the Server page decodes all their connection
// names. Runs until killed.
//
//   node demo-workload.mjs redis://127.0.0.1:6379
import { Queue, QueueEvents, Worker } from 'bullmq';

const url = new URL(process.argv[2] ?? 'redis://127.0.0.1:6379');
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const names = ['emails', 'reports', 'thumbnails'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min, max) => min + Math.random() * (max - min);

for (const [index, name] of names.entries()) {
  const queue = new Queue(name, {
    connection,
    defaultJobOptions: {
      attempts: 2,
      backoff: { type: 'fixed', delay: 2000 },
      removeOnComplete: { count: 2000 },
      removeOnFail: { count: 5000 },
    },
  });
  new Worker(
    name,
    async (job) => {
      await sleep(random(20, 300 * (index + 1)));
      if (Math.random() < 0.1) throw new Error(`demo failure in ${name} (job ${job.id})`);
      return { handledBy: 'demo-worker', at: Date.now() };
    },
    {
      connection,
      concurrency: 4,
      ...(name === 'reports' ? { metrics: { maxDataPoints: 60 } } : {}),
      ...(name === 'thumbnails' ? { name: 'thumbnailer-1' } : {}),
    },
  );
  if (name === 'emails') new QueueEvents(name, { connection });
  (async () => {
    for (let n = 0; ; n += 1) {
      const options = {};
      if (n % 7 === 0) options.delay = random(2000, 30000);
      if (n % 5 === 0) options.priority = 1 + (n % 3);
      await queue.add(`${name}-job`, { n, to: `user${n % 100}@example.com` }, options);
      // Bursty producers: the waiting count rises and falls.
      await sleep(random(100, 400) * (1.5 + Math.sin(Date.now() / 20000))); // 50 to 1,000 ms
    }
  })();
}
