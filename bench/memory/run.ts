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

const { values: args } = parseArgs({ options: { settle: { type: 'string', default: '15' } } });
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
  } finally {
    bare.stop();
    await stack.stop();
    await stopRegistered(infra.started);
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
