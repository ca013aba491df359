/**
 * Idle resident memory of every app process, next to a bare Fastify server in the same run.
 *
 *   npx tsx bench/memory/run.ts [--settle 15]
 *
 * The whole stack as separate processes from their builds (the e2e stack: services, gateway,
 * BullMQ workers, Temporal workers split by role). After start-up and one request to each
 * process's health route, it waits `settle` seconds and reads VmRSS and VmHWM from
 * /proc/<pid>/status. Baseline: a Node process serving one Fastify route, measured the same way.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startCheckoutStack } from '@commerce/e2e';
import { freePort } from '@commerce/testing';
import { startInfra, stopRegistered } from '@commerce/tools';
import { round, writeReport, type Figure, type ReportInput } from '../report';
import { TARGETS } from '../targets';

const { values: args } = parseArgs({
  options: {
    settle: { type: 'string', default: '15' },
    json: { type: 'string' }, // writes the run's report (bench/report.ts) for npm run bench
  },
});
const settleMs = Number(args.settle) * 1000;

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** A bare Fastify server in its own Node process: what any of our apps costs at the least. */
async function baseline(): Promise<{ pid: number; stop: () => void }> {
  const port = await freePort();
  const code = `require('fastify')().get('/', async () => 'ok').listen({ port: ${port}, host: '127.0.0.1' })`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(100);
  }
  return { pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const infra = await startInfra();
  const stack = await startCheckoutStack();
  const bare = await baseline();
  try {
    for (const app of Object.values(stack.apps)) await fetch(`${app.url}/health`).catch(() => 0);
    await sleep(settleMs);
    const base = memoryOf(bare.pid);
    const rows = Object.entries(stack.apps).map(([name, app]) => ({ name, ...memoryOf(app.pid!) }));
    const line = (name: string, m: { rss: number; peak: number }) =>
      `| ${name} | ${m.rss.toFixed(0)} | ${m.peak.toFixed(0)} | ${(m.rss / base.rss).toFixed(1)}x |`;
    console.log('| process | idle RSS (MB) | peak RSS (MB) | vs bare Fastify |');
    console.log('| --- | --- | --- | --- |');
    console.log(line('bare Fastify (baseline)', base));
    for (const row of rows) console.log(line(row.name, row));
    const total = rows.reduce((sum, row) => sum + row.rss, 0);
    console.log(`\nwhole stack: ${total.toFixed(0)} MB in ${rows.length} processes`);
    writeReport(args.json, jsonReport(base, rows));
  } finally {
    bare.stop();
    await stack.stop();
    await stopRegistered(infra.started);
  }
}

/** The figures for `--json`: each process's idle and peak RSS, the baseline, the largest app. */
function jsonReport(
  base: { rss: number; peak: number },
  rows: { name: string; rss: number; peak: number }[],
): ReportInput {
  const mb = (v: number) => round(v, 0);
  const all = [{ name: 'bare Fastify (baseline)', ...base }, ...rows];
  const figures: Record<string, Figure> = {
    'apps.maxRss': {
      label: 'largest idle RSS of an app process',
      unit: 'MB',
      value: mb(Math.max(...rows.map((r) => r.rss))),
    },
    'apps.totalRss': {
      label: `whole stack idle RSS (${rows.length} processes)`,
      unit: 'MB',
      value: mb(rows.reduce((sum, r) => sum + r.rss, 0)),
    },
    'baseline.rss': { label: 'bare Fastify idle RSS', unit: 'MB', value: mb(base.rss) },
  };
  for (const r of rows) {
    figures[`${r.name}.rss`] = { label: `${r.name} idle RSS`, unit: 'MB', value: mb(r.rss) };
    figures[`${r.name}.peak`] = { label: `${r.name} peak RSS`, unit: 'MB', value: mb(r.peak) };
  }
  return {
    bench: 'memory',
    title: 'Idle memory',
    options: { settle: settleMs / 1000 },
    figures,
    tables: [
      {
        columns: ['process', 'idle RSS (MB)', 'peak RSS (MB)', 'vs bare Fastify'],
        rows: all.map((r) => [r.name, mb(r.rss), mb(r.peak), `${(r.rss / base.rss).toFixed(1)}x`]),
      },
    ],
    chart: {
      title: 'Resident memory of each process, idle, next to a bare Fastify server',
      panels: [
        {
          title: 'Resident set size, lower is better',
          unit: 'MB',
          target: TARGETS.memory.find((t) => t.figure === 'apps.maxRss')?.value,
          targetOp: '<=',
          groups: all.map((r) => ({
            label: r.name,
            bars: [
              { series: 'idle RSS', value: mb(r.rss) },
              { series: 'peak RSS', value: mb(r.peak) },
            ],
          })),
        },
      ],
    },
  };
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
