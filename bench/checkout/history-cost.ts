/**
 * What the Temporal side of one paid checkout costs, apart from the services: the real checkout
 * workflow of one or more builds, each on queues of its own, with activities that answer at once,
 * on the dev server. For judging a change to the workflow's shape (markers, search-attribute
 * upserts, timers, activities) on a machine whose full-stack checkout rate varies by a fifth or
 * more from run to run:
 *
 *   mkdir -p workflows/.before && for f in index checkout.workflow checkout.definitions; do \
 *     git show <rev>:workflows/src/$f.ts > workflows/.before/$f.ts; done
 *   npx tsx bench/checkout/history-cost.ts --build before=workflows/.before/index.ts \
 *     --build after=workflows/src/index.ts [--workflows 300 --concurrency 16 --rounds 3]
 *
 * Each round runs `workflows` checkouts through every build (the builds' order alternates between
 * rounds) and reads the user + system CPU time of the dev server and of this process (the workers
 * and the clients) from /proc around each measure, with the history's size per checkout. A build
 * must lie inside the repository, where its imports resolve.
 */
import type { CheckoutActivities, CheckoutInput } from '@commerce/contracts';
import { TaskQueue, checkoutWorkflowId, taskQueueName } from '@commerce/contracts';
import {
  connectTestTemporal,
  createCheckoutWorkers,
  quietTemporalRuntime,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import { components, startInfra, stopRegistered } from '@commerce/tools';
import { checkoutStartAttributes } from '@commerce/workflows';
import { TypedSearchAttributes } from '@temporalio/common';
import { DefaultLogger, type Worker, bundleWorkflowCode } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isTemporalDevServer, processCpuMs, processes } from '../proc-cpu';

const { values: args } = parseArgs({
  options: {
    build: { type: 'string', multiple: true, default: ['current=workflows/src/index.ts'] },
    workflows: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
  },
});
const perMeasure = Number(args.workflows);
const warmup = Number(args.warmup);
const concurrency = Number(args.concurrency);
const rounds = Number(args.rounds);
const REPO_ROOT = resolve(__dirname, '..', '..');
/** Every step succeeds at once, with the shapes a paid checkout gets back. */
const instant: CheckoutActivities = {
  reserveInventory: () => Promise.resolve(),
  releaseInventory: () => Promise.resolve(),
  commitInventory: () => Promise.resolve(),
  holdInventory: () => Promise.resolve(),
  chargePayment: ({ orderId }) =>
    Promise.resolve({ paymentId: `pay-${orderId}`, status: 'CAPTURED' }),
  authorizePayment: ({ orderId }) =>
    Promise.resolve({ paymentId: `pay-${orderId}`, status: 'AUTHORIZED' }),
  capturePayment: ({ orderId }) => Promise.resolve({ paymentId: `pay-${orderId}` }),
  getPayment: ({ orderId }) => Promise.resolve({ paymentId: `pay-${orderId}`, status: 'CAPTURED' }),
  refundPayment: () => Promise.resolve({ refundedAmount: 0 }),
  setOrderStatus: () => Promise.resolve(),
  confirmOrder: () => Promise.resolve(),
  failOrder: () => Promise.resolve(),
  cancelOrder: () => Promise.resolve(),
  notifyCustomer: () => Promise.resolve(),
  recordOrderOutcome: () => Promise.resolve(),
};

function checkoutInput(): CheckoutInput {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    customerEmail: 'bench@example.test',
    items: [{ productId: randomUUID(), sku: 'SKU-1', name: 'Kettle', quantity: 1, unitPrice: 999 }],
    total: 999,
    currency: 'EUR',
    paymentMethodId: 'pm_card_visa',
    reviewThreshold: 100_000,
    reviewTimeoutMs: 60_000,
    paymentActionTimeoutMs: 60_000,
  };
}

interface Build {
  name: string;
  prefix: string;
  workers: Worker[];
}

interface Row {
  round: number;
  build: string;
  serverMs: number;
  processMs: number;
  events: number;
  seconds: number;
}

async function main(): Promise<void> {
  const infra = await startInfra({
    components: components().filter((c) => c.name === 'temporal'),
  });
  quietTemporalRuntime();
  const env = await connectTestTemporal();
  const port = Number(testEndpoints.temporalAddress.split(':').pop());
  const serverPid = processes().find(({ cmdline }) => isTemporalDevServer(cmdline, port))?.pid;
  if (!serverPid) throw new Error(`no temporal dev server on port ${port}`);
  const builds: Build[] = [];
  const running: Promise<void>[] = [];
  try {
    for (const spec of args.build ?? []) {
      const [name, entry] = spec.split('=') as [string, string];
      const workflowBundle = await bundleWorkflowCode({
        workflowsPath: resolve(REPO_ROOT, entry),
        logger: new DefaultLogger('WARN'),
      });
      const prefix = `${uniqueName(`hc_${name}`)}.`;
      const workers = await createCheckoutWorkers({
        connection: env.nativeConnection,
        workflowBundle,
        activities: instant,
        prefix,
      });
      running.push(...workers.map((worker) => worker.run()));
      builds.push({ name, prefix, workers });
    }

    /** `count` checkouts through one build, `concurrency` at a time; the last one's history size. */
    const drive = async (build: Build, count: number): Promise<number> => {
      let next = 0;
      let events = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            next += 1;
            const input = checkoutInput();
            const handle = await env.client.workflow.start('checkoutWorkflow', {
              taskQueue: taskQueueName(TaskQueue.checkout, build.prefix),
              workflowId: checkoutWorkflowId(input.orderId),
              args: [input],
              // As the orders service starts each run (CheckoutClient.start).
              typedSearchAttributes: new TypedSearchAttributes(checkoutStartAttributes(input)),
            });
            await handle.result();
            if (next >= count && events === 0) {
              events = (await handle.fetchHistory()).events?.length ?? 0;
            }
          }
        }),
      );
      return events;
    };

    for (const build of builds) await drive(build, warmup);
    const rows: Row[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? builds : [...builds].reverse();
      for (const build of order) {
        const server = processCpuMs(serverPid);
        const own = processCpuMs(process.pid);
        const started = performance.now();
        const events = await drive(build, perMeasure);
        rows.push({
          round,
          build: build.name,
          serverMs: (processCpuMs(serverPid) - server) / perMeasure,
          processMs: (processCpuMs(process.pid) - own) / perMeasure,
          events,
          seconds: (performance.now() - started) / 1000,
        });
      }
    }

    console.log(
      `\n${perMeasure} paid checkouts per measure, ${concurrency} at a time, instant activities, ` +
        `${rounds} rounds (builds' order alternating), ${new Date().toISOString()}`,
    );
    console.log(
      '| round | build | dev server CPU ms per checkout | workers + clients CPU ms per checkout | checkouts/s | history events |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(
        `| ${r.round} | ${r.build} | ${r.serverMs.toFixed(1)} | ${r.processMs.toFixed(1)} | ` +
          `${(perMeasure / r.seconds).toFixed(1)} | ${r.events} |`,
      );
    }
  } finally {
    for (const build of builds) for (const worker of build.workers) worker.shutdown();
    await Promise.allSettled(running);
    await env.teardown();
    await stopRegistered(infra.started);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
