/**
 * Checkout throughput and latency through the gateway, next to a bare workflow on the same dev
 * server in the same run.
 *
 *   npx tsx bench/checkout/run.ts [--customers 16] [--duration 30] [--warmup 5]
 *                                 [--follow wait|poll] [--poll 100]
 *
 * Checkout: the whole stack as separate processes (services, gateway, BullMQ workers, Temporal
 * workers split by role, payment provider in test mode). Each of `customers` concurrent customers
 * loops: add one item to the cart, POST /checkout, then follow GET /orders/:id until the order is
 * terminal: by long poll (`?waitWhile=<last status seen>`, one request per status move), or with
 * `--follow poll` every `poll` ms. Latency is submit-to-terminal as the customer sees it (polling:
 * including up to one poll interval). The CPU time of every process in the measured window is
 * printed per completed checkout (cpu.ts). Baseline: as many clients executing a workflow of the same sequence of no-op
 * activities (local where the checkout's are), with one in-process worker, against the same server.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  apiClient,
  checkout,
  type CheckoutStack,
  registerShopper,
  startCheckoutStack,
  stockedProduct,
  type Shopper,
  type Tokens,
} from '@commerce/e2e';
import {
  connectTestTemporal,
  quietTemporalRuntime,
  testEndpoints,
  uniqueName,
} from '@commerce/testing';
import { startInfra, stopRegistered } from '@commerce/tools';
import { Worker } from '@temporalio/worker';
import {
  CHECKOUT_ACTIVITY_COUNT,
  CHECKOUT_LOCAL_ACTIVITY_COUNT,
  CHECKOUT_STEPS,
  type bareWorkflow,
} from './bare.workflow';
import { checkoutClassifier, measureCpu, type CpuMeasurement } from './cpu';
import { round, writeReport, type Figure, type ReportInput, type Table } from '../report';
import { TARGETS } from '../targets';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '16' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    poll: { type: 'string', default: '100' },
    // How customers follow their order: `wait` (GET /orders/:id?waitWhile=, a long poll) or
    // `poll` (GET every --poll ms, as clients without long polling do).
    follow: { type: 'string', default: 'wait' },
    // Writes a V8 CPU profile of every app process, of about the measured window, into <dir>.
    profile: { type: 'string' },
    json: { type: 'string' }, // writes the run's report (bench/report.ts) for npm run bench
  },
});
const customers = Number(args.customers);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const pollMs = Number(args.poll);
if (args.follow !== 'wait' && args.follow !== 'poll') throw new Error('--follow is wait or poll');
const longPoll = args.follow === 'wait';
const TERMINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);
/** How long the stack's CPU use at rest is measured, before the load. */
const IDLE_SECONDS = 10;

