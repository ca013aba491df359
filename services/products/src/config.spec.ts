import { loadConfig } from '@commerce/nest-kit';
import { productsConfigSchema } from './config';

describe('products config', () => {
  it('has working defaults', () => {
    const config = loadConfig(productsConfigSchema, { NODE_ENV: 'development' });
    expect(config).toMatchObject({
      SERVICE_NAME: 'products',
      PORT: 3002,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/commerce_products',
      AUTH_JWKS_URL: 'http://127.0.0.1:3001/auth/.well-known/jwks.json',
      SEED_CATALOG: false,
      RESERVATION_TTL_SECONDS: 7200,
      RESERVATION_SWEEP_INTERVAL_MS: 30_000,
      ORDERS_URL: 'http://127.0.0.1:3003',
      SERVICE_CLIENT_ID: 'products',
    });
  });

  it('refuses the development service secret in production', () => {
    expect(() =>
      loadConfig(productsConfigSchema, { NODE_ENV: 'production', LOG_LEVEL: 'info' }),
    ).toThrow(/SERVICE_CLIENT_SECRET/);
    expect(
      loadConfig(productsConfigSchema, {
        NODE_ENV: 'production',
        SERVICE_CLIENT_SECRET: 'a-secret-of-its-own',
      }).SERVICE_CLIENT_SECRET,
    ).toBe('a-secret-of-its-own');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig(productsConfigSchema, { RESERVATION_TTL_SECONDS: '0' })).toThrow(
      /RESERVATION_TTL_SECONDS/,
    );
    expect(() => loadConfig(productsConfigSchema, { SEED_CATALOG: 'maybe' })).toThrow(
      /SEED_CATALOG/,
    );
  });
});
