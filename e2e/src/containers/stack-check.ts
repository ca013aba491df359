/**
 * The container test's checks, run by deploy/test-containers.sh against a docker-compose stack it
 * brought up (COMPOSE_PROJECT, COMPOSE_ENV_FILE): health, an order to COMPLETED through the
 * containerised gateway, payments-worker scaled to 3 (three pollers on its task queue), the one
 * running a charge killed (SIGKILL) with every order still completing, and every Grafana panel's PromQL
 * answering with data from the running Prometheus. Prints `N passed, N failed`.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { checkoutWorkflowId } from '@commerce/contracts';
import { apiClient, type Tokens } from '../auth-stack';
import {
  checkout,
  registerShopper,
  stockedProduct,
  waitForOrder,
  type Call,
  type Shopper,
} from '../shopper';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..');
const project = required('COMPOSE_PROJECT');
const envFile = required('COMPOSE_ENV_FILE');
const env = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const api = `http://127.0.0.1:${env.GATEWAY_PORT}/api`;
const prometheus = `http://127.0.0.1:${env.PROMETHEUS_PORT}`;
const t0 = Date.now();

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run deploy/test-containers.sh)`);
  return value;
}

function log(message: string): void {
  console.log(`[stack-check +${Math.round((Date.now() - t0) / 1000)}s] ${message}`);
}

async function compose(...args: string[]): Promise<string> {
  const { stdout } = await run(
    'docker-compose',
    ['-p', project, '-f', 'docker-compose.yml', '--env-file', envFile, ...args],
    { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last ? ` (${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`,
      );
    }
    await sleep(1000);
  }
}

/** Health of each container of the services (Docker's HEALTHCHECK of the app images). */
async function containerHealth(): Promise<Record<string, string>> {
  const ids = (await compose('ps', '-q')).split('\n').filter(Boolean);
  const { stdout } = await run('docker', [
    'inspect',
    '-f',
    '{{index .Config.Labels "com.docker.compose.service"}}#{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}:{{.State.ExitCode}}{{end}}',
    ...ids,
  ]);
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
}

async function allHealthy(): Promise<void> {
  let waitingFor = '';
  const health = await until('every container healthy', 600_000, async () => {
    const states = await containerHealth();
    // Apps have a HEALTHCHECK; infrastructure runs; the one-shot temporal-setup exits 0.
    const ok = ['healthy', 'running:0', 'exited:0'];
    const waiting = Object.entries(states).filter(([, state]) => !ok.includes(state));
    waitingFor = waiting.map(([name, state]) => `${name}=${state}`).join(', ');
    return waiting.length === 0 ? states : undefined;
  }).catch((error: unknown) => {
    throw new Error(`${String(error)}; still waiting for ${waitingFor}`);
  });
  log(`${Object.keys(health).length} containers healthy or running`);
  await until('gateway ready', 120_000, async () => {
    const res = await fetch(`${api.replace(/\/api$/, '')}/health`);
    return res.ok ? true : undefined;
  });
}

/** The admin tools' `temporal` CLI (in its container) with JSON output. */
function temporalCli(...args: string[]): Promise<string> {
  return compose('exec', '-T', 'temporal-admin-tools', 'temporal', ...args, '--output', 'json');
}

/** Distinct pollers of the activity side of a task queue, from the admin tools' CLI. */
async function activityPollers(taskQueue: string): Promise<string[]> {
  const out = await temporalCli(
    'task-queue',
    'describe',
    '--task-queue',
    taskQueue,
    '--task-queue-type',
    'activity',
  );
  const identities = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.identity === 'string') identities.add(record.identity);
      Object.values(record).forEach(walk);
    }
  };
  walk(JSON.parse(out));
  return [...identities];
}

/** The last start of an activity in the checkout's history: its attempt and worker host. */
async function lastAttempt(
  orderId: string,
  activity: string,
): Promise<{ attempt: number; host: string } | undefined> {
  const out = await temporalCli('workflow', 'show', '--workflow-id', checkoutWorkflowId(orderId));
  interface HistoryEvent {
    eventId: string;
    activityTaskScheduledEventAttributes?: { activityType: { name: string } };
    activityTaskStartedEventAttributes?: {
      scheduledEventId: string;
      identity: string;
      attempt: number;
    };
  }
  const { events } = JSON.parse(out) as { events: HistoryEvent[] };
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType.name === activity)
      .map((e) => e.eventId),
  );
  const started = events
    .map((e) => e.activityTaskStartedEventAttributes)
    .filter((a) => a !== undefined && scheduled.has(a.scheduledEventId))
    .at(-1);
  return started && { attempt: started.attempt, host: started.identity.split('@')[1] ?? '' };
}

