import { ConfigValidationError, loadConfig } from '@commerce/nest-kit';
import { authConfigSchema, keysDirectory } from './config';

describe('auth config', () => {
  it('has working defaults for development', () => {
    const config = loadConfig(authConfigSchema, { NODE_ENV: 'development', HOME: '/home/dev' });
    expect(config).toMatchObject({
      SERVICE_NAME: 'auth',
      PORT: 3001,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_auth',
      TRUST_PROXY: '127.0.0.1,::1',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: 5,
      SERVICE_ACCOUNTS: [],
    });
  });

  it('parses TRUST_PROXY like Fastify understands it', () => {
    const trust = (value: string) =>
      loadConfig(authConfigSchema, { NODE_ENV: 'test', TRUST_PROXY: value }).TRUST_PROXY;
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8')).toBe('10.0.0.0/8');
  });

  it('keeps development keys under COMMERCE_DATA_DIR unless AUTH_KEYS_DIR says otherwise', () => {
    const base = { NODE_ENV: 'test' };
    expect(
      keysDirectory(loadConfig(authConfigSchema, { ...base, COMMERCE_DATA_DIR: '/data' })),
    ).toBe('/data/auth-keys');
    expect(keysDirectory(loadConfig(authConfigSchema, { ...base, AUTH_KEYS_DIR: '/k' }))).toBe(
      '/k',
    );
  });

  it('reports a bad SERVICE_ACCOUNTS entry without printing its secrets', () => {
    const secret = 'a-secret-nobody-should-see';
    let error: unknown;
    try {
      loadConfig(authConfigSchema, { NODE_ENV: 'test', SERVICE_ACCOUNTS: `Bad Name:${secret}` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain('SERVICE_ACCOUNTS.credentials: entry 1');
    expect((error as Error).message).not.toContain(secret);
  });
});
