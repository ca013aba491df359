/**
 * Rewrites the generated parts of docs/benchmarks.md from recorded runs. The hand-written text
 * (what each bench measures, how, the analysis, earlier runs) stays where it is; the figures live
 * between `<!-- bench:<name>:begin ... -->` and `<!-- bench:<name>:end -->` markers, one block per
 * bench plus a summary of every target at the top. The doc itself is the template, so prose edits
 * and renders never fight over a second copy of the text.
 */
import type { BenchReport, Environment, Table } from '../report';
import { BENCHES, offTarget, targetMet, type BenchName, type Target } from '../targets';
import { formatDate, formatNumber } from './format';
import { renderChart } from './svg-chart';

/** Runs of one bench; any order (sorted here, newest first). */
export type RecordedRuns = Partial<Record<BenchName, BenchReport[]>>;

export interface RenderedDoc {
  doc: string;
  /** SVG text by bench, for the benches that have at least one run. */
  charts: Partial<Record<BenchName, string>>;
}

/** How many recorded runs of each bench the doc shows side by side. */
export const RUNS_SHOWN = 2;

export const chartLink = (bench: BenchName) => `benchmarks/${bench}.svg`;

export function latestRuns(runs: readonly BenchReport[], count = RUNS_SHOWN): BenchReport[] {
  return [...runs]
    .sort((a, b) => b.environment.date.localeCompare(a.environment.date))
    .slice(0, count);
}

