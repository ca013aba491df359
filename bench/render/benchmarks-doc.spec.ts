import { TARGETS, targetMet } from '../targets';
import {
  benchBlock,
  figureCell,
  figureRows,
  latestRuns,
  renderDoc,
  replaceBlock,
  summaryBlock,
} from './benchmarks-doc';
import { memoryReport } from './report.fixture';

const maxRss = TARGETS.memory[0]!;
const older = memoryReport('2026-12-06T10:00:00.000Z', { auth: 101, checkoutWorker: 197 });
const previous = memoryReport('2026-12-07T10:00:00.000Z', { auth: 100, checkoutWorker: 160 });
const latest = memoryReport('2026-12-08T09:30:00.000Z', { auth: 99, checkoutWorker: 150 });

const template = `# Benchmarks

Intro written by hand.

## Gateway overhead (\`bench/gateway\`)

Gateway prose.

## Idle memory (\`bench/memory\`)

How the memory bench works.

### Runs of 2026-12-07 (by hand)

| process | idle RSS (MB) |
| --- | --- |
| auth | 101 |
`;

describe('targets', () => {
  it('is met on the boundary, on the right side of it, and not measured without a number', () => {
    expect(targetMet(maxRss, 150)).toBe(true);
    expect(targetMet(maxRss, 149.9)).toBe(true);
    expect(targetMet(maxRss, 150.1)).toBe(false);
    const ratio = TARGETS.gateway.find((t) => t.op === '>=')!;
    expect(targetMet(ratio, ratio.value)).toBe(true);
    expect(targetMet(ratio, ratio.value - 0.01)).toBe(false);
    expect(targetMet(maxRss, null)).toBeUndefined();
    expect(targetMet(maxRss, Number.NaN)).toBeUndefined();
  });

  it('marks a cell met or not met', () => {
    expect(figureCell(150, maxRss)).toBe('150 ✓ met');
    expect(figureCell(197, maxRss)).toBe('**197 ✗ not met**');
    expect(figureCell(1234.5)).toBe('1,235');
    expect(figureCell(null, maxRss)).toBe('not measured');
  });

  it('does not judge a run made with other options than the target is stated for', () => {
    const enqueue = TARGETS['bulk-email'].find((t) => t.figure === 'campaign.enqueueSeconds')!;
    expect(figureCell(0.7, enqueue, { recipients: 2000, concurrency: 100 })).toBe(
      '0.7 (not judged: the target is for --recipients 100000)',
    );
    expect(figureCell(16, enqueue, { recipients: 100_000, concurrency: 100 })).toBe(
      '**16 ✗ not met**',
    );
    expect(figureCell(13.2, enqueue, { recipients: 100_000 })).toBe('13.2 ✓ met');
  });
});

describe('figure table', () => {
  it('shows the latest two runs, newest first', () => {
    expect(latestRuns([older, latest, previous]).map((r) => r.environment.date)).toEqual([
      latest.environment.date,
      previous.environment.date,
    ]);
  });

  it('puts the targeted figures first, one column per run, with the target', () => {
    const rows = figureRows([latest, previous]);
    expect(rows[0]).toEqual([
      'largest idle RSS of an app process',
      'MB',
      '150 ✓ met',
      '**160 ✗ not met**',
      '≤ 150 MB',
    ]);
    expect(rows.slice(1)).toEqual([
      ['bare Fastify idle RSS', 'MB', '64', '64', ''],
      ['auth idle RSS', 'MB', '99', '100', ''],
      ['checkoutWorker idle RSS', 'MB', '150', '160', ''],
    ]);
  });

  it('says "not measured" where a run lacks a figure the other has', () => {
    const fewer = memoryReport('2026-12-05T10:00:00.000Z', { auth: 90 });
    const rows = figureRows([latest, fewer]);
    expect(rows.find((r) => r[0] === 'checkoutWorker idle RSS')).toEqual([
      'checkoutWorker idle RSS',
      'MB',
      '150',
      'not measured',
      '',
    ]);
  });
});

