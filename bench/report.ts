/**
 * What a benchmark run records with `--json <file>`: its figures, the targets, the tables
 * it printed and a chart of subject against baseline, plus the machine it ran on. `npm run bench`
 * (bench/run-all.ts) stores these files under bench/results/<bench>/ and renders
 * docs/benchmarks.md from the latest two of each bench.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { TARGETS, type BenchName, type Target } from './targets';

export type { BenchName, Target } from './targets';

/** One measured number, by a stable key that targets refer to. */
export interface Figure {
  label: string;
  unit: string;
  /** null when nothing was measured (e.g. a percentile of no samples; JSON has no NaN). */
  value: number | null;
}

export interface Table {
  title?: string;
  columns: string[];
  /** null: not measured. */
  rows: (string | number | null)[][];
}

export interface ChartBar {
  /** The legend entry, e.g. "gateway" or "direct (baseline)". */
  series: string;
  value: number | null;
}

export interface ChartGroup {
  label: string;
  bars: ChartBar[];
  /** A target that holds for this group only (drawn across the group's bars). */
  target?: number;
}

/** One axis and unit; a chart stacks panels so figures of different units never share a scale. */
export interface ChartPanel {
  title: string;
  unit: string;
  groups: ChartGroup[];
  /** A target that holds for every group (drawn across the whole panel). */
  target?: number;
  /** Which side of the target line is good, shown in the line's label. */
  targetOp?: '>=' | '<=';
}

export interface Chart {
  title: string;
  panels: ChartPanel[];
}

export interface Environment {
  /** ISO time the report was written (end of the run). */
  date: string;
  /** 1, 5 and 15 minute load averages when the bench process started and when it finished. */
  loadBefore: number[];
  loadAfter: number[];
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  commit: string;
  /** Uncommitted changes to tracked files (other than the runner's output) when the run ended. */
  dirty: boolean;
}

export interface BenchReport {
  schema: 1;
  bench: BenchName;
  title: string;
  environment: Environment;
  /** The bench's command-line options as used. */
  options: Record<string, string | number | boolean>;
  figures: Record<string, Figure>;
  targets: Target[];
  tables: Table[];
  chart: Chart;
  notes?: string[];
}

export type ReportInput = Omit<BenchReport, 'schema' | 'environment' | 'targets'>;

// Taken when a bench imports this module, i.e. before it starts any process or load.
const loadBefore = loadavg();

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: resolve(__dirname, '..'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return '';
  }
}

export function environmentNow(): Environment {
  const round = (values: number[]) => values.map((v) => Math.round(v * 100) / 100);
  return {
    date: new Date().toISOString(),
    loadBefore: round(loadBefore),
    loadAfter: round(loadavg()),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit: git(['rev-parse', '--short=12', 'HEAD']).trim() || 'unknown',
    // What the runner itself writes between runs does not count.
    dirty:
      git([
        'status',
        '--porcelain',
        '--untracked-files=no',
        '--',
        '.',
        ':!bench/results',
        ':!docs/benchmarks.md',
        ':!docs/benchmarks',
      ]).trim() !== '',
  };
}

/** Writes the run's report when the bench was given `--json <file>`; does nothing otherwise. */
export function writeReport(file: string | undefined, input: ReportInput): void {
  if (!file) return;
  const report: BenchReport = {
    schema: 1,
    ...input,
    environment: environmentNow(),
    targets: TARGETS[input.bench],
  };
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report written to ${path}`);
}

/** Rounds for the record: enough digits to redraw the tables, no float noise in the diff. */
export function round(value: number, digits = 2): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
