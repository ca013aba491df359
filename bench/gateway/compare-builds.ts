/**
 * CPU time per request of gateway builds side by side, in front of one auth service, for judging
 * a change on a machine shared with other work (where req/s alone varies by a fifth or more):
 *
 *   cp -r gateway/dist /tmp/gateway-before            # the build to compare against
 *   npx tsx bench/gateway/compare-builds.ts --build before=/tmp/gateway-before/main.js \
 *     --build after=gateway/dist/main.js [--requests 10000 --warmup 5000 --rounds 2]
 *
 * Each round measures every route direct and through each build (the builds' order alternates
 * between rounds), a fixed number of requests each, and reads the user + system CPU time of the
 * gateway, the auth service and redis-server from /proc around every measure. A build outside the
 * repository needs the repository's node_modules: give a path inside it (e.g. gateway/.before/).
 */
import { AppProcess, freePort } from '@commerce/e2e';
import { ChildApp, createScratchDatabase, testEndpoints } from '@commerce/testing';
import autocannon from 'autocannon';
import { generateKeyPairSync } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { processCpuMs } from '../proc-cpu';

const { values: args } = parseArgs({
  options: {
    build: { type: 'string', multiple: true, default: ['current=gateway/dist/main.js'] },
    requests: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
  },
});
const requests = Number(args.requests);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const REPO_ROOT = resolve(__dirname, '..', '..');
async function main(): Promise<void> {
  const redis = new Redis(testEndpoints.redisUrl);
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  // Commands Redis ran (everyone's: other work on the same Redis counts too).
  const redisCommands = async () =>
    Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
  const db = await createScratchDatabase('bench_auth_cpu');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const auth = new AppProcess('auth', 'services/auth', await freePort(), {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    REDIS_URL: testEndpoints.redisUrl,
    AUTH_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const builds = (args.build ?? []).map((spec) => {
    const [name, main] = spec.split('=') as [string, string];
    return { name, main: relative(resolve(REPO_ROOT, 'gateway'), resolve(main)) };
  });
  const gateways: { name: string; app: ChildApp }[] = [];
  try {
    await auth.start();
    for (const build of builds) {
      const port = await freePort();
      const app = await ChildApp.start({
        name: `gateway-${build.name}`,
        dir: 'gateway',
        main: build.main,
        port,
        env: {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          REDIS_URL: testEndpoints.redisUrl,
          AUTH_URL: auth.url,
          UPSTREAMS: 'auth',
          RATE_LIMIT_DEFAULT_LIMIT: String(100_000_000),
          RATE_LIMIT_ADDRESS_LIMIT: String(100_000_000),
          RATE_LIMIT_PREFIX: `bench-cpu:${build.name}:${Date.now()}:`,
        },
      });
      gateways.push({ name: build.name, app });
    }
    const email = `bench-cpu-${Date.now()}@example.test`;
    const password = 'correct horse battery staple';
    const post = (path: string, body: unknown) =>
      fetch(`${gateways[0]!.app.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/auth/register', { email, password, name: 'Bench' });
    const { accessToken } = (await (await post('/auth/login', { email, password })).json()) as {
      accessToken: string;
    };
    const routes = [
      { name: 'public JWKS', path: '/auth/.well-known/jwks.json', headers: {} },
      {
        name: 'GET /auth/me',
        path: '/auth/me',
        headers: { authorization: `Bearer ${accessToken}` },
      },
    ];
    const authPid = auth.pid!;
    console.log(
      `${requests} requests per measure after ${warmup} of warm-up, ${connections} connections`,
    );
    console.log(
      '| round | route | target | req/s | p50 ms | gateway CPU ms/req | auth CPU ms/req | redis CPU ms/req | redis commands/req |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (let round = 1; round <= Number(args.rounds); round += 1) {
      const order = round % 2 === 1 ? gateways : [...gateways].reverse();
      for (const route of routes) {
        const targets = [
          { name: 'direct', url: `${auth.url}${route.path}`, pid: undefined as number | undefined },
          ...order.map((g) => ({
            name: g.name,
            url: `${g.app.url}/api${route.path}`,
            pid: g.app.pid,
          })),
        ];
        for (const target of targets) {
          const run = (amount: number) =>
            autocannon({ url: target.url, connections, amount, headers: route.headers });
          await run(warmup);
          const pids = [target.pid, authPid, redisPid];
          const commandsBefore = await redisCommands();
          const before = pids.map((pid) => (pid ? processCpuMs(pid) : 0));
          const result = await run(requests);
          const per = pids.map((pid, i) =>
            pid ? ((processCpuMs(pid) - before[i]!) / result.requests.total).toFixed(3) : '-',
          );
          const commands = (await redisCommands()) - commandsBefore - 1;
          per.push((commands / result.requests.total).toFixed(2));
          const bad = Object.entries(result.statusCodeStats ?? {})
            .filter(([status]) => !status.startsWith('2'))
            .map(([status, { count }]) => `${count} x ${status}`);
          if (result.errors > 0) bad.push(`${result.errors} errors (${result.timeouts} timeouts)`);
          console.log(
            `| ${round} | ${route.name} | ${target.name} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${per.join(' | ')} |${bad.length ? ` ${bad.join(', ')}` : ''}`,
          );
        }
      }
    }
  } finally {
    for (const g of gateways) await g.app.stop().catch(() => undefined);
    await auth.stop().catch(() => undefined);
    await db.drop();
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
