import { loadConfig } from '@commerce/nest-kit';
import { notificationsConfigSchema } from './config';

describe('notifications config', () => {
  it('has working defaults', () => {
    expect(loadConfig(notificationsConfigSchema, { NODE_ENV: 'development' })).toMatchObject({
      SERVICE_NAME: 'notifications',
      PORT: 3005,
      MONGO_URL: 'mongodb://127.0.0.1:27017/commerce_notifications',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: '{commerce}',
      AUTH_JWKS_URL: 'http://127.0.0.1:3001/auth/.well-known/jwks.json',
      EMAIL_ATTEMPTS: 8,
      EMAIL_BACKOFF_MS: 5000,
      REQUEUE_AFTER_MS: 60000,
      AUTH_URL: 'http://127.0.0.1:3001',
      SERVICE_CLIENT_ID: 'notifications',
      SERVICE_CLIENT_SECRET: 'dev-notifications-secret',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000/api',
      CAMPAIGN_FANOUT_PAGE_SIZE: 1000,
    });
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadConfig(notificationsConfigSchema, {})).toThrow(/CAMPAIGN_UNSUBSCRIBE_SECRET/);
    expect(() =>
      loadConfig(notificationsConfigSchema, {
        CAMPAIGN_UNSUBSCRIBE_SECRET: 'a-production-secret-of-some-length',
        SERVICE_CLIENT_SECRET: 'another-production-secret',
      }),
    ).not.toThrow();
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(notificationsConfigSchema, { MONGO_URL: 'postgres://x' })).toThrow(
      /MONGO_URL: expected a mongodb:\/\/ or mongodb\+srv:\/\/ URL/,
    );
    expect(() => loadConfig(notificationsConfigSchema, { QUEUE_PREFIX: 'a:b' })).toThrow(
      /QUEUE_PREFIX/,
    );
    expect(() => loadConfig(notificationsConfigSchema, { EMAIL_ATTEMPTS: '0' })).toThrow(
      /EMAIL_ATTEMPTS: expected a number between 1 and 100/,
    );
  });
});
