import type { BenchReport } from '../report';
import { TARGETS } from '../targets';

/** A memory report as bench/memory/run.ts writes it, with chosen numbers. */
export function memoryReport(date: string, rss: Record<string, number>): BenchReport {
  const apps = Object.entries(rss);
  return {
    schema: 1,
    bench: 'memory',
    title: 'Idle memory',
    environment: {
      date,
      loadBefore: [0.5, 0.4, 0.3],
      loadAfter: [1.25, 0.6, 0.35],
      cpus: 2,
      cpuModel: 'Test CPU',
      memoryGiB: 24,
      node: 'v20.19.0',
      platform: 'linux x64',
      commit: 'abc123def456',
      dirty: false,
    },
    options: { settle: 15 },
    figures: {
      'apps.maxRss': {
        label: 'largest idle RSS of an app process',
        unit: 'MB',
        value: Math.max(...apps.map(([, v]) => v)),
      },
      'baseline.rss': { label: 'bare Fastify idle RSS', unit: 'MB', value: 64 },
      ...Object.fromEntries(
        apps.map(([name, v]) => [
          `${name}.rss`,
          { label: `${name} idle RSS`, unit: 'MB', value: v },
        ]),
      ),
    },
    targets: TARGETS.memory,
    tables: [
      {
        columns: ['process', 'idle RSS (MB)'],
        rows: [['bare Fastify (baseline)', 64], ...apps.map(([name, v]) => [name, v])],
      },
    ],
    chart: {
      title: 'Resident memory',
      panels: [
        {
          title: 'Resident set size',
          unit: 'MB',
          target: 150,
          targetOp: '<=',
          groups: [
            { label: 'bare Fastify (baseline)', bars: [{ series: 'idle RSS', value: 64 }] },
            ...apps.map(([name, v]) => ({ label: name, bars: [{ series: 'idle RSS', value: v }] })),
          ],
        },
      ],
    },
  };
}
