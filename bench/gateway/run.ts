/**
 * Gateway overhead: a small JSON GET through the gateway versus straight to the service, and
 * versus nginx as a reverse proxy when nginx is installed, all in one run on this machine.
 *
 *   npm run bench:gateway [-- --connections 50 --duration 10] [--cpu-prof <dir>]
 *
 * Two routes of the real auth service: the public JWKS document (proxy cost only) and the
 * authenticated `/auth/me` (edge token check + the service's own check + a database read).
 * Rate limits stay on, set high enough for the load (never switched off).
 */
import { AppProcess, freePort } from '@commerce/e2e';
import { createScratchDatabase, testEndpoints } from '@commerce/testing';
import { components, startInfra, stopRegistered } from '@commerce/tools';
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { round, writeReport, type ChartGroup, type Figure, type ReportInput } from '../report';
import { TARGETS } from '../targets';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    // Writes the gateway's V8 CPU profile into this folder when it stops (cpu-profile-preload.js);
    // summarise it with bench/gateway/profile-summary.ts.
    'cpu-prof': { type: 'string' },
    json: { type: 'string' }, // writes the run's report (bench/report.ts) for npm run bench
  },
});
const connections = Number(args.connections);
const duration = Number(args.duration);
const warmup = Number(args.warmup);

interface Measured {
  target: string;
  route: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  return autocannon({ url, connections, duration: seconds, headers, pipelining: 1 });
}

