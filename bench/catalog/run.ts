/**
 * Catalog search over 100,000 products: `GET /products?q=...` on the products service at 16
 * connections, next to the service's own search code run straight against PostgreSQL over `pg`
 * (16 clients, same queries, same duration) in the same run on this machine.
 *
 *   npx tsx bench/catalog/run.ts [--connections 16] [--duration 10] [--warmup 3] [--products 100000]
 *
 * Needs the products service built (`npx nx run-many -t build -p @commerce/products`). The catalog
 * is loaded with the service's own seed command (multi-row upserts) into a scratch database.
 */
import { randomUUID } from 'node:crypto';
import { AppProcess, freePort } from '@commerce/e2e';
import { createScratchDatabase, testEndpoints } from '@commerce/testing';
import { components, startInfra, stopRegistered } from '@commerce/tools';
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { round, writeReport, type Figure, type ReportInput } from '../report';
import { TARGETS } from '../targets';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    products: { type: 'string', default: '100000' },
    json: { type: 'string' }, // writes the run's report (bench/report.ts) for npm run bench
  },
});
const connections = Number(args.connections);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const productCount = Number(args.products);

/** Varied searches: single and multi-word, common and rare, and typos corrected against the dictionary. */
const QUERIES = [
  'headphones',
  'wireless speaker',
  'coffee grinder',
  'laptop',
  'ultralight tent',
  'bamboo desk lamp',
  'kestrel smartwatch',
  'hedphones',
  'blendr',
  'cotnoso kettle',
  'bakcpack',
];
const LIMIT = 20;

/**
 * The direct path runs the service's own search code (`CatalogSearch`, built into
 * services/products/dist) over a bare `pg` client: the same statements in the same order, minus
 * HTTP, Nest, validation and the pool. Loaded from the build at run time because a benchmark may
 * not import an app package (module boundaries); the interface below is the part used here.
 */
interface CatalogSearchLike {
  search(search: { q: string; page: number; limit: number }): Promise<{
    items: { id: string }[];
    total: number;
    totalIsEstimate: boolean;
    correctedQuery?: string;
  }>;
}
type CatalogSearchClass = new (
  db: { rows<T>(sql: string, values: unknown[]): Promise<T[]> },
  options: { exactTotalUpTo: number },
) => CatalogSearchLike;

/** The service's default SEARCH_EXACT_TOTAL_UP_TO; the service runs with it here. */
const EXACT_TOTAL_UP_TO = 200;

function loadCatalogSearch(): CatalogSearchClass {
  const file = join(
    __dirname,
    '..',
    '..',
    'services',
    'products',
    'dist',
    'catalog',
    'catalog-search.js',
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see CatalogSearchLike
  return (require(file) as { CatalogSearch: CatalogSearchClass }).CatalogSearch;
}

function directSearcher(client: Client): CatalogSearchLike {
  const CatalogSearch = loadCatalogSearch();
  return new CatalogSearch(
    {
      rows: async <T>(sql: string, values: unknown[]) =>
        (await client.query(sql, values)).rows as T[],
    },
    { exactTotalUpTo: EXACT_TOTAL_UP_TO },
  );
}

async function directSearch(
  searcher: CatalogSearchLike,
  q: string,
): Promise<{ ids: string[]; total: number }> {
  const page = await searcher.search({ q, page: 1, limit: LIMIT });
  return { ids: page.items.map((i) => i.id), total: page.total };
}

interface Measured {
  target: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function summarise(target: string, latencies: number[], seconds: number, errors: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    target,
    requests: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors,
  };
}

/** autocannon with every connection cycling through the queries; latencies from each response. */
function loadService(baseUrl: string, seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        duration: seconds,
        pipelining: 1,
        requests: QUERIES.map((q) => ({
          method: 'GET',
          path: `/products?q=${encodeURIComponent(q)}&limit=${LIMIT}`,
        })),
      },
      (err: unknown, result) => {
        if (err) return reject(err instanceof Error ? err : new Error('autocannon failed'));
        errors += result.errors + result.timeouts;
        resolve(summarise('products service (HTTP)', latencies, seconds, errors));
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
      else errors++;
    });
  });
}

