import type { Role } from '@commerce/contracts';
import {
  type BaseConfig,
  type ConfigOf,
  type CreateAppOptions,
  type Env,
  createApp,
  listen,
  loadConfig,
} from '@commerce/nest-kit';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testEndpoints } from './endpoints';
import { type Reply, type RequestOptions, requestJson } from './http';
import { type ScratchDatabase, createScratchDatabase } from './postgres';
import { TestTokenIssuer } from './tokens';

type ConfigSchema = Parameters<typeof loadConfig>[0];
type AppModule = Parameters<typeof createApp>[0];
type App = Awaited<ReturnType<typeof createApp>>;
type AppOptions = Omit<CreateAppOptions, 'config'>;

/** What makes one service: the parts its main.ts passes to the kit, and its test settings. */
export interface ServiceTestAppOptions<S extends ConfigSchema> {
  readonly schema: S;
  /** The app module for a config (payments picks its provider adapter from it). */
  readonly module: (config: ConfigOf<S>) => AppModule;
  /** What the service adds to the kit, as main.ts passes it (e.g. `ordersAppOptions`). */
  readonly appOptions: (config: ConfigOf<S>) => AppOptions;
  /** Prefix of the scratch database `setUp()` creates; without one the service gets none. */
  readonly database?: string;
  /** The service's test settings, over the common ones and under those given to `start()`. */
  readonly env?: Env;
}

/** One started app: the service as main.ts builds it, listening on a free loopback port. */
export class RunningService<C> {
  constructor(
    readonly app: App,
    readonly url: string,
    readonly config: C,
  ) {}

  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return requestJson<T>(this.url, method, path, options);
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/**
 * A service under test for one test file. `setUp()` starts a stand-in token issuer (its JWKS is
 * the service's AUTH_JWKS_URL) and creates a scratch database (the app runs its migrations when it
 * starts); `start(env)` builds the app as main.ts does (Nest on the kit's Fastify bootstrap) with
 * test settings plus `env`, on a free port, as often as a test wants; `tearDown()` closes the
 * apps, runs what was registered with `onTearDown()`, and drops the database. The first app
 * started is the default one for `request()`, `url`, `app` and `config`.
 */
export class ServiceTestApp<S extends ConfigSchema> {
  readonly issuer = new TestTokenIssuer();
  db!: ScratchDatabase;
  /** A direct connection to the scratch database, for arranging and checking rows. */
  sql!: Client;
  private readonly started: RunningService<ConfigOf<S>>[] = [];
  private readonly cleanups: (() => unknown)[] = [];

  constructor(private readonly service: ServiceTestAppOptions<S>) {}

  async setUp(): Promise<void> {
    await this.issuer.start();
    if (!this.service.database) return;
    this.db = await createScratchDatabase(this.service.database);
    this.sql = new Client({ connectionString: this.db.url });
    await this.sql.connect();
  }

  async start(
    env: Env = {},
    extra: Partial<AppOptions> = {},
  ): Promise<RunningService<ConfigOf<S>>> {
    // Every service's schema extends the kit's base config (loadConfig cannot say so generically).
    const config = loadConfig(this.service.schema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: testEndpoints.redisUrl,
      DATABASE_URL: this.db?.url,
      AUTH_JWKS_URL: this.issuer.listening ? this.issuer.jwksUrl : undefined,
      ...this.service.env,
      ...env,
    }) as ConfigOf<S> & BaseConfig;
    const options = this.service.appOptions(config);
    const app = await createApp(this.service.module(config), {
      ...options,
      config,
      // Default metrics are process-wide; several apps in one Jest worker would collide.
      metrics: { ...options.metrics, defaultMetrics: false },
      shutdownHooks: false,
      ...extra,
    });
    const listening = await listen(app, { host: '127.0.0.1', port: 0 }).catch(async (error) => {
      await app.close();
      throw error;
    });
    const running = new RunningService(app, listening.url, config);
    this.started.push(running);
    return running;
  }

  /** Closes one started app (as SIGTERM would) before the others; `tearDown()` skips it. */
  async stop(running: RunningService<ConfigOf<S>>): Promise<void> {
    const index = this.started.indexOf(running);
    if (index >= 0) this.started.splice(index, 1);
    await running.close();
  }

  /** Runs `cleanup` at `tearDown()`, after the apps close and before the database goes. */
  onTearDown(cleanup: () => unknown): void {
    this.cleanups.push(cleanup);
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.started.map((running) => running.close()));
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    await this.sql?.end().catch(() => undefined);
    await this.issuer.stop();
    await this.db?.drop();
  }

  private get main(): RunningService<ConfigOf<S>> {
    const main = this.started[0];
    if (!main) throw new Error('no app started yet');
    return main;
  }

  get app(): App {
    return this.main.app;
  }

  get url(): string {
    return this.main.url;
  }

  get config(): ConfigOf<S> {
    return this.main.config;
  }

  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return this.main.request<T>(method, path, options);
  }

  /** An access token of `sub` with `roles`, from the issuer the service trusts. */
  token(sub: string, roles: Role[] = ['CUSTOMER']): string {
    return this.issuer.token(roles, sub);
  }

  /** A fresh customer with a token. */
  customer(): { id: string; token: string } {
    const id = randomUUID();
    return { id, token: this.token(id) };
  }

  /** A SERVICE token of `clientId` (internal routes grant each caller by its client id). */
  serviceToken(clientId = 'activities'): string {
    return this.token(clientId, ['SERVICE']);
  }

  async count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const res = await this.sql.query<{ n: string }>(
      `select count(*) as n from ${table} where ${where}`,
      params,
    );
    return Number(res.rows[0]?.n ?? 0);
  }
}

/** The error body every service answers (DESIGN §5), for `toEqual`/`toMatchObject`. */
export const errorShape = (statusCode: number, code: string) => {
  const text: unknown = expect.any(String);
  return { statusCode, error: text, message: text, code, requestId: text };
};
