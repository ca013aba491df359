import { loadConfig } from '@commerce/nest-kit';
import { mailboxAddress, workersConfigSchema } from './config';

describe('workers config', () => {
  it('has working defaults', () => {
    expect(loadConfig(workersConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'workers',
      PORT: 3006,
      MONGO_URL: 'mongodb://127.0.0.1:27017/commerce_notifications',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'commerce',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      MAIL_FROM: 'Commerce <no-reply@commerce.test>',
      SMTP_POOL_SIZE: 5,
      EMAIL_CONCURRENCY: 10,
      EMAIL_CLAIM_LEASE_MS: 60000,
      WORKER_LOCK_DURATION_MS: 30000,
      WORKER_STALLED_INTERVAL_MS: 30000,
      WORKER_MAX_STALLED_COUNT: 2,
      WORKER_SHUTDOWN_GRACE_MS: 20000,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(workersConfigSchema, { SMTP_URL: 'http://mail' })).toThrow(
      /SMTP_URL: expected a smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig(workersConfigSchema, { MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig(workersConfigSchema, { EMAIL_CONCURRENCY: '0' })).toThrow(
      /EMAIL_CONCURRENCY: expected a number between 1 and 1000/,
    );
  });

  it('reads the address out of MAIL_FROM', () => {
    expect(mailboxAddress('Shop <shop@example.com>')).toBe('shop@example.com');
    expect(mailboxAddress('shop@example.com')).toBe('shop@example.com');
    expect(() => mailboxAddress('Shop')).toThrow();
  });
});

describe('workers config: analytics and auth', () => {
  it('has working defaults', () => {
    expect(loadConfig(workersConfigSchema, {})).toMatchObject({
      AUTH_JWKS_URL: 'http://127.0.0.1:3001/auth/.well-known/jwks.json',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_analytics',
      DATABASE_POOL_SIZE: 10,
      ANALYTICS_CONCURRENCY: 10,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(workersConfigSchema, { DATABASE_URL: 'mysql://db/x' })).toThrow(
      /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => loadConfig(workersConfigSchema, { ANALYTICS_CONCURRENCY: '0' })).toThrow(
      /ANALYTICS_CONCURRENCY: expected a number between 1 and 1000/,
    );
  });
});
