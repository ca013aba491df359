import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfraError, Log } from './infra/infra';
import { httpAnswers, tcpOpen } from './infra/probes';
import { isOurs, lastLines, launch } from './infra/processes';
import { REPO_ROOT } from './infra/settings';
import { APP_ENV, APP_NODE_FLAGS } from './node-flags';

/** The apps `npm start` runs, each as its own process, from its built output. */
export interface AppSpec {
  name: string;
  dir: string;
  port: number;
  urls: Record<string, string>;
  env?: Record<string, string>;
}

/**
 * Development-only client-credentials accounts; each app's config defaults to its own entry.
 * Production sets SERVICE_ACCOUNTS (auth) and SERVICE_CLIENT_SECRET (each caller) from secrets.
 */
const DEV_SERVICE_ACCOUNTS =
  'activities:dev-activities-secret,payments:dev-payments-secret,workers:dev-workers-secret,' +
  'notifications:dev-notifications-secret,products:dev-products-secret';

export const APPS: AppSpec[] = [
  {
    name: 'auth',
    dir: 'services/auth',
    port: 3001,
    urls: { 'Auth service': 'http://127.0.0.1:3001/docs' },
    // Development only: the first SUPER_ADMIN, so admin routes can be tried right away.
    env: {
      SUPER_ADMIN_EMAIL: 'admin@example.test',
      SUPER_ADMIN_PASSWORD: 'dev-admin-password',
      // The machine accounts of the other processes (their defaults use these secrets).
      SERVICE_ACCOUNTS: DEV_SERVICE_ACCOUNTS,
    },
  },
  {
    name: 'products',
    dir: 'services/products',
    port: 3002,
    urls: { 'Products service': 'http://127.0.0.1:3002/docs' },
    // Loads the default catalog (1,000+ products) into an empty database.
    env: { SEED_CATALOG: 'true' },
  },
  {
    name: 'orders',
    dir: 'services/orders',
    port: 3003,
    urls: { 'Orders service': 'http://127.0.0.1:3003/docs' },
  },
  {
    name: 'payments',
    dir: 'services/payments',
    port: 3004,
    urls: { 'Payments service': 'http://127.0.0.1:3004/docs' },
  },
  {
    name: 'notifications',
    dir: 'services/notifications',
    port: 3005,
    urls: { 'Notifications service': 'http://127.0.0.1:3005/docs' },
  },
  {
    name: 'workers',
    dir: 'services/workers',
    port: 3006,
    urls: { 'Workers (BullMQ) health': 'http://127.0.0.1:3006/health' },
  },
  {
    // The analytics API; its processor runs inside the workers process in development.
    name: 'analytics',
    dir: 'services/analytics',
    port: 3008,
    urls: { 'Analytics service': 'http://127.0.0.1:3008/docs' },
  },
  {
    // Development runs every worker role in one process; production runs one role per process.
    name: 'temporal-worker',
    dir: 'temporal',
    port: 3007,
    urls: { 'Temporal worker health': 'http://127.0.0.1:3007/health' },
    env: { WORKER_ROLES: 'all' },
  },
  {
    name: 'gateway',
    dir: 'gateway',
    port: 3000,
    // Development only: /metrics is never public, the scraper presents this token.
    env: { METRICS_TOKEN: 'dev-metrics-token' },
    urls: {
      API: 'http://127.0.0.1:3000/api',
      'OpenAPI docs': 'http://127.0.0.1:3000/docs',
      Health: 'http://127.0.0.1:3000/health',
    },
  },
];

export async function startApps(
  log: Log,
): Promise<{ started: string[]; urls: Record<string, string> }> {
  const started: string[] = [];
  const urls: Record<string, string> = {};
  for (const app of APPS) {
    Object.assign(urls, app.urls);
    const live = `http://127.0.0.1:${app.port}/health/live`;
    if (await httpAnswers(live)) {
      log(`${app.name}: already running on :${app.port}, reusing it`);
      continue;
    }
    if (await tcpOpen('127.0.0.1', app.port)) {
      throw new InfraError(
        `port ${app.port} is taken by another program, so ${app.name} cannot start: stop that program and start again`,
      );
    }
    const main = join(REPO_ROOT, app.dir, 'dist', 'main.js');
    if (!existsSync(main))
      throw new InfraError(`${app.name} is not built (${main} missing): run npm run build`);
    const proc = launch(
      app.name,
      process.execPath,
      [...APP_NODE_FLAGS, main],
      {
        ...APP_ENV,
        ...process.env,
        NODE_ENV: process.env.NODE_ENV ?? 'development',
        PORT: String(app.port),
        ...app.env,
      },
      REPO_ROOT,
    );
    const deadline = Date.now() + 30_000;
    while (!(await httpAnswers(live))) {
      if (!isOurs(proc) || Date.now() > deadline) {
        throw new InfraError(
          `${app.name} did not start; last lines of ${proc.log}:\n${lastLines(proc.log)}`,
        );
      }
      await sleep(200);
    }
    log(`${app.name}: ready on :${app.port} (pid ${proc.pid}, log ${proc.log})`);
    started.push(app.name);
  }
  return { started, urls };
}
