import { loadConfig } from '@commerce/nest-kit';
import { analyticsConfigSchema, analyticsProcessorsConfigSchema } from './config';

describe('analytics config', () => {
  it('has working defaults for the API', () => {
    expect(loadConfig(analyticsConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'analytics',
      PORT: 3008,
      BODY_LIMIT_BYTES: 1048576,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: '{commerce}',
      AUTH_JWKS_URL: 'http://127.0.0.1:3001/auth/.well-known/jwks.json',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_analytics',
      DATABASE_POOL_SIZE: 10,
      ANALYTICS_MAX_RANGE_DAYS: 366,
      ANALYTICS_ENQUEUE_TIMEOUT_MS: 2000,
    });
  });

  it('has working defaults for the processor entrypoint', () => {
    expect(loadConfig(analyticsProcessorsConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'analytics-processors',
      PORT: 3009,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: '{commerce}',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_analytics',
      DATABASE_POOL_SIZE: 10,
      ANALYTICS_CONCURRENCY: 10,
      WORKER_LOCK_DURATION_MS: 30000,
      WORKER_STALLED_INTERVAL_MS: 30000,
      WORKER_MAX_STALLED_COUNT: 2,
      WORKER_SHUTDOWN_GRACE_MS: 20000,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(analyticsConfigSchema, { DATABASE_URL: 'mysql://db/x' })).toThrow(
      /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => loadConfig(analyticsConfigSchema, { ANALYTICS_MAX_RANGE_DAYS: 'x' })).toThrow(
      /ANALYTICS_MAX_RANGE_DAYS/,
    );
    expect(() =>
      loadConfig(analyticsProcessorsConfigSchema, { ANALYTICS_CONCURRENCY: '0' }),
    ).toThrow(/ANALYTICS_CONCURRENCY: expected a number between 1 and 1000/);
  });
});