/** The payments activity of the checkout that a worker is running now, and that worker's host. */
async function paymentRunningOn(
  orderId: string,
): Promise<{ host: string; activity: string } | undefined> {
  const out = await temporalCli(
    'workflow',
    'describe',
    '--workflow-id',
    checkoutWorkflowId(orderId),
  );
  const described = JSON.parse(out) as {
    pendingActivities?: {
      activityType?: { name?: string };
      state?: string;
      lastWorkerIdentity?: string;
    }[];
  };
  const running = described.pendingActivities?.find(
    (a) => a.state === 'PENDING_ACTIVITY_STATE_STARTED' && a.lastWorkerIdentity,
  );
  // The SDK's default identity is <pid>@<hostname>; a container's hostname is its short id.
  const host = running?.lastWorkerIdentity?.split('@')[1];
  const activity = running?.activityType?.name;
  return host && activity ? { host, activity } : undefined;
}

/**
 * Slows every call of the payments service's test provider (PUT .../test-provider/outage), from
 * inside a payments worker: it holds the activities' service credentials and reaches the service.
 */
async function providerDelay(containerId: string, delayMs: number): Promise<void> {
  const script = `
    const env = process.env;
    const token = await fetch(env.AUTH_URL + '/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: env.SERVICE_CLIENT_ID, clientSecret: env.SERVICE_CLIENT_SECRET }),
    }).then((r) => r.json());
    const res = await fetch(env.PAYMENTS_URL + '/internal/payments/test-provider/outage', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token.accessToken },
      body: JSON.stringify({ delayMs: Number(process.argv[1]) }),
    });
    if (!res.ok) { console.error('outage: ' + res.status); process.exit(1); }`;
  await run('docker', [
    'exec',
    containerId,
    'node',
    '--input-type=module',
    '-e',
    script,
    String(delayMs),
  ]);
}

async function fillCart(call: Call, shopper: Shopper, productId: string): Promise<void> {
  const res = await call('POST', '/cart/items', {
    token: shopper.token,
    body: { productId, quantity: 1 },
  });
  if (res.status !== 201) throw new Error(`add to cart: ${res.status}`);
}

async function placeOrder(
  call: Call,
  productId: string,
  paymentMethodId = 'pm_card_visa',
): Promise<{ shopper: Shopper; orderId: string }> {
  const shopper = await registerShopper(call);
  await fillCart(call, shopper, productId);
  const res = await checkout(call, shopper, randomUUID(), paymentMethodId);
  if (res.status !== 201 && res.status !== 202) {
    throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { shopper, orderId: res.body.orderId };
}

async function promQuery(expr: string): Promise<number> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
  return body.data?.result.length ?? 0;
}

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