interface Measured {
  target: string;
  /** Requests the customers sent through the gateway, by kind (checkout path only). */
  requests?: { cart: number; checkout: number; polls: number; failedReads: number };
  completed: number;
  failed: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function summarise(target: string, latencies: number[], failed: number, seconds: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    target,
    completed: sorted.length,
    failed,
    rate: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** `customers` loops for `seconds`; only checkouts submitted inside the window are counted. */
async function loadCheckout(
  call: ReturnType<typeof apiClient>,
  shoppers: Shopper[],
  productId: string,
  seconds: number,
): Promise<Measured> {
  const latencies: number[] = [];
  let failed = 0;
  const requests = { cart: 0, checkout: 0, polls: 0, failedReads: 0 };
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    shoppers.map(async (shopper) => {
      while (performance.now() < deadline) {
        const added = await call('POST', '/cart/items', {
          token: shopper.token,
          body: { productId, quantity: 1 },
        });
        requests.cart++;
        if (added.status !== 201) throw new Error(`cart: ${added.status}`);
        const started = performance.now();
        const res = await checkout(call, shopper, randomUUID());
        requests.checkout++;
        if (res.status !== 202) throw new Error(`checkout: ${res.status}`);
        let seen = res.body.status;
        for (;;) {
          // A long poll (waitWhile) answers when the status moves; plain polling sleeps between.
          if (!longPoll) await sleep(pollMs);
          const path = `/orders/${res.body.orderId}${longPoll ? `?waitWhile=${seen}` : ''}`;
          const order = await call<{ status: string }>('GET', path, { token: shopper.token });
          requests.polls++;
          if (order.status !== 200) {
            // As a client would: count it, pause, ask again (a 504 under load is not the end).
            requests.failedReads++;
            if (longPoll) await sleep(pollMs);
            continue;
          }
          seen = order.body.status;
          if (TERMINAL.has(order.body.status)) {
            if (order.body.status === 'COMPLETED') latencies.push(performance.now() - started);
            else failed++;
            break;
          }
        }
      }
    }),
  );
  return { ...summarise('checkout through the gateway', latencies, failed, seconds), requests };
}

/** The bare workflow; `cpu` measures its window the way the checkout's is (cpu.ts). */
async function loadBare(
  cpu: () => () => CpuMeasurement,
): Promise<Measured & { cpu: CpuMeasurement }> {
  quietTemporalRuntime();
  const env = await connectTestTemporal();
  const taskQueue = uniqueName('bench-bare');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./bare.workflow'),
    activities: { noop: (step: number) => Promise.resolve(step >= 0 ? 1 : 0) },
  });
  const run = async (window: number) => {
    const latencies: number[] = [];
    let failed = 0;
    const deadline = performance.now() + window * 1000;
    await Promise.all(
      Array.from({ length: customers }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            await env.client.workflow.execute<typeof bareWorkflow>('bareWorkflow', {
              taskQueue,
              workflowId: uniqueName('bare'),
              args: [CHECKOUT_STEPS],
            });
            latencies.push(performance.now() - started);
          } catch {
            failed++;
          }
        }
      }),
    );
    return summarise(
      `bare workflow, ${CHECKOUT_ACTIVITY_COUNT} no-op activities (${CHECKOUT_LOCAL_ACTIVITY_COUNT} local)`,
      latencies,
      failed,
      window,
    );
  };
  try {
    return await worker.runUntil(async () => {
      await run(warmup);
      const done = cpu();
      const measured = await run(duration);
      return { ...measured, cpu: done() };
    });
  } finally {
    await env.teardown();
  }
}

async function main(): Promise<void> {
  const infra = await startInfra();
  // The apps start in about 20 s; the idle window and the warm-up follow, then the measured one.
  const profiled = (app: string): Record<string, string> =>
    args.profile
      ? {
          NODE_OPTIONS: `--import ${pathToFileURL(require.resolve('./cpu-profile.mjs')).href}`,
          CPU_PROFILE_START_MS: String((20 + IDLE_SECONDS + warmup) * 1000),
          CPU_PROFILE_MS: String(duration * 1000),
          CPU_PROFILE_FILE: `${args.profile}/${app}.cpuprofile`,
        }
      : {};
  const apps = ['auth', 'products', 'orders', 'payments', 'notifications', 'workers', 'analytics'];
  // Inside the try: a stack that fails to start (a busy machine) must not leave the servers this
  // run started behind.
  let stack: CheckoutStack | undefined;
  try {
    stack = await startCheckoutStack({
      env: {
        ...Object.fromEntries(apps.map((app) => [app, profiled(app)])),
        gateway: profiled('gateway'),
        // Production-like logging and limits; the stack's own defaults otherwise.
        temporal: { NODE_ENV: 'production', LOG_LEVEL: 'warn' },
        checkoutWorker: profiled('checkoutWorker'),
        paymentsWorker: profiled('paymentsWorker'),
        domainWorker: profiled('domainWorker'),
      },
    });
    const call = apiClient(stack.api);
    const admin = (await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin })).body
      .accessToken;
    const product = await stockedProduct(call, admin, { price: 999, onHand: 1_000_000 });
    const shoppers = await Promise.all(
      Array.from({ length: customers }, () => registerShopper(call)),
    );

    await loadCheckout(call, shoppers, product.id, warmup);
    const classify = checkoutClassifier({
      apps: Object.fromEntries(Object.entries(stack.apps).map(([name, app]) => [name, app.pid])),
      benchPid: process.pid,
      databases: Object.values(stack.databases).map((url) => new URL(url).pathname.slice(1)),
      temporalPort: Number(testEndpoints.temporalAddress.split(':').pop()),
    });
    // The stack at rest first: what it spends per second with nobody shopping.
    const idleDone = measureCpu(classify);
    await sleep(IDLE_SECONDS * 1000);
    const idle = idleDone();
    const cpuDone = measureCpu(classify);
    const checkoutResult = await loadCheckout(call, shoppers, product.id, duration);
    const cpu = cpuDone();
    const bare = await loadBare(() => measureCpu(classify));
    report(checkoutResult, bare);
    const cpuTable = cpuReport(cpu, checkoutResult, idle, bare);
    writeReport(args.json, jsonReport(checkoutResult, bare, cpuTable));
  } finally {
    await stack?.stop();
    await stopRegistered(infra.started);
  }
}

