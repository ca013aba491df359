/**
 * Bulk email: a campaign to `recipients` customers, next to no-op BullMQ jobs on the same Redis in
 * the same run.
 *
 *   npx tsx bench/bulk-email/run.ts [--recipients 100000] [--concurrency 100] [--pool 50] [--raw 5000]
 *
 * Campaign: the auth service (its users table seeded with `recipients` customers in one SQL
 * statement), the notifications service and the workers process run as separate processes from
 * their builds; mail goes to the local SMTP sink (mailpit). An admin POSTs the campaign to the
 * notifications service and the run polls GET /admin/campaigns/:id. Enqueue time: from the POST
 * until every recipient is queued (the fan-out reads auth page by page and adds jobs with addBulk).
 * Delivery rate: recipients done (sent, failed or suppressed) per second from the first send to the
 * last, and over the whole campaign.
 * Baselines, same machine and run: the same number of no-op jobs added with addBulk in chunks of
 * the fan-out's page size, then taken by one Worker with the campaign's concurrency, in this
 * process; and the sink's own ceiling: `--raw` messages sent straight to it over a pool of as many
 * SMTP connections as the workers use (nodemailer, no queue, no database).
 */
import { AppProcess, apiClient, freePort, type Tokens } from '@commerce/e2e';
import { createScratchDatabase, testEndpoints, uniqueName } from '@commerce/testing';
import { startInfra, stopRegistered } from '@commerce/tools';
import { Queue, Worker } from 'bullmq';
import { createTransport } from 'nodemailer';
import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { round, writeReport, type Figure, type ReportInput } from '../report';
import { TARGETS } from '../targets';

const { values: args } = parseArgs({
  options: {
    recipients: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '100' },
    pool: { type: 'string', default: '50' },
    page: { type: 'string', default: '1000' },
    raw: { type: 'string', default: '5000' },
    json: { type: 'string' }, // writes the run's report (bench/report.ts) for npm run bench
  },
});
const recipients = Number(args.recipients);
const concurrency = Number(args.concurrency);
const smtpPool = Number(args.pool);
const pageSize = Number(args.page);
const rawMessages = Number(args.raw);

interface Campaign {
  id: string;
  status: string;
  total: number;
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
  /** True once every recipient is queued. */
  fanoutDone: boolean;
}

const seconds = (ms: number) => ms / 1000;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** No-op jobs: addBulk in pages, then one worker drains them. */
async function baseline(prefix: string): Promise<{ enqueueMs: number; rate: number }> {
  const connection = { url: testEndpoints.redisUrl };
  const queue = new Queue('bench-noop', { connection, prefix });
  try {
    const started = performance.now();
    for (let offset = 0; offset < recipients; offset += pageSize) {
      const count = Math.min(pageSize, recipients - offset);
      await queue.addBulk(
        Array.from({ length: count }, (_, i) => ({
          name: 'noop',
          data: { n: offset + i },
          opts: { jobId: `noop-${offset + i}`, removeOnComplete: 1000 },
        })),
      );
    }
    const enqueueMs = performance.now() - started;
    let done = 0;
    const drained = new Promise<void>((resolve) => {
      const worker = new Worker('bench-noop', () => Promise.resolve(), {
        connection,
        prefix,
        concurrency,
      });
      worker.on('completed', () => {
        done += 1;
        if (done === recipients) void worker.close().then(resolve);
      });
    });
    const drainStart = performance.now();
    await drained;
    return { enqueueMs, rate: recipients / seconds(performance.now() - drainStart) };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

/** Messages per second the sink accepts straight from a pooled SMTP client. */
async function rawSmtp(): Promise<number> {
  const transport = createTransport({
    host: testEndpoints.smtp.host,
    port: testEndpoints.smtp.port,
    pool: true,
    maxConnections: smtpPool,
    maxMessages: Infinity,
  });
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: rawMessages }, (_, i) =>
        transport.sendMail({
          from: 'bench@commerce.test',
          to: `raw-${i}@bulk.example.test`,
          subject: 'Bench raw SMTP',
          text: 'Hello from the bulk email benchmark. '.repeat(20),
          html: `<p>${'Hello from the bulk email benchmark. '.repeat(20)}</p>`,
        }),
      ),
    );
    return rawMessages / seconds(performance.now() - started);
  } finally {
    transport.close();
  }
}

