import { z } from 'zod';
import { baseConfigSchema } from './base-config';
import { envBool, envInt, envPort, envQueuePrefix, envUrl } from './env';
import { ConfigValidationError, loadConfig } from './load-config';

const minimal = { SERVICE_NAME: 'orders', PORT: '3003' };

function errorOf(run: () => unknown): ConfigValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('applies the base defaults and converts numbers', () => {
    const config = loadConfig(baseConfigSchema, minimal);
    expect(config).toEqual({
      NODE_ENV: 'production',
      SERVICE_NAME: 'orders',
      HOST: '127.0.0.1',
      PORT: 3003,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1048576,
      SHUTDOWN_GRACE_MS: 10000,
    });
  });

  it('returns a frozen object', () => {
    const config = loadConfig(baseConfigSchema, minimal);
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it('names the variable, the expectation and the value', () => {
    const error = errorOf(() => loadConfig(baseConfigSchema, { ...minimal, PORT: 'abc' }));
    expect(error.message).toBe(
      'Invalid configuration: PORT: expected a number between 1 and 65535, got "abc"',
    );
    expect(error.issues).toEqual([
      { variable: 'PORT', reason: 'expected a number between 1 and 65535, got "abc"' },
    ]);
  });

  it('reports every bad variable at once, including missing ones', () => {
    const error = errorOf(() =>
      loadConfig(baseConfigSchema, { PORT: '70000', LOG_LEVEL: 'loud', NODE_ENV: 'prod' }),
    );
    const variables = error.issues.map((issue) => issue.variable).sort();
    expect(variables).toEqual(['LOG_LEVEL', 'NODE_ENV', 'PORT', 'SERVICE_NAME']);
    expect(error.message).toContain('SERVICE_NAME: is required but not set');
    expect(error.message).toContain('PORT: expected a number between 1 and 65535, got "70000"');
    expect(error.message).toMatch(/LOG_LEVEL: .*"info".*got "loud"/);
  });

  it('treats empty strings as unset so defaults apply', () => {
    const config = loadConfig(baseConfigSchema, { ...minimal, HOST: '', LOG_LEVEL: '' });
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('never echoes the value of a secret-looking variable', () => {
    const schema = baseConfigSchema.extend({ JWT_SECRET: z.string().min(32) });
    const error = errorOf(() => loadConfig(schema, { ...minimal, JWT_SECRET: 'short-secret' }));
    expect(error.message).toContain('JWT_SECRET:');
    expect(error.message).toContain('<redacted>');
    expect(error.message).not.toContain('short-secret');
  });

  it('lets apps extend the base schema with typed variables and defaults', () => {
    const schema = baseConfigSchema.extend({
      PORT: envPort().default(3000),
      REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
      FEATURE_X: envBool().default(false),
    });
    const config = loadConfig(schema, { SERVICE_NAME: 'gateway', FEATURE_X: 'yes' });
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.FEATURE_X).toBe(true);
    const error = errorOf(() =>
      loadConfig(schema, { SERVICE_NAME: 'gateway', REDIS_URL: 'http://x' }),
    );
    expect(error.message).toBe(
      'Invalid configuration: REDIS_URL: expected a redis:// or rediss:// URL, got "http://x"',
    );
  });
});

describe('envInt', () => {
  it.each(['12abc', '1e3', '0x10', '1.5', ' '])('rejects %j', (raw) => {
    expect(envInt({ min: 0 }).safeParse(raw).success).toBe(false);
  });

  it('accepts digits within bounds', () => {
    expect(envInt({ min: 0, max: 10 }).parse(' 7 ')).toBe(7);
    expect(envInt({ min: 0, max: 10 }).safeParse('11').success).toBe(false);
  });
});

describe('envQueuePrefix', () => {
  it.each(['{commerce}', 'commerce', 'shop_test-1'])('accepts %j', (raw) => {
    expect(envQueuePrefix().parse(raw)).toBe(raw);
  });

  // A half tag or text after the tag would put BullMQ's keys in other slots than intended.
  it.each(['{commerce', 'commerce}', '{a}b', '{}', 'a:b', '{a:b}'])('rejects %j', (raw) => {
    expect(envQueuePrefix().safeParse(raw).success).toBe(false);
  });
});
