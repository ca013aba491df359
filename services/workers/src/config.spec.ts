import { loadConfig } from '@commerce/nest-kit';
import { workersConfigSchema } from './config';

describe('workers config', () => {
  it("passes the notifications processors' variables through to them", () => {
    expect(loadConfig(workersConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'workers',
      PORT: 3006,
      MONGO_URL: 'mongodb://127.0.0.1:27017/commerce_notifications',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      WORKER_LOCK_DURATION_MS: 30000,
    });
    expect(loadConfig(workersConfigSchema, { EMAIL_CLAIM_LEASE_MS: '5000' })).toMatchObject({
      EMAIL_CLAIM_LEASE_MS: 5000,
    });
    expect(() => loadConfig(workersConfigSchema, { MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
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