/** `connections` pg clients, each looping over the queries for `seconds`. */
async function loadDirect(databaseUrl: string, seconds: number): Promise<Measured> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        const searcher = directSearcher(client);
        for (let i = c; performance.now() < deadline; i++) {
          const q = QUERIES[i % QUERIES.length] as string;
          const started = performance.now();
          try {
            await directSearch(searcher, q);
            latencies.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return summarise('same SQL via pg (direct)', latencies, seconds, errors);
}

/** The service and the direct SQL must agree on every query, or the comparison means nothing. */
async function checkSameResults(serviceUrl: string, databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const searcher = directSearcher(client);
  try {
    for (const q of QUERIES) {
      const res = await fetch(`${serviceUrl}/products?q=${encodeURIComponent(q)}&limit=${LIMIT}`);
      const body = (await res.json()) as {
        items: { id: string }[];
        total: number;
        totalIsEstimate: boolean;
        correctedQuery?: string;
      };
      const direct = await directSearch(searcher, q);
      const same =
        res.status === 200 &&
        body.total === direct.total &&
        JSON.stringify(body.items.map((i) => i.id)) === JSON.stringify(direct.ids);
      if (!same) throw new Error(`service and direct SQL disagree on q=${q}`);
      const note = body.correctedQuery
        ? ` (corrected to ${JSON.stringify(body.correctedQuery)})`
        : '';
      const about = body.totalIsEstimate ? 'about ' : '';
      console.log(`  q=${JSON.stringify(q)}: ${about}${direct.total} matches${note}`);
    }
  } finally {
    await client.end();
  }
}

function seed(databaseUrl: string): void {
  const started = Date.now();
  const cli = join(__dirname, '..', '..', 'services', 'products', 'dist', 'seed', 'seed.cli.js');
  const result = spawnSync(process.execPath, [cli, '--count', String(productCount)], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`seeding failed (exit ${result.status}); is @commerce/products built?`);
  }
  console.log(`loaded ${productCount} products in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  // Only what the products service needs: a benchmark must not start (and later stop) Temporal
  // or the other servers under someone else's test run.
  const infra = await startInfra({
    components: components().filter((c) => c.name === 'postgres' || c.name === 'redis'),
  });
  const db = await createScratchDatabase('bench_products');
  const products = new AppProcess('products', 'services/products', await freePort(), {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: String(connections),
    REDIS_URL: testEndpoints.redisUrl,
    // Production refuses the development secret; no orders service runs here, and the sweeper
    // asks it nothing while no reservation has expired.
    SERVICE_CLIENT_SECRET: `bench-${randomUUID()}`,
  });
  try {
    seed(db.url);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    // The whole database: the name index (product_name_terms) is read index-only, which needs
    // its visibility map set, as autovacuum would in a while.
    await admin.query('vacuum analyze');
    await admin.end();
    await products.start();
    console.log('checking that the service and the direct SQL return the same pages:');
    await checkSameResults(products.url, db.url);

    await loadService(products.url, warmup);
    const service = await loadService(products.url, duration);
    await loadDirect(db.url, warmup);
    const direct = await loadDirect(db.url, duration);
    report(service, direct);
    writeReport(args.json, jsonReport(service, direct));
  } finally {
    await products.stop().catch(() => undefined);
    await db.drop();
    await stopRegistered(infra.started);
  }
}

function report(service: Measured, direct: Measured): void {
  const ms = (v: number) => v.toFixed(2);
  console.log(
    `\ncatalog search benchmark: ${productCount} products, ${connections} connections, ` +
      `${duration}s per run (after ${warmup}s warm-up), ${QUERIES.length} rotating queries, ` +
      `${new Date().toISOString()}`,
  );
  console.log('| path | requests | req/s | p50 ms | p95 ms | p99 ms | errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of [service, direct]) {
    console.log(
      `| ${r.target} | ${r.requests} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors} |`,
    );
  }
  console.log(
    `| service / direct | | ${(service.rps / direct.rps).toFixed(2)}x | ${(service.p50 / direct.p50).toFixed(2)}x | ${(service.p95 / direct.p95).toFixed(2)}x | ${(service.p99 / direct.p99).toFixed(2)}x | |`,
  );
  console.log(
    `target p95 <= 20 ms through the service: ${service.p95 <= 20 ? 'met' : 'NOT met'} (${ms(service.p95)} ms)`,
  );
}

/** The figures for `--json`: both paths' rate and percentiles, the service's p95 target. */
function jsonReport(service: Measured, direct: Measured): ReportInput {
  const figures: Record<string, Figure> = {};
  const paths = [
    { key: 'service', series: 'service (HTTP)', m: service },
    { key: 'direct', series: 'same SQL via pg (baseline)', m: direct },
  ];
  for (const { key, m } of paths) {
    const name = key === 'service' ? 'service' : 'direct SQL';
    figures[`${key}.rps`] = { label: `${name} req/s`, unit: 'req/s', value: round(m.rps, 0) };
    for (const p of ['p50', 'p95', 'p99'] as const)
      figures[`${key}.${p}`] = { label: `${name} ${p}`, unit: 'ms', value: round(m[p]) };
    figures[`${key}.errors`] = { label: `${name} errors`, unit: '', value: m.errors };
  }
  figures['ratio.rps'] = {
    label: 'service req/s / direct',
    unit: 'x',
    value: round(service.rps / direct.rps),
  };
  const p95Target = TARGETS.catalog.find((t) => t.figure === 'service.p95')?.value;
  return {
    bench: 'catalog',
    title: 'Catalog search',
    options: { connections, duration, warmup, products: productCount },
    figures,
    tables: [
      {
        columns: ['path', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
        rows: [
          ...[service, direct].map((r) => [
            r.target,
            r.requests,
            round(r.rps, 0),
            round(r.p50),
            round(r.p95),
            round(r.p99),
            r.errors,
          ]),
          [
            'service / direct',
            '',
            `${(service.rps / direct.rps).toFixed(2)}x`,
            `${(service.p50 / direct.p50).toFixed(2)}x`,
            `${(service.p95 / direct.p95).toFixed(2)}x`,
            `${(service.p99 / direct.p99).toFixed(2)}x`,
            '',
          ],
        ],
      },
    ],
    chart: {
      title: `Catalog search over ${productCount.toLocaleString('en-US')} products, ${connections} connections`,
      panels: [
        {
          title: 'Latency, lower is better',
          unit: 'ms',
          targetOp: '<=',
          groups: (['p50', 'p95', 'p99'] as const).map((p) => ({
            label: p,
            bars: paths.map(({ series, m }) => ({ series, value: round(m[p]) })),
            ...(p === 'p95' && p95Target !== undefined ? { target: p95Target } : {}),
          })),
        },
        {
          title: 'Throughput, higher is better',
          unit: 'req/s',
          groups: [
            {
              label: 'searches per second',
              bars: paths.map(({ series, m }) => ({ series, value: round(m.rps, 0) })),
            },
          ],
        },
      ],
    },
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
