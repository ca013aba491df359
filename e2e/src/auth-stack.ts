import {
  createScratchDatabase,
  testEndpoints,
  uniqueName,
  type ScratchDatabase,
} from '@commerce/testing';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AppProcess, freePort } from './stack';

export interface AuthStack {
  auth: AppProcess;
  gateways: AppProcess[];
  /** The gateway tests talk to (the first one). */
  api: string;
  signingKey: KeyObject;
  signingKid: string;
  superAdmin: { email: string; password: string };
  stop(): Promise<void>;
}

export interface AuthStackOptions {
  gateways?: number;
  authEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
}

/**
 * The auth service and the gateway(s) as separate processes from their builds, on free ports,
 * with their own database and Redis key prefixes, so test files never see each other's state.
 * The auth service runs with a signing key from its environment (as in production), which lets
 * tests forge tokens signed by the real key (expired ones, say).
 */
export async function startAuthStack(options: AuthStackOptions = {}): Promise<AuthStack> {
  const db: ScratchDatabase = await createScratchDatabase('e2e_auth');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKid = uniqueName('kid');
  const superAdmin = { email: `${uniqueName('root')}@example.test`, password: 'Sup3r-admin-pass!' };
  const auth = new AppProcess('auth', 'services/auth', await freePort(), {
    DATABASE_URL: db.url,
    REDIS_URL: testEndpoints.redisUrl,
    REDIS_KEY_PREFIX: `${uniqueName('e2e')}:`,
    AUTH_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    AUTH_SIGNING_KEY_ID: signingKid,
    SUPER_ADMIN_EMAIL: superAdmin.email,
    SUPER_ADMIN_PASSWORD: superAdmin.password,
    // Cheap hashing keeps the suite fast; production uses the defaults.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ...options.authEnv,
  });
  const ratePrefix = `${uniqueName('e2e-rl')}:`;
  const gateways: AppProcess[] = [];
  for (let i = 0; i < (options.gateways ?? 1); i++) {
    gateways.push(
      new AppProcess(`gateway${i}`, 'gateway', await freePort(), {
        REDIS_URL: testEndpoints.redisUrl,
        AUTH_URL: auth.url,
        UPSTREAMS: 'auth',
        RATE_LIMIT_PREFIX: ratePrefix,
        RATE_LIMIT_DEFAULT_LIMIT: '100000',
        RATE_LIMIT_ADDRESS_LIMIT: '100000',
        RATE_LIMIT_AUTH_LIMIT: '100000',
        ...options.gatewayEnv,
      }),
    );
  }
  const stop = async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await auth.stop();
    await db.drop();
  };
  try {
    await auth.start();
    await Promise.all(gateways.map((g) => g.start()));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    auth,
    gateways,
    api: `${gateways[0]!.url}/api`,
    signingKey: privateKey,
    signingKid,
    superAdmin,
    stop,
  };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Small JSON client for the public API. */
export function apiClient(base: string) {
  return async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: res.headers,
    };
  };
}