function report(checkoutResult: Measured, bare: Measured): void {
  const ms = (v: number) => v.toFixed(0);
  console.log(
    `\ncheckout benchmark: ${customers} concurrent customers, ${duration}s per run (after ${warmup}s ` +
      `warm-up), ${longPoll ? 'orders followed by long poll (waitWhile)' : `orders polled every ${pollMs} ms`}, ${new Date().toISOString()}`,
  );
  console.log('| path | completed | not completed | per s | p50 ms | p95 ms | p99 ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of [checkoutResult, bare]) {
    console.log(
      `| ${r.target} | ${r.completed} | ${r.failed} | ${r.rate.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} |`,
    );
  }
  const ratio = checkoutResult.rate / bare.rate;
  console.log(
    `| checkout / bare | | | ${ratio.toFixed(2)}x | ${(checkoutResult.p50 / bare.p50).toFixed(2)}x | ${(checkoutResult.p95 / bare.p95).toFixed(2)}x | ${(checkoutResult.p99 / bare.p99).toFixed(2)}x |`,
  );
  // The issue's targets, from bench/targets.ts (the same ones the rendered doc judges by).
  const target = (figure: string): number =>
    TARGETS.checkout.find((t) => t.figure === figure)?.value ?? Number.NaN;
  const rateTarget = { value: target('ratio.rate') };
  const p95Target = { value: target('checkout.p95') };
  console.log(
    `targets: rate >= ${rateTarget.value} of bare: ${ratio >= rateTarget.value ? 'met' : 'NOT met'} (${ratio.toFixed(2)}); ` +
      `p95 <= ${p95Target.value} ms: ${checkoutResult.p95 <= p95Target.value ? 'met' : 'NOT met'} (${ms(checkoutResult.p95)} ms)`,
  );
}

/**
 * CPU seconds per completed checkout of every process on the checkout path during the measured
 * window (bench/checkout/cpu.ts), and what the customers sent per checkout. Printed, and recorded
 * as a table of the run's report.
 */
function cpuReport(
  cpu: CpuMeasurement,
  result: Measured,
  idle: CpuMeasurement,
  bare: Measured & { cpu: CpuMeasurement },
): Table {
  const per = (seconds: number, completed = result.completed) =>
    completed > 0 ? round((seconds * 1000) / completed, 1) : null;
  const idleOf = new Map(idle.rows.map((row) => [row.label, row.seconds / idle.wallSeconds]));
  const bareOf = new Map(bare.cpu.rows.map((row) => [row.label, row.seconds]));
  const sum = (rows: CpuMeasurement['rows']) => rows.reduce((total, row) => total + row.seconds, 0);
  const total = sum(cpu.rows);
  // What the load added: the window's CPU less what the process spends at rest in as long. On a
  // busy machine fewer checkouts complete and the rest-time cost per checkout grows; this does not.
  const added = (seconds: number, atRest: number) =>
    per(Math.max(0, seconds - atRest * cpu.wallSeconds));
  const idleTotal = sum(idle.rows) / idle.wallSeconds;
  const rows: Table['rows'] = cpu.rows.map((row) => [
    row.label,
    row.processes,
    round(row.seconds, 1),
    per(row.seconds),
    added(row.seconds, idleOf.get(row.label) ?? 0),
    `${((row.seconds / total) * 100).toFixed(0)}%`,
    round((idleOf.get(row.label) ?? 0) * 1000, 0),
    bareOf.has(row.label) ? per(bareOf.get(row.label) ?? 0, bare.completed) : '',
  ]);
  rows.push([
    'all of the above',
    '',
    round(total, 1),
    per(total),
    added(total, idleTotal),
    '100%',
    round(idleTotal * 1000, 0),
    per(sum(bare.cpu.rows), bare.completed),
  ]);
  rows.push([
    "whole machine (everyone's processes)",
    '',
    round(cpu.machine, 1),
    per(cpu.machine),
    '',
    '',
    round((idle.machine / idle.wallSeconds) * 1000, 0),
    per(bare.cpu.machine, bare.completed),
  ]);
  const table: Table = {
    title: 'CPU per completed checkout in the measured window; at rest; per bare workflow',
    columns: [
      'process',
      'processes',
      'CPU s',
      'CPU ms per checkout',
      'of which the load added',
      'share',
      'at rest, CPU ms per s',
      'CPU ms per bare workflow',
    ],
    rows,
  };
  console.log(
    `\n${table.title} (${result.completed} checkouts in ${cpu.wallSeconds.toFixed(0)} s; ${bare.completed} bare workflows)`,
  );
  console.log(`| ${table.columns.join(' | ')} |`);
  console.log(`| ${table.columns.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.map((cell) => cell ?? '').join(' | ')} |`);
  const r = result.requests;
  if (r && result.completed > 0) {
    const each = (n: number) => (n / result.completed).toFixed(1);
    console.log(
      `requests per completed checkout through the gateway: cart ${each(r.cart)}, checkout ${each(r.checkout)}, order reads ${each(r.polls)} (${r.failedReads} reads in all answered other than 200)`,
    );
  }
  return table;
}

