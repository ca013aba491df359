import { loadConfig } from '@commerce/nest-kit';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { z } from 'zod';
import { envPostgresUrl } from './postgres-url';
import { postgresOptions } from './postgres.module';

const schema = z.object({ DATABASE_URL: envPostgresUrl() });
const load = (url: string) => loadConfig(schema, { DATABASE_URL: url });

/** The TLS options node-postgres ends up with for what postgresOptions gives TypeORM. */
function tlsOf(url: string): unknown {
  const options = postgresOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 1 }, { migrations: [] });
  if (options.type !== 'postgres' || options.url === undefined) throw new Error('no url');
  // TypeORM builds the pool from { connectionString: url, ssl: undefined, ...extra }.
  const extra = options.extra as Record<string, unknown>;
  const client = new Client({ connectionString: options.url, ssl: undefined, ...extra });
  return (client as unknown as { connectionParameters: { ssl: unknown } }).connectionParameters.ssl;
}

describe('DATABASE_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-url-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n');

  it('is plain TCP without TLS parameters', () => {
    expect(tlsOf('postgres://app@db:5432/shop')).toBe(false);
  });

  it('turns TLS on with certificate checks for sslmode=verify-full, with a private CA', () => {
    expect(tlsOf('postgres://app@db/shop?sslmode=verify-full')).toEqual({});
    expect(tlsOf(`postgresql://app:pw@db/shop?sslmode=verify-full&sslrootcert=${ca}`)).toEqual({
      ca: '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n',
    });
  });

  it('encrypts without checking for sslmode=no-verify, and not at all for disable', () => {
    expect(tlsOf('postgres://app@db/shop?sslmode=no-verify')).toEqual({
      rejectUnauthorized: false,
    });
    expect(tlsOf('postgres://app@db/shop?sslmode=disable')).toBe(false);
  });

  it('accepts the URL forms of a managed database', () => {
    for (const url of [
      'postgres://app:p%40ss@db.example.com:6432/shop?sslmode=verify-full',
      `postgresql://app@db/shop?sslmode=verify-full&sslrootcert=${ca}&application_name=orders`,
      'postgres://app@db/shop?uselibpqcompat=true&sslmode=require',
    ]) {
      expect(load(url).DATABASE_URL).toBe(url);
    }
  });

  it('names the variable for a bad mode, an unreadable file or another scheme', () => {
    expect(() => load('postgres://db/shop?sslmode=verify')).toThrow(
      /DATABASE_URL: expected sslmode to be one of disable, prefer, require, verify-ca, verify-full, no-verify/,
    );
    expect(() =>
      load('postgres://db/shop?sslmode=verify-full&sslrootcert=/nonexistent.pem'),
    ).toThrow(/DATABASE_URL: cannot read \/nonexistent.pem \(ENOENT\)/);
    expect(() => load('mysql://db/shop')).toThrow(
      /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/,
    );
  });
});

describe('session settings', () => {
  const extraOf = (sessionSettings?: Record<string, string>) =>
    postgresOptions(
      { DATABASE_URL: 'postgres://app@db/shop', DATABASE_POOL_SIZE: 1 },
      { migrations: [], ...(sessionSettings ? { sessionSettings } : {}) },
    ).extra as Record<string, unknown>;

  it('are sent as startup options of every connection', () => {
    expect(extraOf({ plan_cache_mode: 'force_custom_plan', jit: 'off' }).options).toBe(
      '-c plan_cache_mode=force_custom_plan -c jit=off',
    );
    expect(extraOf()).not.toHaveProperty('options');
  });

  it('refuse a value that would smuggle another option in', () => {
    expect(() => extraOf({ jit: 'off -c role=postgres' })).toThrow(/plain words/);
  });
});