async function main(): Promise<void> {
  const results: { name: string; ok: boolean; detail: string }[] = [];
  const check = async (name: string, body: () => Promise<string>) => {
    try {
      const detail = await body();
      results.push({ name, ok: true, detail });
      log(`PASS ${name}: ${detail}`);
    } catch (error) {
      results.push({ name, ok: false, detail: String(error) });
      log(`FAIL ${name}: ${String(error)}`);
    }
  };

  await check('every container healthy', async () => {
    await allHealthy();
    return 'HEALTHCHECKs and the gateway readiness answer';
  });
  await check('the gateway serves the operator console', async () => {
    // The gateway image carries admin/dist (deploy/Dockerfile); without it /admin is a 404.
    const res = await fetch(`${api.replace(/\/api$/, '')}/admin/`);
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GET /admin/ answered ${res.status}`);
    if (!/text\/html/.test(res.headers.get('content-type') ?? '')) {
      throw new Error(`GET /admin/ is ${res.headers.get('content-type')}, not HTML`);
    }
    if (!html.includes('<div id="root"></div>')) throw new Error('GET /admin/ is not the console');
    return 'GET /admin/ answers 200 with the console shell';
  });
  const call = apiClient(api);
  const admin = await until('admin login', 60_000, async () => {
    const res = await call<Tokens>('POST', '/auth/login', {
      body: { email: env.SUPER_ADMIN_EMAIL, password: env.SUPER_ADMIN_PASSWORD },
    });
    return res.status === 200 ? res.body.accessToken : undefined;
  });
  const product = await stockedProduct(call, admin, { price: 2500, onHand: 1000 });

  await check('an order through the containerised gateway completes', async () => {
    const { shopper, orderId } = await placeOrder(call, product.id);
    const order = await waitForOrder(call, shopper.token, orderId, undefined, 180_000);
    if (order.status !== 'COMPLETED') throw new Error(`order is ${order.status}`);
    return `order ${orderId} COMPLETED`;
  });

  await check('payments-worker scaled to 3 shows three pollers', async () => {
    await compose(
      'up',
      '-d',
      '--no-build',
      '--no-recreate',
      '--scale',
      'payments-worker=3',
      'payments-worker',
    );
    const ids = (await compose('ps', '-q', 'payments-worker')).split('\n').filter(Boolean);
    // Pollers are <pid>@<hostname>; a container's hostname is its short id. The server also
    // remembers pollers that left a few minutes ago, so only the running containers count.
    const pollers = await until('a poller from each of the three replicas', 180_000, async () => {
      const found = (await activityPollers('payments')).filter((identity) =>
        ids.some((id) => id.startsWith(identity.split('@')[1] ?? '-')),
      );
      return found.length >= 3 ? found : undefined;
    });
    return `temporal task-queue describe --task-queue payments: ${ids.length} containers, pollers ${pollers.join(', ')}`;
  });

  await check(
    'the payments worker running a payment call is killed, every order completes',
    async () => {
      const ids = (await compose('ps', '-q', 'payments-worker')).split('\n').filter(Boolean);
      if (ids.length !== 3)
        throw new Error(`expected 3 payments-worker containers, found ${ids.length}`);
      // Every provider call takes 8 s: the payment call found running is surely still running when its
      // worker dies (finding it takes a few `temporal workflow describe` calls).
      await providerDelay(ids[0]!, 8000);
      const orders = await Promise.all(
        Array.from({ length: 12 }, () => placeOrder(call, product.id)),
      );
      const victim = await until(
        'a payment call running on a payments worker',
        60_000,
        async () => {
          for (const { orderId } of orders) {
            const running = await paymentRunningOn(orderId);
            const id = running && ids.find((i) => i.startsWith(running.host));
            if (id) return { id, orderId, activity: running.activity };
          }
          return undefined;
        },
      );
      await run('docker', ['kill', '--signal', 'KILL', victim.id]);
      log(
        `killed payments-worker ${victim.id.slice(0, 12)} (SIGKILL) while it ran ${victim.activity} of order ` +
          `${victim.orderId}, ${orders.length} orders in flight`,
      );
      const survivor = ids.find((i) => i !== victim.id)!;
      const settled = await Promise.all(
        orders.map(({ shopper, orderId }) =>
          waitForOrder(call, shopper.token, orderId, undefined, 240_000),
        ),
      );
      await providerDelay(survivor, 0);
      const notCompleted = settled.filter((o) => o.status !== 'COMPLETED');
      if (notCompleted.length > 0) {
        throw new Error(
          `not completed: ${notCompleted.map((o) => `${o.id}=${o.status}`).join(', ')}`,
        );
      }
      const retry = await lastAttempt(victim.orderId, victim.activity);
      if (!retry || retry.attempt < 2 || victim.id.startsWith(retry.host)) {
        throw new Error(
          `the killed ${victim.activity} was not retried elsewhere: ${JSON.stringify(retry)}`,
        );
      }
      return (
        `${settled.length}/${orders.length} orders COMPLETED; the killed ${victim.activity} ran again ` +
        `(attempt ${retry.attempt}) on ${retry.host}`
      );
    },
  );

  // After the kill: the failure is then counted by a worker that is still scraped.
  await check('a declined card fails the order', async () => {
    const { shopper, orderId } = await placeOrder(call, product.id, 'pm_card_chargeDeclined');
    const order = await waitForOrder(call, shopper.token, orderId, undefined, 180_000);
    if (order.status !== 'FAILED') throw new Error(`order is ${order.status}`);
    return `order ${orderId} FAILED (${order.failureReason ?? 'no reason'})`;
  });

  await check("every Grafana panel's PromQL returns data", async () => {
    const dashboard = JSON.parse(
      readFileSync(join(REPO, 'deploy/grafana/dashboards/commerce-checkout.json'), 'utf8'),
    ) as Dashboard;
    const exprs = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ panel: p.title, expr: t.expr })),
    );
    let missing: string[] = [];
    const empty = await until('data for every panel', 120_000, async () => {
      missing = [];
      for (const { panel, expr } of exprs) if ((await promQuery(expr)) === 0) missing.push(panel);
      return missing.length === 0 ? [] : undefined;
    }).catch(() => missing.map((panel) => `no data for "${panel}"`));
    if (empty.length > 0) throw new Error(empty.join('; '));
    return `${exprs.length} queries of ${dashboard.panels.length} panels return series`;
  });

  await check('a payments worker stops gracefully on SIGTERM within its grace period', async () => {
    const { stdout: running } = await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      'label=com.docker.compose.service=payments-worker',
    ]);
    const [id] = running.split('\n').filter(Boolean);
    if (!id) throw new Error('no payments-worker container left');
    const started = Date.now();
    // docker stop: SIGTERM (the image's STOPSIGNAL), SIGKILL only after the 75 s grace period.
    await run('docker', ['stop', '--time', '75', id]);
    const seconds = (Date.now() - started) / 1000;
    const { stdout } = await run('docker', ['inspect', '-f', '{{.State.ExitCode}}', id]);
    if (stdout.trim() !== '0' || seconds >= 75) {
      throw new Error(`exit code ${stdout.trim()} after ${seconds.toFixed(1)} s`);
    }
    return `exit code 0 after ${seconds.toFixed(1)} s`;
  });

  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