function cell(text: string | number | null): string {
  const s = text === null ? '-' : typeof text === 'number' ? formatNumber(text) : text;
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(columns: string[], rows: (string | number | null)[][]): string {
  return [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function targetText(target: Target): string {
  const unit = target.unit === 'x' ? 'x' : target.unit ? ` ${target.unit}` : '';
  return `${target.op === '>=' ? '≥' : '≤'} ${formatNumber(target.value)}${unit}`;
}

/**
 * A figure as a table cell, marked met / not met when a target applies to it; a run made with
 * other options than the target's (a quick run) is not judged.
 */
export function figureCell(
  value: number | null | undefined,
  target?: Target,
  options: BenchReport['options'] = {},
): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not measured';
  const text = formatNumber(value);
  if (!target) return text;
  const off = offTarget(target, options);
  if (off.length > 0) return `${text} (not judged: the target is for ${off.join(' ')})`;
  return targetMet(target, value) ? `${text} ✓ met` : `**${text} ✗ not met**`;
}

const runHeader = (run: BenchReport, index: number) =>
  `${index === 0 ? 'latest' : 'previous'}: ${formatDate(run.environment.date)}`;

/** Rows: the targeted figures first, then every other figure of the shown runs. */
export function figureRows(runs: readonly BenchReport[]): string[][] {
  const targets = runs[0]?.targets ?? [];
  const keys: string[] = targets.map((t) => t.figure);
  for (const run of runs)
    for (const key of Object.keys(run.figures)) if (!keys.includes(key)) keys.push(key);
  return keys.map((key) => {
    const target = targets.find((t) => t.figure === key);
    const figure = runs.map((r) => r.figures[key]).find((f) => f !== undefined);
    const label = figure?.label ?? target?.label ?? key;
    const unit = figure?.unit ?? target?.unit ?? '';
    return [
      label,
      unit,
      ...runs.map((r) => figureCell(r.figures[key]?.value, target, r.options)),
      target ? targetText(target) : '',
    ];
  });
}

function describeEnvironment(env: Environment): string {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  return [
    `commit \`${env.commit}\`${env.dirty ? ' with uncommitted changes' : ''}`,
    `load average (1 / 5 / 15 min) ${load(env.loadBefore)} before, ${load(env.loadAfter)} after`,
    `${env.cpus} CPUs (${env.cpuModel}), ${env.memoryGiB} GiB, Node ${env.node}, ${env.platform}`,
  ].join('; ');
}

function describeOptions(options: BenchReport['options']): string {
  const entries = Object.entries(options);
  if (entries.length === 0) return 'default options';
  return `options \`${entries.map(([k, v]) => (v === true ? `--${k}` : `--${k} ${v}`)).join(' ')}\``;
}

function runDetails(run: BenchReport): string {
  const parts = [
    `#### Run of ${formatDate(run.environment.date)}`,
    `${describeOptions(run.options)}; ${describeEnvironment(run.environment)}.`,
  ];
  for (const table of run.tables) parts.push(renderTable(table));
  if (run.notes?.length) parts.push(run.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

function renderTable(table: Table): string {
  const body = markdownTable(table.columns, table.rows);
  return table.title ? `${table.title}:\n\n${body}` : body;
}

export function chartSubtitle(run: BenchReport): string {
  const env = run.environment;
  return `Run of ${formatDate(env.date)}, commit ${env.commit}${env.dirty ? '+' : ''}, load average ${env.loadBefore[0]?.toFixed(2)} before, ${env.loadAfter[0]?.toFixed(2)} after, ${env.cpus} CPUs`;
}

export function benchBlock(bench: BenchName, runs: readonly BenchReport[]): string {
  const shown = latestRuns(runs);
  const latest = shown[0];
  if (!latest) {
    return `No run of this bench recorded by \`npm run bench\` yet (bench/results/${bench}/ is empty); the figures below were recorded by hand.`;
  }
  const columns = ['figure', 'unit', ...shown.map(runHeader), 'target'];
  return [
    `### Latest recorded runs`,
    shown.length === 1
      ? `The one run recorded by \`npm run bench\` (bench/results/${bench}/).`
      : `The last ${shown.length} runs recorded by \`npm run bench\` (bench/results/${bench}/), newest first; the chart shows the latest.`,
    `![${latest.chart.title}](${chartLink(bench)})`,
    markdownTable(columns, figureRows(shown)),
    ...shown.map(runDetails),
    '### How it runs, and earlier runs recorded by hand',
  ].join('\n\n');
}

export function summaryBlock(runs: RecordedRuns): string {
  const rows: string[][] = [];
  const missing: string[] = [];
  for (const bench of BENCHES) {
    const shown = latestRuns(runs[bench] ?? []);
    if (shown.length === 0) {
      missing.push(bench);
      continue;
    }
    for (const target of shown[0]!.targets) {
      rows.push([
        bench,
        target.label,
        targetText(target),
        ...[0, 1].map((i) => {
          const run = shown[i];
          if (!run) return '-';
          return `${figureCell(run.figures[target.figure]?.value, target, run.options)} (${formatDate(run.environment.date)})`;
        }),
      ]);
    }
  }
  const parts = [];
  if (rows.length > 0)
    parts.push(markdownTable(['bench', 'target', 'wanted', 'latest run', 'previous run'], rows));
  if (missing.length > 0)
    parts.push(
      `Not yet recorded by \`npm run bench\`: ${missing.map((b) => `\`${b}\``).join(', ')} (their sections give the runs recorded by hand).`,
    );
  return parts.join('\n\n');
}

const beginMarker = (name: string) =>
  `<!-- bench:${name}:begin (generated by npm run bench; edits between these markers are overwritten) -->`;
const endMarker = (name: string) => `<!-- bench:${name}:end -->`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Puts `content` between the markers named `name`. Without markers the block goes after the line
 * `where` matches (or at the end), so a merge that lost them, or a new bench, still renders.
 */
export function replaceBlock(doc: string, name: string, content: string, where?: RegExp): string {
  const block = `${beginMarker(name)}\n\n${content}\n\n${endMarker(name)}`;
  const existing = new RegExp(
    `${escapeRegExp(`<!-- bench:${name}:begin`)}[^]*?-->[^]*?${escapeRegExp(endMarker(name))}`,
  );
  if (existing.test(doc)) return doc.replace(existing, () => block);
  const anchor = where?.exec(doc);
  if (anchor) {
    const at = anchor.index + anchor[0].length;
    return `${doc.slice(0, at)}\n\n${block}\n${doc.slice(at).replace(/^\n*/, '\n')}`;
  }
  return `${doc.replace(/\n*$/, '')}\n\n${block}\n`;
}

const sectionHeading = (bench: BenchName) =>
  new RegExp(`^## .*\\(\`bench/${escapeRegExp(bench)}\`\\)[ \\t]*$`, 'm');

export function renderDoc(template: string, runs: RecordedRuns): RenderedDoc {
  let doc = template;
  const charts: RenderedDoc['charts'] = {};
  // The summary goes before the first bench section when its markers are missing.
  doc = replaceBlock(doc, 'summary', summaryBlock(runs), /^# .*$/m);
  for (const bench of BENCHES) {
    const benchRuns = runs[bench] ?? [];
    let at = sectionHeading(bench);
    if (!at.test(doc) && !doc.includes(`<!-- bench:${bench}:begin`)) {
      const title = latestRuns(benchRuns)[0]?.title ?? bench;
      doc = `${doc.replace(/\n*$/, '')}\n\n## ${title} (\`bench/${bench}\`)\n`;
      at = sectionHeading(bench);
    }
    doc = replaceBlock(doc, bench, benchBlock(bench, benchRuns), at);
    const latest = latestRuns(benchRuns)[0];
    if (latest)
      charts[bench] = renderChart(latest.chart, {
        id: `bench-${bench}`,
        subtitle: chartSubtitle(latest),
      });
  }
  return { doc: doc.replace(/\n*$/, '\n'), charts };
}
