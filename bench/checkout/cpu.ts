/**
 * CPU time of every process a checkout touches, over a measured window: the stack's apps, the
 * infrastructure servers, the PostgreSQL backends serving the stack's databases, and the bench's
 * own load generator. On a shared 2-core machine wall-clock rates are noisy; CPU seconds per
 * completed checkout, per process, is the steadier figure to cut.
 * Read from /proc (bench/proc-cpu.ts).
 */
import { isTemporalDevServer, machineBusyMs, processCpuMs, processes } from '../proc-cpu';

/** Which group a process belongs to, or undefined to leave it out (other people's processes). */
export type Classifier = (pid: number, cmdline: string) => string | undefined;

interface Sample {
  label: string;
  /** CPU time so far, ms. */
  ms: number;
}

export interface CpuRow {
  label: string;
  /** CPU seconds (user + system) spent in the window. */
  seconds: number;
  processes: number;
}

function readSample(pid: number, cmdline: string, classify: Classifier): Sample | undefined {
  const label = classify(pid, cmdline);
  if (label === undefined) return undefined;
  try {
    return { label, ms: processCpuMs(pid) };
  } catch {
    return undefined; // gone between listing and reading
  }
}

function snapshot(classify: Classifier): Map<number, Sample> {
  const samples = new Map<number, Sample>();
  for (const { pid, cmdline } of processes()) {
    const sample = readSample(pid, cmdline, classify);
    if (sample) samples.set(pid, sample);
  }
  return samples;
}

export interface CpuMeasurement {
  /** Per group, most CPU first. */
  rows: CpuRow[];
  /** Busy CPU seconds of the whole machine, everyone's processes. */
  machine: number;
  wallSeconds: number;
}

/**
 * Starts measuring; the returned function ends the window and gives CPU seconds per group, most
 * first, plus the whole machine's busy seconds (to see how much went to other people's work).
 * A process that exits inside the window loses its share; one that starts inside it counts fully.
 */
export function measureCpu(classify: Classifier): () => CpuMeasurement {
  const before = snapshot(classify);
  const machineBefore = machineBusyMs();
  const started = performance.now();
  return () => {
    const after = snapshot(classify);
    const machine = (machineBusyMs() - machineBefore) / 1000;
    const wallSeconds = (performance.now() - started) / 1000;
    const groups = new Map<string, CpuRow>();
    for (const [pid, { label, ms }] of after) {
      const spent = ms - (before.get(pid)?.ms ?? 0);
      const row = groups.get(label) ?? { label, seconds: 0, processes: 0 };
      row.seconds += spent / 1000;
      row.processes += 1;
      groups.set(label, row);
    }
    return {
      rows: [...groups.values()].sort((a, b) => b.seconds - a.seconds),
      machine,
      wallSeconds,
    };
  };
}

/**
 * Groups for the checkout stack: its apps by pid, the infrastructure servers by their command line
 * and listening port (other people's servers on other ports are left out), PostgreSQL backends by
 * database. Redis and PostgreSQL's own background processes are shared with anything else using
 * the machine's servers, so their rows are upper bounds.
 */
export function checkoutClassifier(options: {
  apps: Record<string, number | undefined>;
  benchPid: number;
  databases: string[];
  temporalPort: number;
}): Classifier {
  const byPid = new Map<number, string>();
  for (const [name, pid] of Object.entries(options.apps)) if (pid) byPid.set(pid, name);
  const databases = new Set(options.databases);
  return (pid, cmdline) => {
    if (pid === options.benchPid) return 'load generator (bench process)';
    const app = byPid.get(pid);
    if (app) return app;
    if (isTemporalDevServer(cmdline, options.temporalPort)) return 'temporal dev server';
    if (/\bferretdb\b/.test(cmdline) && cmdline.includes(':27017')) return 'ferretdb';
    if (/\bstripe-mock\b/.test(cmdline) && cmdline.includes(':12111')) return 'stripe-mock';
    if (/\bmailpit\b/.test(cmdline) && cmdline.includes(':1025')) return 'mailpit';
    if (/^redis-server 127\.0\.0\.1:6379/.test(cmdline)) return 'redis (shared)';
    const backend = /^postgres: \S+: \S+ (\S+) /.exec(cmdline);
    if (backend) {
      const database = backend[1] as string;
      if (databases.has(database))
        return `postgres backends (${database.replace(/_[0-9a-f]{6,}.*$/, '')})`;
      if (database === 'commerce_ferretdb') return 'postgres backends (ferretdb, shared)';
      return undefined;
    }
    if (
      /^postgres: \S+: (checkpointer|background writer|walwriter|autovacuum|logical|stats)/.test(
        cmdline,
      )
    )
      return 'postgres background (shared)';
    return undefined;
  };
}
