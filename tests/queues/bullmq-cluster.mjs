// BullMQ's own client on a Redis Cluster (ioredis Cluster): makes failed, waiting and delayed
// jobs in each --queue, then serves BullMQ's own counts ("counts" on stdin) until stdin closes.
// Queue names carry their {hash tag} (e.g. "{emails}"), so each queue's keys share one slot and
// the queues spread over the masters.
//
//   node bullmq-cluster.mjs --nodes 127.0.0.1:7000,127.0.0.1:7001 --queue '{a}' --queue '{b}' \
//       [--failed 3] [--waiting 2] [--delayed 1] [--live-worker NAME]
//
// --live-worker NAME: then keeps a worker named NAME running on each queue (BullMQ's connection
// name "<prefix>:<base64(queue)>:w:NAME", set on every node its Cluster client talks to), ready
// once its blocking connection waits (BZPOPMIN) on a master, before "ready" is printed.
import { parseArgs } from 'node:util';
import { Cluster } from 'ioredis';
import { Queue, Worker } from 'bullmq';
import { fail, serve, waitFor } from './fixture-common.mjs';

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string' },
    queue: { type: 'string', multiple: true, default: [] },
    failed: { type: 'string', default: '3' },
    waiting: { type: 'string', default: '2' },
    delayed: { type: 'string', default: '1' },
    'live-worker': { type: 'string', default: '' },
  },
});
if (!args.nodes || args.queue.length === 0) fail('usage: --nodes H:P[,H:P] --queue NAME...');

const startup = args.nodes.split(',').map((node) => {
  const [host, port] = node.split(':');
  return { host, port: Number(port) };
});
// BullMQ needs maxRetriesPerRequest null on its blocking connections.
const connection = () =>
  new Cluster(startup, { redisOptions: { maxRetriesPerRequest: null }, enableReadyCheck: true });

const made = [];
try {
  for (const name of args.queue) {
    const queue = new Queue(name, { connection: connection() });
    const worker = new Worker(
      name,
      async () => {
        throw new Error('fixture failure');
      },
      { connection: connection(), concurrency: 4 },
    );
    worker.on('error', (error) => process.stderr.write(`worker ${name}: ${error}\n`));
    const failed = Number(args.failed);
    for (let i = 0; i < failed; i++) await queue.add('fail', { i });
    await waitFor(`${name}: failed`, async () => (await queue.getFailedCount()) === failed);
    await worker.close();
    for (let i = 0; i < Number(args.waiting); i++) await queue.add('wait', { i });
    for (let i = 0; i < Number(args.delayed); i++) await queue.add('later', { i }, { delay: 3600e3 });
    made.push({ name, queue });
  }
  if (args['live-worker']) {
    for (const { name } of made) {
      const worker = new Worker(name, async () => {}, {
        connection: connection(),
        name: args['live-worker'],
      });
      worker.on('error', (error) => process.stderr.write(`live worker ${name}: ${error}\n`));
      await worker.waitUntilReady();
      const named = `bull:${Buffer.from(name).toString('base64')}:w:${args['live-worker']}`;
      const probe = connection();
      await probe.ping();
      await waitFor(`${name}: the live worker's connection`, async () => {
        for (const node of probe.nodes('master')) {
          const clients = await node.client('LIST');
          if (clients.split('\n').some((line) => line.includes(` name=${named} `)
              && line.includes(' cmd=bzpopmin'))) return true;
        }
        return false;
      });
      probe.disconnect();
    }
  }
} catch (error) {
  fail(`making the cluster queues failed: ${error.stack || error}`);
}

serve(
  async () => {
    const result = {};
    for (const { name, queue } of made) {
      const ids = {};
      for (const state of ['waiting', 'failed', 'delayed']) {
        ids[state] = (await queue.getJobs([state], 0, -1)).map((job) => job.id).sort();
      }
      result[name] = { counts: await queue.getJobCounts(), ids };
    }
    return result;
  },
  { deferCounts: false },
);
