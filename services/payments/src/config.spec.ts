import { loadConfig } from '@commerce/nest-kit';
import {
  paymentsConfigSchema,
  providerKind,
  serviceClientSecret,
  stripeApiUrl,
  stripeSecretKey,
  webhookSecret,
} from './config';

describe('payments config', () => {
  it('has working defaults outside production', () => {
    const config = loadConfig(paymentsConfigSchema, { NODE_ENV: 'development' });
    expect(config).toMatchObject({
      SERVICE_NAME: 'payments',
      PORT: 3004,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_payments',
      ORDERS_URL: 'http://127.0.0.1:3003',
      AUTH_URL: 'http://127.0.0.1:3001',
      SERVICE_CLIENT_ID: 'payments',
      STRIPE_WEBHOOK_TOLERANCE_SECONDS: 300,
      BREAKER_ERROR_THRESHOLD_PERCENT: 50,
    });
    expect(providerKind(config)).toBe('test');
    expect(stripeApiUrl(config)).toBe('http://127.0.0.1:12111');
    expect(stripeSecretKey(config)).toBe('sk_test_123');
    expect(webhookSecret(config)).toBe('whsec_dev_commerce');
    expect(serviceClientSecret(config)).toBe('dev-payments-secret');
  });

  it('uses Stripe in production and requires its secrets there', () => {
    expect(() => loadConfig(paymentsConfigSchema, { NODE_ENV: 'production' })).toThrow(
      /STRIPE_SECRET_KEY: is required.*STRIPE_WEBHOOK_SECRET: is required.*SERVICE_CLIENT_SECRET: is required/,
    );
    const config = loadConfig(paymentsConfigSchema, {
      NODE_ENV: 'production',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_live',
      SERVICE_CLIENT_SECRET: 'a-long-enough-secret',
    });
    expect(providerKind(config)).toBe('stripe');
    expect(stripeApiUrl(config)).toBeUndefined();
  });

  it('refuses the test provider in production, without echoing secrets', () => {
    let message = '';
    try {
      loadConfig(paymentsConfigSchema, {
        NODE_ENV: 'production',
        PAYMENT_PROVIDER: 'test',
        STRIPE_WEBHOOK_SECRET: 'whsec_live',
        ORDERS_URL: 'none',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PAYMENT_PROVIDER: must not be "test" in production/);
    expect(message).not.toContain('whsec_live');
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(paymentsConfigSchema, { PAYMENT_PROVIDER: 'paypal' })).toThrow(
      /PAYMENT_PROVIDER/,
    );
    expect(() => loadConfig(paymentsConfigSchema, { ORDERS_URL: 'ftp://x' })).toThrow(/ORDERS_URL/);
    expect(() =>
      loadConfig(paymentsConfigSchema, {
        BREAKER_TIMEOUT_MS: '90000',
        CHARGE_CLAIM_TTL_MS: '60000',
      }),
    ).toThrow(/CHARGE_CLAIM_TTL_MS: must be longer than BREAKER_TIMEOUT_MS/);
  });

  it('accepts ORDERS_URL=none', () => {
    expect(
      loadConfig(paymentsConfigSchema, { NODE_ENV: 'test', ORDERS_URL: 'none' }).ORDERS_URL,
    ).toBe('none');
  });
});
