import { join } from 'node:path';
import { dataDir, Endpoint, toolBinary } from './settings';
import {
  httpAnswers,
  mongoAnswers,
  postgresAnswers,
  redisAnswers,
  tcpOpen,
  temporalAnswers,
} from './probes';

export interface LaunchSpec {
  bin: string;
  args: string[];
  /** Name of the Go tool, for the "run npm run tools:install" hint. */
  tool: 'temporal' | 'ferretdb' | 'stripe-mock' | 'mailpit';
}

export interface Component {
  name: string;
  /** Ports the component listens on; any of them taken by another program is a conflict. */
  ports: number[];
  /** URLs worth printing for a person. */
  urls: Record<string, string>;
  /** True when the expected server answers with its own protocol. */
  probe(): Promise<boolean>;
  /** How to start it; absent for servers the machine runs for us (PostgreSQL, Redis). */
  launch?: () => LaunchSpec;
  /** What to do when an external server is down. */
  startHint?: string;
  /** Seconds to wait for a started process to answer (first start migrates SQLite schemas). */
  readyTimeoutSec?: number;
}

const pg = Endpoint.postgres;
const t = Endpoint.temporal;
const f = Endpoint.ferretdb;
const s = Endpoint.stripeMock;
const m = Endpoint.mailpit;

export const postgresUrl = (database = 'postgres') =>
  `postgres://${pg.user}@${pg.host}:${pg.port}/${database}`;
export const temporalAddress = `${t.host}:${t.port}`;
/**
 * The namespace the dev server creates and the search attributes go to: the apps' own
 * TEMPORAL_NAMESPACE when the shell sets one (the server always has `default` too).
 */
export const temporalNamespace = process.env['TEMPORAL_NAMESPACE'] || 'default';
export const mongoUrl = (database = 'commerce') => `mongodb://${f.host}:${f.port}/${database}`;
export const stripeMockUrl = `http://${s.host}:${s.port}`;
export const mailpitUrl = `http://${m.host}:${m.httpPort}`;

/** How mailpit is started: here, and by tests that run one of their own (@commerce/testing). */
export function mailpitArgs(at: {
  host: string;
  httpPort: number;
  smtpPort: number;
  database: string;
}): string[] {
  return [
    '--listen',
    `${at.host}:${at.httpPort}`,
    '--smtp',
    `${at.host}:${at.smtpPort}`,
    '--database',
    at.database,
    // Bulk campaigns send far more than mailpit's default cap of 500 stored messages.
    '--max',
    '0',
    '--smtp-auth-accept-any',
    '--smtp-auth-allow-insecure',
    '--disable-version-check',
    '--quiet',
  ];
}

export function components(): Component[] {
  const data = dataDir();
  return [
    {
      name: 'postgres',
      ports: [pg.port],
      urls: { url: postgresUrl() },
      probe: () => postgresAnswers(postgresUrl()),
      startHint:
        'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    },
    {
      name: 'redis',
      ports: [Endpoint.redis.port],
      urls: { url: `redis://${Endpoint.redis.host}:${Endpoint.redis.port}` },
      probe: () => redisAnswers(Endpoint.redis.host, Endpoint.redis.port),
      startHint:
        'start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
    },
    {
      name: 'temporal',
      ports: [t.port, t.uiPort, t.httpPort, t.metricsPort],
      urls: { grpc: temporalAddress, ui: `http://${t.host}:${t.uiPort}` },
      probe: async () =>
        (await temporalAnswers(temporalAddress)) &&
        (await httpAnswers(`http://${t.host}:${t.uiPort}/api/v1/namespaces/default`)),
      readyTimeoutSec: 90,
      launch: () => ({
        tool: 'temporal',
        bin: toolBinary('temporal'),
        args: [
          'server',
          'start-dev',
          '--ip',
          t.host,
          '--port',
          String(t.port),
          '--ui-port',
          String(t.uiPort),
          '--http-port',
          String(t.httpPort),
          '--metrics-port',
          String(t.metricsPort),
          '--db-filename',
          join(data, 'temporal', 'temporal.db'),
          // WAL lets readers (the UI, visibility queries) run beside the writer; NORMAL sync is
          // safe with WAL and much faster on a dev box.
          '--sqlite-pragma',
          'journal_mode=WAL',
          '--sqlite-pragma',
          'synchronous=NORMAL',
          // One partition per task queue: on a single-process server the default four only make a
          // task and a poll that land on different partitions wait for forwarding between them.
          '--dynamic-config-value',
          'matching.numTaskqueueReadPartitions=1',
          '--dynamic-config-value',
          'matching.numTaskqueueWritePartitions=1',
          '--namespace',
          temporalNamespace,
          '--log-level',
          'warn',
        ],
      }),
    },
    {
      name: 'ferretdb',
      ports: [f.port, f.debugPort],
      urls: { mongodb: mongoUrl() },
      probe: () => mongoAnswers(mongoUrl('admin')),
      launch: () => ({
        tool: 'ferretdb',
        bin: toolBinary('ferretdb'),
        args: [
          '--handler=postgresql',
          `--postgresql-url=${postgresUrl('commerce_ferretdb')}`,
          `--listen-addr=${f.host}:${f.port}`,
          `--debug-addr=${f.host}:${f.debugPort}`,
          `--state-dir=${join(data, 'ferretdb')}`,
          '--telemetry=disable',
          '--log-level=warn',
        ],
      }),
    },
    {
      name: 'stripe-mock',
      ports: [s.port],
      urls: { api: stripeMockUrl },
      probe: () =>
        httpAnswers(`${stripeMockUrl}/v1/customers`, {
          headers: { Authorization: 'Bearer sk_test_123' },
        }),
      launch: () => ({
        tool: 'stripe-mock',
        bin: toolBinary('stripe-mock'),
        args: ['-http-addr', `${s.host}:${s.port}`],
      }),
    },
    {
      name: 'mailpit',
      ports: [m.smtpPort, m.httpPort],
      urls: { smtp: `smtp://${m.host}:${m.smtpPort}`, ui: mailpitUrl },
      probe: async () =>
        (await httpAnswers(`${mailpitUrl}/api/v1/info`)) && (await tcpOpen(m.host, m.smtpPort)),
      launch: () => ({
        tool: 'mailpit',
        bin: toolBinary('mailpit'),
        args: mailpitArgs({
          host: m.host,
          httpPort: m.httpPort,
          smtpPort: m.smtpPort,
          database: join(data, 'mailpit', 'mailpit.db'),
        }),
      }),
    },
  ];
}
