/**
 * The speed issue's targets (issue 16), in one place: each bench's report records the targets of
 * its day, and docs/benchmarks.md marks every recorded figure met or not met against them.
 */
export const BENCHES = ['gateway', 'catalog', 'checkout', 'bulk-email', 'memory'] as const;
export type BenchName = (typeof BENCHES)[number];

export interface Target {
  /** Key of the figure in the report (`figures`). */
  figure: string;
  op: '>=' | '<=';
  value: number;
  unit: string;
  label: string;
  /** Options the target is stated for: a run with other values is shown but not judged. */
  at?: Record<string, number>;
}

export const TARGETS: Record<BenchName, Target[]> = {
  gateway: [
    {
      figure: 'public.gateway.ratio',
      op: '>=',
      value: 0.6,
      unit: 'x',
      label: 'public route: gateway req/s / direct',
    },
    {
      figure: 'public.gateway.addedP50',
      op: '<=',
      value: 3,
      unit: 'ms',
      label: 'public route: p50 added by the gateway',
    },
    {
      figure: 'me.gateway.ratio',
      op: '>=',
      value: 0.85,
      unit: 'x',
      label: 'authenticated route: gateway req/s / direct',
    },
  ],
  catalog: [
    {
      figure: 'service.p95',
      op: '<=',
      value: 20,
      unit: 'ms',
      label: 'search p95 through the service',
      at: { products: 100_000, connections: 16 },
    },
  ],
  checkout: [
    {
      figure: 'ratio.rate',
      op: '>=',
      value: 0.6,
      unit: 'x',
      label: 'completed checkouts/s / bare workflow',
      at: { customers: 16 },
    },
    {
      figure: 'checkout.p95',
      op: '<=',
      value: 2000,
      unit: 'ms',
      label: 'checkout p95',
      at: { customers: 16 },
    },
  ],
  'bulk-email': [
    {
      figure: 'campaign.enqueueSeconds',
      op: '<=',
      value: 15,
      unit: 's',
      label: 'enqueue 100,000 recipients',
      at: { recipients: 100_000 },
    },
    {
      figure: 'campaign.deliveryRate',
      op: '>=',
      value: 500,
      unit: 'emails/s',
      label: 'delivery from the first send',
      at: { recipients: 100_000 },
    },
  ],
  memory: [
    {
      figure: 'apps.maxRss',
      op: '<=',
      value: 150,
      unit: 'MB',
      label: 'largest idle RSS of an app process',
    },
  ],
};

/** The options of a run that differ from those the target is stated for (empty: it applies). */
export function offTarget(
  target: Target,
  options: Record<string, string | number | boolean>,
): string[] {
  return Object.entries(target.at ?? {})
    .filter(([name, value]) => options[name] !== value)
    .map(([name, value]) => `--${name} ${value}`);
}

/** Met, not met, or not measured (the figure is missing or was not a number). */
export function targetMet(target: Target, value: number | null | undefined): boolean | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return target.op === '>=' ? value >= target.value : value <= target.value;
}