async function measure(
  target: string,
  route: string,
  url: string,
  headers: Record<string, string>,
): Promise<Measured> {
  await load(url, headers, warmup);
  const r = await load(url, headers, duration);
  return {
    target,
    route,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

function nginxAvailable(): boolean {
  return spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
}

async function startNginx(port: number, upstreamPort: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream auth { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /api/ {
      proxy_pass http://auth/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      await sleep(100);
    }
  }
  return {
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((done) => child.once('exit', done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  // The auth service needs PostgreSQL, both apps Redis; nothing else of the stack takes part.
  const infra = await startInfra({
    components: components().filter((c) => c.name === 'postgres' || c.name === 'redis'),
  });
  const db = await createScratchDatabase('bench_auth');
  // Production mode, as deployed: the signing key comes from the environment.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const auth = new AppProcess('auth', 'services/auth', await freePort(), {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: testEndpoints.redisUrl,
    AUTH_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const gateway = new AppProcess('gateway', 'gateway', await freePort(), {
    NODE_ENV: 'production',
    REDIS_URL: testEndpoints.redisUrl,
    AUTH_URL: auth.url,
    UPSTREAMS: 'auth',
    RATE_LIMIT_DEFAULT_LIMIT: String(100_000_000),
    RATE_LIMIT_ADDRESS_LIMIT: String(100_000_000),
    RATE_LIMIT_PREFIX: `bench:${Date.now()}:`,
    ...(args['cpu-prof']
      ? {
          NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`,
          CPU_PROFILE_DIR: resolve(args['cpu-prof']),
        }
      : {}),
  });
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await auth.start();
    cleanups.push(() => auth.stop());
    await gateway.start();
    cleanups.push(() => gateway.stop());

    // A customer and their token for the authenticated route.
    const email = `bench-${Date.now()}@example.test`;
    const password = 'correct horse battery staple';
    const post = (path: string, body: unknown) =>
      fetch(`${gateway.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const reg = await post('/auth/register', { email, password, name: 'Bench' });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
    const login = await post('/auth/login', { email, password });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const bearer = { authorization: `Bearer ${accessToken}` };

    const routes = [
      {
        route: 'GET /auth/.well-known/jwks.json (public)',
        path: '/auth/.well-known/jwks.json',
        headers: {},
      },
      { route: 'GET /auth/me (authenticated)', path: '/auth/me', headers: bearer },
    ];
    const results: Measured[] = [];
    let nginx: { stop(): Promise<void> } | undefined;
    let nginxPort = 0;
    if (nginxAvailable()) {
      nginxPort = await freePort();
      nginx = await startNginx(nginxPort, auth.port);
      cleanups.push(() => nginx!.stop());
    }
    for (const r of routes) {
      results.push(await measure('direct', r.route, `${auth.url}${r.path}`, r.headers));
      results.push(await measure('gateway', r.route, `${gateway.url}/api${r.path}`, r.headers));
      if (nginx)
        results.push(
          await measure('nginx', r.route, `http://127.0.0.1:${nginxPort}/api${r.path}`, r.headers),
        );
    }
    report(results, Boolean(nginx));
    writeReport(args.json, jsonReport(results));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await db.drop();
    await stopRegistered(infra.started);
  }
}

function report(results: Measured[], withNginx: boolean) {
  console.log(
    `\ngateway benchmark: ${connections} connections, ${duration}s per run (after ${warmup}s warm-up), ${new Date().toISOString()}`,
  );
  console.log(
    '| route | target | req/s | p50 ms | p99 ms | vs direct req/s | added p50 ms | errors | non-2xx |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const base = results.find((b) => b.route === r.route && b.target === 'direct')!;
    console.log(
      `| ${r.route} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.rps / base.rps).toFixed(2)} | ${(r.p50 - base.p50).toFixed(1)} | ${r.errors} | ${r.non2xx} |`,
    );
  }
  if (!withNginx)
    console.log('(nginx not installed: apt-get install nginx-light to add the nginx comparison)');
}

/** The figures for `--json`: per route and target, ratios against direct, the targets. */
function jsonReport(results: Measured[]): ReportInput {
  const routeKey = (route: string) => (route.includes('(public)') ? 'public' : 'me');
  const target = (figure: string) => TARGETS.gateway.find((t) => t.figure === figure)?.value;
  const figures: Record<string, Figure> = {};
  const rps: ChartGroup[] = [];
  const p50: ChartGroup[] = [];
  for (const route of [...new Set(results.map((r) => r.route))]) {
    const key = routeKey(route);
    const rows = results.filter((r) => r.route === route);
    const base = rows.find((r) => r.target === 'direct')!;
    for (const r of rows) {
      const k = `${key}.${r.target}`;
      figures[`${k}.rps`] = {
        label: `${route}: ${r.target} req/s`,
        unit: 'req/s',
        value: round(r.rps, 0),
      };
      figures[`${k}.p50`] = { label: `${route}: ${r.target} p50`, unit: 'ms', value: r.p50 };
      figures[`${k}.p99`] = { label: `${route}: ${r.target} p99`, unit: 'ms', value: r.p99 };
      if (r.target === 'direct') continue;
      figures[`${k}.ratio`] = {
        label: `${route}: ${r.target} req/s / direct`,
        unit: 'x',
        value: round(r.rps / base.rps),
      };
      figures[`${k}.addedP50`] = {
        label: `${route}: p50 added by ${r.target}`,
        unit: 'ms',
        value: round(r.p50 - base.p50, 1),
      };
    }
    const series = (r: Measured) => (r.target === 'direct' ? 'direct (baseline)' : r.target);
    const ratioTarget = target(`${key}.gateway.ratio`);
    const addedTarget = target(`${key}.gateway.addedP50`);
    rps.push({
      label: route,
      bars: rows.map((r) => ({ series: series(r), value: round(r.rps, 0) })),
      ...(ratioTarget === undefined ? {} : { target: Math.round(ratioTarget * base.rps) }),
    });
    p50.push({
      label: route,
      bars: rows.map((r) => ({ series: series(r), value: r.p50 })),
      ...(addedTarget === undefined ? {} : { target: base.p50 + addedTarget }),
    });
  }
  return {
    bench: 'gateway',
    title: 'Gateway overhead',
    options: { connections, duration, warmup },
    figures,
    tables: [
      {
        columns: [
          'route',
          'target',
          'req/s',
          'p50 ms',
          'p99 ms',
          'vs direct req/s',
          'added p50 ms',
          'errors',
          'non-2xx',
        ],
        rows: results.map((r) => {
          const base = results.find((b) => b.route === r.route && b.target === 'direct')!;
          return [
            r.route,
            r.target,
            round(r.rps, 0),
            r.p50,
            r.p99,
            round(r.rps / base.rps),
            round(r.p50 - base.p50, 1),
            r.errors,
            r.non2xx,
          ];
        }),
      },
    ],
    chart: {
      title: `Gateway overhead: each route direct, through the gateway${results.some((r) => r.target === 'nginx') ? ' and through nginx' : ''}`,
      panels: [
        { title: 'Throughput, higher is better', unit: 'req/s', targetOp: '>=', groups: rps },
        { title: 'Latency p50, lower is better', unit: 'ms', targetOp: '<=', groups: p50 },
      ],
    },
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
