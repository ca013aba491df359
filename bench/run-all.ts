/**
 * `npm run bench`: builds once, runs every benchmark in turn (never two at once: they would
 * measure each other), stores each run's report under bench/results/<bench>/<time>.json and
 * rewrites docs/benchmarks.md (figures, targets met or not) and docs/benchmarks/<bench>.svg from
 * the latest two recorded runs of each bench.
 *
 *   npm run bench                                   # all five, then the doc
 *   npm run bench -- --only gateway,memory          # some of them
 *   npm run bench -- --only gateway --args 'gateway=--duration 3 --warmup 1'
 *   npm run bench -- --render-only                  # the doc again from what is recorded
 *
 * On a shared machine wrap it in the heavy-test lock: `flock /tmp/commerce-heavy-tests.lock npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchReport } from './report';
import { renderDoc, type RecordedRuns } from './render/benchmarks-doc';
import { BENCHES, type BenchName } from './targets';

const root = resolve(__dirname, '..');

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    skip: { type: 'string' },
    // Extra options for one bench, e.g. --args 'memory=--settle 5'; repeatable.
    args: { type: 'string', multiple: true, default: [] },
    'no-build': { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
    results: { type: 'string', default: join(root, 'bench', 'results') },
    doc: { type: 'string', default: join(root, 'docs', 'benchmarks.md') },
    // Where the rendered doc goes; the template is always --doc. Trial runs render elsewhere.
    out: { type: 'string' },
  },
});

function benchList(value: string | undefined, flag: string): BenchName[] {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(BENCHES as readonly string[]).includes(name))
      throw new Error(`--${flag}: unknown bench "${name}" (known: ${BENCHES.join(', ')})`);
  }
  return names as BenchName[];
}

function extraArgs(entries: string[]): Partial<Record<BenchName, string[]>> {
  const out: Partial<Record<BenchName, string[]>> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const [bench] = benchList(eq > 0 ? entry.slice(0, eq) : '', 'args');
    if (!bench) throw new Error(`--args takes <bench>=<options>, got "${entry}"`);
    out[bench] = [
      ...(out[bench] ?? []),
      ...entry
        .slice(eq + 1)
        .split(/\s+/)
        .filter(Boolean),
    ];
  }
  return out;
}

function run(command: string, commandArgs: string[]): number {
  console.log(`\n$ ${[command, ...commandArgs].join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  // Interrupted (Ctrl-C reaches the bench too): stop here rather than start the next one.
  if (result.signal) throw new Error(`${command} stopped by ${result.signal}`);
  return result.status ?? 1;
}

/** Every recorded report, by bench. A file that does not parse stops the render with its name. */
function loadRuns(resultsDir: string): RecordedRuns {
  const runs: RecordedRuns = {};
  for (const bench of BENCHES) {
    const dir = join(resultsDir, bench);
    if (!existsSync(dir)) continue;
    runs[bench] = readdirSync(dir)
      // Skips `.pending-*` files a killed run can leave behind.
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => {
        const path = join(dir, f);
        try {
          return JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
        } catch (error) {
          throw new Error(`${path}: ${(error as Error).message}`);
        }
      });
  }
  return runs;
}

function render(resultsDir: string, docPath: string, outPath: string): void {
  const { doc, charts } = renderDoc(readFileSync(docPath, 'utf8'), loadRuns(resultsDir));
  writeFileSync(outPath, doc);
  const chartDir = join(dirname(outPath), 'benchmarks');
  for (const [bench, svg] of Object.entries(charts)) {
    mkdirSync(chartDir, { recursive: true });
    writeFileSync(join(chartDir, `${bench}.svg`), svg);
  }
  console.log(
    `rendered ${relative(process.cwd(), outPath)} and ${Object.keys(charts).length} chart(s) in ${relative(process.cwd(), chartDir)}`,
  );
}

function main(): void {
  const resultsDir = resolve(args.results);
  const docPath = resolve(args.doc);
  const outPath = resolve(args.out ?? args.doc);
  if (args['render-only']) {
    render(resultsDir, docPath, outPath);
    return;
  }
  const only = benchList(args.only, 'only');
  const skip = benchList(args.skip, 'skip');
  const extra = extraArgs(args.args);
  const selected = BENCHES.filter(
    (b) => (only.length === 0 || only.includes(b)) && !skip.includes(b),
  );

  if (!args['no-build']) {
    if (run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']) !== 0)
      throw new Error('build failed');
  }
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const failed: string[] = [];
  for (const bench of selected) {
    const pending = join(resultsDir, bench, `.pending-${process.pid}.json`);
    mkdirSync(dirname(pending), { recursive: true });
    const status = run(tsx, [
      join('bench', bench, 'run.ts'),
      '--json',
      pending,
      ...(extra[bench] ?? []),
    ]);
    if (status !== 0 || !existsSync(pending)) {
      // A bench that failed after measuring (e.g. in its clean-up) is not a run to show.
      rmSync(pending, { force: true });
      failed.push(`${bench} (exit ${status})`);
      continue;
    }
    const report = JSON.parse(readFileSync(pending, 'utf8')) as BenchReport;
    const stored = join(resultsDir, bench, `${report.environment.date.replace(/[:.]/g, '-')}.json`);
    renameSync(pending, stored);
    console.log(`recorded ${relative(process.cwd(), stored)}`);
  }
  render(resultsDir, docPath, outPath);
  if (failed.length > 0) {
    console.error(`\nfailed, not recorded: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
