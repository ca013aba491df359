import { createApp, listen, loadConfig } from '@commerce/nest-kit';
import {
  type ScratchDatabase,
  createScratchDatabase,
  testEndpoints,
  uniqueName,
  type Reply,
  type RequestOptions,
  requestJson,
} from '@commerce/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule, authAppOptions } from '../../src/app.module';
import { type AuthConfig, authConfigSchema } from '../../src/config';

export const SERVICE_SECRET = 'activities-secret-0123456789';
export const SUPER_ADMIN = {
  email: 'root@example.com',
  password: 'Root-password-1',
};

/** Shared infrastructure of one test file: a scratch database, a key directory, a key prefix. */
export class AuthTestEnvironment {
  readonly redis = new Redis(testEndpoints.redisUrl, { lazyConnect: true });
  readonly prefix = `${uniqueName('authtest')}:`;
  db!: ScratchDatabase;
  keysDir!: string;
  private readonly apps: NestFastifyApplication[] = [];

  async setUp(): Promise<void> {
    await this.redis.connect();
    this.db = await createScratchDatabase('auth');
    this.keysDir = await mkdtemp(join(tmpdir(), 'auth-keys-'));
  }

  /** The service as main.ts builds it, on a free port, with test settings plus `env`. */
  async start(env: Record<string, string> = {}): Promise<RunningAuth> {
    const config = loadConfig(authConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: this.db.url,
      DATABASE_POOL_SIZE: '20',
      REDIS_URL: testEndpoints.redisUrl,
      REDIS_KEY_PREFIX: this.prefix,
      AUTH_KEYS_DIR: this.keysDir,
      BODY_LIMIT_BYTES: '4096',
      // Cheap hashes: the tests are about behaviour, not cost.
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: '3',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      LOGIN_FAILURE_WINDOW_SECONDS: '60',
      LOGIN_LOCKOUT_SECONDS: '2',
      SUPER_ADMIN_EMAIL: SUPER_ADMIN.email,
      SUPER_ADMIN_PASSWORD: SUPER_ADMIN.password,
      SERVICE_ACCOUNTS: `activities:${SERVICE_SECRET},notifications:${SERVICE_SECRET}`,
      ...env,
    });
    const app = await createApp(AppModule, {
      ...authAppOptions(config),
      config,
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
    this.apps.push(app);
    const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
    return new RunningAuth(app, url, config);
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.apps.map((app) => app.close()));
    // Only this file's keys: never FLUSHALL on a server others use.
    for await (const keys of this.redis.scanStream({ match: `${this.prefix}*`, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) await this.redis.del(...batch);
    }
    await this.redis.quit();
    await this.db?.drop();
    if (this.keysDir) await rm(this.keysDir, { recursive: true, force: true });
  }
}

export type { Reply } from '@commerce/testing';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A running app and a small HTTP client for it. */
export class RunningAuth {
  constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly config: AuthConfig,
  ) {}

  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return requestJson<T>(this.url, method, path, options);
  }

  register(email: string, password = 'Password-123', name = 'Test User') {
    return this.request('POST', '/auth/register', { body: { email, password, name } });
  }

  login(email: string, password = 'Password-123', ip?: string) {
    return this.request<TokenPair & Record<string, unknown>>('POST', '/auth/login', {
      body: { email, password },
      headers: ip ? { 'x-forwarded-for': ip } : {},
    });
  }

  /** Registers and logs in; fails the test if either does not succeed. */
  async newUser(email: string): Promise<{ id: string; tokens: TokenPair }> {
    const registered = await this.register(email);
    expect(registered.status).toBe(201);
    const login = await this.login(email);
    expect(login.status).toBe(200);
    return { id: registered.body.id as string, tokens: login.body };
  }

  async superAdminToken(): Promise<string> {
    const login = await this.login(SUPER_ADMIN.email, SUPER_ADMIN.password);
    expect(login.status).toBe(200);
    return login.body.accessToken;
  }
}

/** The payload of a JWT, unverified (for assertions). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export const errorShape = (statusCode: number, code: string) => ({
  statusCode,
  error: expect.any(String),
  message: expect.any(String),
  code,
  requestId: expect.any(String),
});