async function main(): Promise<void> {
  const infra = await startInfra();
  const authDb = await createScratchDatabase('bench_auth');
  const prefix = uniqueName('bench-q');
  const mongoUrl = testEndpoints.mongoUrl(uniqueName('bench_notifications').replace(/-/g, '_'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const admin = { email: `${uniqueName('root')}@example.test`, password: 'Sup3r-admin-pass!' };
  const secret = uniqueName('notifications-secret');
  const ports = {
    auth: await freePort(),
    notifications: await freePort(),
    workers: await freePort(),
  };
  const authUrl = `http://127.0.0.1:${ports.auth}`;
  const apps: AppProcess[] = [];
  try {
    const auth = new AppProcess('auth', 'services/auth', ports.auth, {
      DATABASE_URL: authDb.url,
      REDIS_URL: testEndpoints.redisUrl,
      REDIS_KEY_PREFIX: `${uniqueName('bench')}:`,
      AUTH_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      SUPER_ADMIN_EMAIL: admin.email,
      SUPER_ADMIN_PASSWORD: admin.password,
      SERVICE_ACCOUNTS: `notifications:${secret}`,
      LOG_LEVEL: 'warn',
    });
    apps.push(auth);
    await auth.start();

    // Customers straight into the users table: the bench is about the queue, not registration.
    const pg = new Client({ connectionString: authDb.url });
    await pg.connect();
    await pg.query(
      `insert into users (email, name, password_hash, roles)
       select 'bench-' || n || '@bulk.example.test', 'Customer ' || n, 'not-a-hash', '{CUSTOMER}'
       from generate_series(1, $1::int) as n`,
      [recipients],
    );
    await pg.end();

    const notifications = new AppProcess(
      'notifications',
      'services/notifications',
      ports.notifications,
      {
        MONGO_URL: mongoUrl,
        REDIS_URL: testEndpoints.redisUrl,
        QUEUE_PREFIX: prefix,
        AUTH_JWKS_URL: `${authUrl}/auth/.well-known/jwks.json`,
        AUTH_URL: authUrl,
        SERVICE_CLIENT_ID: 'notifications',
        SERVICE_CLIENT_SECRET: secret,
        CAMPAIGN_FANOUT_PAGE_SIZE: String(pageSize),
        LOG_LEVEL: 'warn',
      },
    );
    const workers = new AppProcess('workers', 'services/workers', ports.workers, {
      MONGO_URL: mongoUrl,
      REDIS_URL: testEndpoints.redisUrl,
      QUEUE_PREFIX: prefix,
      AUTH_JWKS_URL: `${authUrl}/auth/.well-known/jwks.json`,
      SMTP_URL: `smtp://${testEndpoints.smtp.host}:${testEndpoints.smtp.port}`,
      CAMPAIGN_SMTP_POOL_SIZE: String(smtpPool),
      CAMPAIGN_CONCURRENCY: String(concurrency),
      CAMPAIGN_RATE_LIMIT_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
    });
    apps.push(notifications, workers);
    await Promise.all([notifications.start(), workers.start()]);

    console.log(`baseline: ${recipients} no-op jobs, concurrency ${concurrency}`);
    const noop = await baseline(prefix);
    console.log(
      `  enqueue ${fmt(seconds(noop.enqueueMs))} s, processed ${fmt(noop.rate, 0)} jobs/s`,
    );

    const raw = await rawSmtp();
    console.log(`sink ceiling: ${rawMessages} messages straight over ${smtpPool} SMTP connections`);
    console.log(`  ${fmt(raw, 0)} messages/s`);

    const login = await apiClient(authUrl)<Tokens>('POST', '/auth/login', { body: admin });
    const token = login.body.accessToken;
    const call = apiClient(notifications.url);
    console.log(
      `campaign: ${recipients} recipients, concurrency ${concurrency}, SMTP pool ${smtpPool}`,
    );
    const started = performance.now();
    const created = await call<Campaign>('POST', '/admin/campaigns', {
      token,
      body: { subject: 'Bench newsletter', template: 'newsletter', audience: { role: 'CUSTOMER' } },
    });
    if (created.status !== 202)
      throw new Error(`campaign refused: ${JSON.stringify(created.body)}`);
    const id = created.body.id;

    let enqueuedAt: number | undefined;
    let firstSendAt: number | undefined;
    let last: Campaign = created.body;
    let lastReport = 0;
    for (;;) {
      await sleep(200);
      const now = performance.now();
      const res = await call<Campaign>('GET', `/admin/campaigns/${id}`, { token });
      if (res.status !== 200) continue; // token renewal is not needed within its 15 minutes
      last = res.body;
      const done = last.sent + last.failed + last.suppressed;
      if (firstSendAt === undefined && done > 0) firstSendAt = now;
      if (enqueuedAt === undefined && last.fanoutDone) {
        enqueuedAt = now;
      }
      if (now - lastReport > 5000) {
        lastReport = now;
        console.log(
          `  ${fmt(seconds(now - started))} s: queued ${last.queued}, sent ${last.sent}, failed ${last.failed}, suppressed ${last.suppressed}`,
        );
      }
      if (done >= recipients || ['COMPLETED', 'CANCELLED'].includes(last.status)) break;
    }
    const finished = performance.now();
    const enqueueMs = (enqueuedAt ?? finished) - started;
    const sendingMs = finished - (firstSendAt ?? started);
    const rate = (last.sent + last.failed + last.suppressed) / seconds(sendingMs);
    const overall = (last.sent + last.failed + last.suppressed) / seconds(finished - started);

    console.log('\nresults');
    console.log(
      `  enqueue ${last.total} recipients: ${fmt(seconds(enqueueMs))} s (target <= 15 s)`,
    );
    console.log(`  no-op enqueue (addBulk only):     ${fmt(seconds(noop.enqueueMs))} s`);
    console.log(`  enqueue ratio (no-op / campaign): ${fmt(noop.enqueueMs / enqueueMs, 2)}`);
    console.log(`  delivered: ${last.sent}, failed ${last.failed}, suppressed ${last.suppressed}`);
    console.log(`  delivery ${fmt(rate, 0)} emails/s from the first send (target >= 500)`);
    console.log(`  delivery ${fmt(overall, 0)} emails/s over the whole campaign`);
    console.log(`  no-op jobs ${fmt(noop.rate, 0)} jobs/s; ratio ${fmt(rate / noop.rate, 3)}`);
    console.log(`  raw SMTP to the sink ${fmt(raw, 0)} messages/s; ratio ${fmt(rate / raw, 2)}`);
    writeReport(args.json, jsonReport({ campaign: last, enqueueMs, noop, rate, overall, raw }));
  } finally {
    for (const app of apps.reverse()) await app.stop();
    await authDb.drop();
    await deleteBenchMail();
    await stopRegistered(infra.started);
  }
}

/**
 * Deletes the run's messages from the sink (every bench address is at bulk.example.test): the
 * sink's database lives in the per-user data directory, and hundreds of thousands of leftover
 * messages would slow down every later search of the test suites.
 */
async function deleteBenchMail(): Promise<void> {
  const query = encodeURIComponent('to:"bulk.example.test"');
  const problem = await fetch(`${testEndpoints.mailpitUrl}/api/v1/search?query=${query}`, {
    method: 'DELETE',
  }).then(
    (res) => (res.ok ? undefined : `HTTP ${res.status}`),
    (error: unknown) => (error instanceof Error ? error.message : 'unreachable'),
  );
  if (problem) console.warn(`could not delete the bench's mail from the sink: ${problem}`);
}

/** The figures for `--json`: enqueue time and delivery rate against their baselines and targets. */
function jsonReport(m: {
  campaign: Campaign;
  enqueueMs: number;
  noop: { enqueueMs: number; rate: number };
  rate: number;
  overall: number;
  raw: number;
}): ReportInput {
  const target = (figure: string) => TARGETS['bulk-email'].find((t) => t.figure === figure)?.value;
  const figure = (label: string, unit: string, value: number, digits = 1): Figure => ({
    label,
    unit,
    value: round(value, digits),
  });
  const figures: Record<string, Figure> = {
    'campaign.enqueueSeconds': figure(
      `enqueue ${m.campaign.total} recipients`,
      's',
      seconds(m.enqueueMs),
    ),
    'noop.enqueueSeconds': figure(`no-op addBulk of ${recipients}`, 's', seconds(m.noop.enqueueMs)),
    'ratio.enqueue': figure(
      'enqueue ratio (no-op / campaign)',
      'x',
      m.noop.enqueueMs / m.enqueueMs,
      2,
    ),
    'campaign.deliveryRate': figure('delivery from the first send', 'emails/s', m.rate, 0),
    'campaign.overallRate': figure('delivery over the whole campaign', 'emails/s', m.overall, 0),
    'noop.rate': figure('no-op jobs', 'jobs/s', m.noop.rate, 0),
    'ratio.delivery': figure('delivery / no-op jobs', 'x', m.rate / m.noop.rate, 3),
    'raw.rate': figure('raw SMTP to the sink', 'messages/s', m.raw, 0),
    'ratio.raw': figure('delivery / raw SMTP', 'x', m.rate / m.raw, 2),
    'campaign.sent': figure('sent', '', m.campaign.sent, 0),
    'campaign.failed': figure('failed', '', m.campaign.failed, 0),
    'campaign.suppressed': figure('suppressed', '', m.campaign.suppressed, 0),
  };
  const v = (key: string) => figures[key]?.value ?? null;
  const enqueueTarget = target('campaign.enqueueSeconds');
  const deliveryTarget = target('campaign.deliveryRate');
  return {
    bench: 'bulk-email',
    title: 'Bulk email',
    options: { recipients, concurrency, pool: smtpPool, page: pageSize, raw: rawMessages },
    figures,
    tables: [
      {
        columns: ['measure', 'campaign', 'baseline', 'ratio'],
        rows: [
          [
            'enqueue (s)',
            v('campaign.enqueueSeconds'),
            v('noop.enqueueSeconds'),
            v('ratio.enqueue'),
          ],
          [
            'delivery vs no-op jobs (per s)',
            v('campaign.deliveryRate'),
            v('noop.rate'),
            v('ratio.delivery'),
          ],
          [
            'delivery vs raw SMTP (per s)',
            v('campaign.deliveryRate'),
            v('raw.rate'),
            v('ratio.raw'),
          ],
          [
            'sent / failed / suppressed',
            `${m.campaign.sent} / ${m.campaign.failed} / ${m.campaign.suppressed}`,
            '',
            '',
          ],
        ],
      },
    ],
    chart: {
      title: `Bulk email to ${recipients.toLocaleString('en-US')} recipients, next to BullMQ no-op jobs and raw SMTP`,
      panels: [
        {
          title: 'Enqueue everyone, lower is better',
          unit: 's',
          targetOp: '<=',
          target: enqueueTarget,
          groups: [
            {
              label: 'enqueue',
              bars: [
                { series: 'campaign', value: v('campaign.enqueueSeconds') },
                { series: 'no-op jobs (baseline)', value: v('noop.enqueueSeconds') },
              ],
            },
          ],
        },
        {
          title: 'Delivery, higher is better',
          unit: 'emails/s',
          targetOp: '>=',
          target: deliveryTarget,
          groups: [
            {
              label: 'delivery',
              bars: [
                { series: 'campaign', value: v('campaign.deliveryRate') },
                { series: 'raw SMTP to the sink (ceiling)', value: v('raw.rate') },
              ],
            },
          ],
        },
      ],
    },
    notes: [
      `no-op jobs drain at ${fmt(m.noop.rate, 0)} jobs/s (not drawn: it would flatten the other bars)`,
    ],
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