describe('blocks', () => {
  it('renders a bench block: chart link, side-by-side table, then each run with its tables', () => {
    const block = benchBlock('memory', [older, previous, latest]);
    expect(block).toContain('![Resident memory](benchmarks/memory.svg)');
    expect(block).toContain(
      '| figure | unit | latest: 2026-12-08 09:30 UTC | previous: 2026-12-07 10:00 UTC | target |',
    );
    expect(block).toContain('#### Run of 2026-12-08 09:30 UTC');
    expect(block).toContain('#### Run of 2026-12-07 10:00 UTC');
    expect(block).not.toContain('2026-12-06');
    expect(block).toContain(
      'options `--settle 15`; commit `abc123def456`; load average (1 / 5 / 15 min) 0.50 / 0.40 / 0.30 before, 1.25 / 0.60 / 0.35 after; 2 CPUs (Test CPU), 24 GiB, Node v20.19.0, linux x64.',
    );
    expect(block).toContain('| checkoutWorker | 150 |');
  });

  it('says so when a bench has no recorded run', () => {
    expect(benchBlock('gateway', [])).toMatch(/^No run of this bench recorded/);
  });

  it('summarises every target of the recorded benches and names the others', () => {
    const summary = summaryBlock({ memory: [previous, latest] });
    expect(summary).toContain(
      '| memory | largest idle RSS of an app process | ≤ 150 MB | 150 ✓ met (2026-12-08 09:30 UTC) | **160 ✗ not met** (2026-12-07 10:00 UTC) |',
    );
    expect(summary).toContain(
      'Not yet recorded by `npm run bench`: `gateway`, `catalog`, `checkout`, `bulk-email`',
    );
  });
});

describe('renderDoc', () => {
  const { doc, charts } = renderDoc(template, { memory: [older, previous, latest] });

  it('keeps the hand-written text and adds generated blocks under each bench heading', () => {
    expect(doc).toContain('Intro written by hand.');
    expect(doc).toContain('Gateway prose.');
    expect(doc).toContain(
      '### Runs of 2026-12-07 (by hand)\n\n| process | idle RSS (MB) |\n| --- | --- |\n| auth | 101 |',
    );
    const memory = doc.indexOf('## Idle memory');
    const block = doc.indexOf('<!-- bench:memory:begin');
    expect(block).toBeGreaterThan(memory);
    expect(block).toBeLessThan(doc.indexOf('How the memory bench works.'));
    expect(doc.indexOf('<!-- bench:gateway:begin')).toBeGreaterThan(doc.indexOf('## Gateway'));
    expect(doc.indexOf('<!-- bench:summary:begin')).toBeLessThan(doc.indexOf('## Gateway'));
  });

  it('draws a chart only for benches with a run, from the latest run', () => {
    expect(Object.keys(charts)).toEqual(['memory']);
    expect(charts.memory).toContain('data-value="150"');
    expect(charts.memory).not.toContain('data-value="197"');
    expect(charts.memory).toContain('Run of 2026-12-08 09:30 UTC, commit abc123def456');
  });

  it('is stable: rendering its own output again changes nothing', () => {
    expect(renderDoc(doc, { memory: [older, previous, latest] }).doc).toBe(doc);
  });

  it('replaces only what is between the markers when runs change', () => {
    const newer = memoryReport('2026-12-09T08:00:00.000Z', { auth: 95, checkoutWorker: 140 });
    const again = renderDoc(doc, { memory: [previous, latest, newer] }).doc;
    expect(again).toContain('latest: 2026-12-09 08:00 UTC');
    expect(again).not.toContain('previous: 2026-12-07');
    const outside = (d: string) =>
      d.replace(/<!-- bench:(\S+):begin[^]*?<!-- bench:\1:end -->/g, '');
    expect(outside(again)).toBe(outside(doc));
  });

  it('adds a section for a bench whose heading is missing', () => {
    const out = renderDoc('# Benchmarks\n', {}).doc;
    expect(out).toMatch(/## memory \(`bench\/memory`\)\n\n<!-- bench:memory:begin/);
  });
});

describe('replaceBlock', () => {
  it('keeps a "$" in the content as is', () => {
    const out = replaceBlock('a\n', 'x', 'costs $1 and $&');
    expect(out).toContain('costs $1 and $&');
    expect(replaceBlock(out, 'x', 'costs $2')).toContain('costs $2');
  });
});