/** The figures for `--json`: both paths' rate and latency, ratios, the issue's targets. */
function jsonReport(checkoutResult: Measured, bare: Measured, cpuTable?: Table): ReportInput {
  const figures: Record<string, Figure> = {};
  const paths = [
    { key: 'checkout', series: 'checkout through the gateway', m: checkoutResult },
    { key: 'bare', series: `bare workflow (baseline)`, m: bare },
  ];
  for (const { key, m } of paths) {
    figures[`${key}.completed`] = { label: `${key}: completed`, unit: '', value: m.completed };
    figures[`${key}.failed`] = { label: `${key}: not completed`, unit: '', value: m.failed };
    figures[`${key}.rate`] = {
      label: `${key}: completed per s`,
      unit: 'checkouts/s',
      value: round(m.rate),
    };
    for (const p of ['p50', 'p95', 'p99'] as const)
      figures[`${key}.${p}`] = { label: `${key}: ${p}`, unit: 'ms', value: round(m[p], 0) };
  }
  figures['ratio.rate'] = {
    label: 'checkout completed/s / bare',
    unit: 'x',
    value: round(checkoutResult.rate / bare.rate),
  };
  figures['ratio.p95'] = {
    label: 'checkout p95 / bare',
    unit: 'x',
    value: round(checkoutResult.p95 / bare.p95),
  };
  const target = (figure: string) => TARGETS.checkout.find((t) => t.figure === figure)?.value;
  const rateTarget = target('ratio.rate');
  const p95Target = target('checkout.p95');
  const ms = (v: number) => round(v, 0);
  return {
    bench: 'checkout',
    title: 'Checkout',
    options: { customers, duration, warmup, ...(longPoll ? { follow: 'wait' } : { poll: pollMs }) },
    figures,
    tables: [
      {
        columns: ['path', 'completed', 'not completed', 'per s', 'p50 ms', 'p95 ms', 'p99 ms'],
        rows: [
          ...[checkoutResult, bare].map((r) => [
            r.target,
            r.completed,
            r.failed,
            round(r.rate, 1),
            ms(r.p50),
            ms(r.p95),
            ms(r.p99),
          ]),
          [
            'checkout / bare',
            '',
            '',
            `${(checkoutResult.rate / bare.rate).toFixed(2)}x`,
            `${(checkoutResult.p50 / bare.p50).toFixed(2)}x`,
            `${(checkoutResult.p95 / bare.p95).toFixed(2)}x`,
            `${(checkoutResult.p99 / bare.p99).toFixed(2)}x`,
          ],
        ],
      },
      ...(cpuTable ? [cpuTable] : []),
    ],
    chart: {
      title: `Checkout: ${customers} customers through the gateway, next to a bare workflow of ${CHECKOUT_ACTIVITY_COUNT} no-op activities`,
      panels: [
        {
          title: 'Completed, higher is better',
          unit: 'checkouts/s',
          targetOp: '>=',
          groups: [
            {
              label: 'completed',
              bars: paths.map(({ series, m }) => ({ series, value: round(m.rate) })),
              ...(rateTarget === undefined ? {} : { target: round(rateTarget * bare.rate) ?? 0 }),
            },
          ],
        },
        {
          title: 'Submit to completed, lower is better',
          unit: 'ms',
          targetOp: '<=',
          groups: (['p50', 'p95', 'p99'] as const).map((p) => ({
            label: p,
            bars: paths.map(({ series, m }) => ({ series, value: ms(m[p]) })),
            ...(p === 'p95' && p95Target !== undefined ? { target: p95Target } : {}),
          })),
        },
      ],
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
