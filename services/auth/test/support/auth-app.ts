import type { Env } from '@commerce/nest-kit';
import { RunningService, ServiceTestApp, testEndpoints, uniqueName } from '@commerce/testing';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule, authAppOptions } from '../../src/app.module';
import { type AuthConfig, authConfigSchema } from '../../src/config';

export { errorShape, type Reply } from '@commerce/testing';
// The payload and header of a JWT, unverified (for assertions).
export { decodeJwt as claimsOf, decodeProtectedHeader as headerOf } from 'jose';

export const SERVICE_SECRET = 'activities-secret-0123456789';
export const SUPER_ADMIN = {
  email: 'root@example.com',
  password: 'Root-password-1',
};

/** One test file's auth service, with its own key directory and Redis key prefix. */
export class AuthTestEnvironment extends ServiceTestApp<typeof authConfigSchema> {
  readonly redis = new Redis(testEndpoints.redisUrl, { lazyConnect: true });
  readonly prefix = `${uniqueName('authtest')}:`;
  keysDir!: string;

  constructor() {
    super({
      schema: authConfigSchema,
      module: () => AppModule,
      appOptions: authAppOptions,
      database: 'auth',
      env: {
        DATABASE_POOL_SIZE: '20',
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
      },
    });
    this.onTearDown(async () => {
      // Only this file's keys: never FLUSHALL on a server others use.
      for await (const keys of this.redis.scanStream({ match: `${this.prefix}*`, count: 500 })) {
        const batch = keys as string[];
        if (batch.length > 0) await this.redis.del(...batch);
      }
      await this.redis.quit();
      if (this.keysDir) await rm(this.keysDir, { recursive: true, force: true });
    });
  }

  override async setUp(): Promise<void> {
    await this.redis.connect();
    await super.setUp();
    this.keysDir = await mkdtemp(join(tmpdir(), 'auth-keys-'));
  }

  override async start(env: Env = {}): Promise<RunningAuth> {
    const running = await super.start({
      REDIS_KEY_PREFIX: this.prefix,
      AUTH_KEYS_DIR: this.keysDir,
      ...env,
    });
    return new RunningAuth(running.app, running.url, running.config);
  }
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A running auth service and its users' flows. */
export class RunningAuth extends RunningService<AuthConfig> {
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
