import { loadConfig } from '@commerce/nest-kit';
import { ordersConfigSchema } from './config';

describe('orders config', () => {
  it('has working defaults', () => {
    const config = loadConfig(ordersConfigSchema, {});
    expect(config).toMatchObject({
      SERVICE_NAME: 'orders',
      PORT: 3003,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_orders',
      PRODUCTS_URL: 'http://127.0.0.1:3002',
      AUTH_JWKS_URL: 'http://127.0.0.1:3001/auth/.well-known/jwks.json',
      PRODUCTS_TIMEOUT_MS: 2000,
      MAX_QUANTITY_PER_ITEM: 99,
      MAX_CART_LINES: 50,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(ordersConfigSchema, { MAX_QUANTITY_PER_ITEM: '0' })).toThrow(
      /MAX_QUANTITY_PER_ITEM: expected a number between 1 and 100000/,
    );
    expect(() => loadConfig(ordersConfigSchema, { PRODUCTS_URL: 'ftp://x' })).toThrow(
      /PRODUCTS_URL/,
    );
  });

  it('checks the Temporal connection at start (TLS, API key, namespace)', () => {
    const config = loadConfig(ordersConfigSchema, {
      TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'shop.a1b2c',
      TEMPORAL_API_KEY: 'cloud-key',
    });
    expect(config.TEMPORAL_NAMESPACE).toBe('shop.a1b2c');
    expect(() =>
      loadConfig(ordersConfigSchema, { TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent.pem' }),
    ).toThrow(/TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read \/nonexistent.pem/);
  });
});
