import { loadConfig } from '@commerce/nest-kit';
import { mailboxAddress, notificationProcessorsConfigSchema } from './processors.config';

describe('notification processors config', () => {
  it('has working defaults', () => {
    expect(loadConfig(notificationProcessorsConfigSchema, {})).toMatchObject({
      SERVICE_NAME: 'notification-processors',
      PORT: 3010,
      MONGO_URL: 'mongodb://127.0.0.1:27017/commerce_notifications',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: '{commerce}',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      MAIL_FROM: 'Commerce <no-reply@commerce.test>',
      SMTP_POOL_SIZE: 5,
      EMAIL_CONCURRENCY: 10,
      EMAIL_CLAIM_LEASE_MS: 60000,
      CAMPAIGN_CONCURRENCY: 50,
      CAMPAIGN_CLAIM_LEASE_MS: 60000,
      WORKER_LOCK_DURATION_MS: 30000,
      WORKER_STALLED_INTERVAL_MS: 30000,
      WORKER_MAX_STALLED_COUNT: 2,
      WORKER_SHUTDOWN_GRACE_MS: 20000,
    });
  });

  it('names a bad variable', () => {
    expect(() =>
      loadConfig(notificationProcessorsConfigSchema, { SMTP_URL: 'http://mail' }),
    ).toThrow(/SMTP_URL: expected a smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => loadConfig(notificationProcessorsConfigSchema, { MAIL_FROM: 'nobody' })).toThrow(
      /MAIL_FROM/,
    );
    expect(() =>
      loadConfig(notificationProcessorsConfigSchema, { EMAIL_CONCURRENCY: '0' }),
    ).toThrow(/EMAIL_CONCURRENCY: expected a number between 1 and 1000/);
  });

  it('reads the address out of MAIL_FROM', () => {
    expect(mailboxAddress('Shop <shop@example.com>')).toBe('shop@example.com');
    expect(mailboxAddress('shop@example.com')).toBe('shop@example.com');
    expect(() => mailboxAddress('Shop')).toThrow();
  });
});
