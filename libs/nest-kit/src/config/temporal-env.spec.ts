import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigValidationError, loadConfig } from './load-config';
import {
  checkTemporalConnection,
  temporalConnectionEnv,
  temporalConnectionOptions,
} from './temporal-env';

// A self-signed certificate and its P-256 key made for these tests only (openssl req -x509).
const CERT_PATH = join(__dirname, 'fixtures', 'test-client.crt');
const KEY_PATH = join(__dirname, 'fixtures', 'test-client.key');
const CERT = readFileSync(CERT_PATH, 'utf8');
const KEY = readFileSync(KEY_PATH, 'utf8');

const schema = z.object(temporalConnectionEnv).superRefine(checkTemporalConnection);
const load = (env: Record<string, string>) => loadConfig(schema, env);
const optionsOf = (env: Record<string, string>) => temporalConnectionOptions(load(env));

function problems(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('temporalConnectionOptions', () => {
  it('is plain gRPC to the local server in the default namespace by default', () => {
    const config = load({});
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(temporalConnectionOptions(config)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('turns TLS on with the system CAs when TEMPORAL_TLS is true', () => {
    expect(optionsOf({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS: 'true' })).toEqual(
      { address: 'temporal.internal:7233', tls: {} },
    );
  });

  it('maps mTLS files to the server CA, the client pair and the server name', () => {
    const options = optionsOf({
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: CERT_PATH,
      TEMPORAL_TLS_CLIENT_CERT_PATH: CERT_PATH,
      TEMPORAL_TLS_CLIENT_KEY_PATH: KEY_PATH,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal',
    });
    expect(options.tls?.serverNameOverride).toBe('frontend.temporal');
    expect(options.tls?.serverRootCACertificate?.toString()).toBe(CERT);
    expect(options.tls?.clientCertPair?.crt.toString()).toBe(CERT);
    expect(options.tls?.clientCertPair?.key.toString()).toBe(KEY);
    expect(options.apiKey).toBeUndefined();
  });

  it('takes the PEM as text too, with newlines escaped as \\n by a secret store', () => {
    const options = optionsOf({
      TEMPORAL_TLS_CLIENT_CERT_DATA: CERT,
      TEMPORAL_TLS_CLIENT_KEY_DATA: KEY.replace(/\n/g, '\\n'),
    });
    expect(options.tls?.clientCertPair?.crt.toString()).toBe(CERT);
    expect(options.tls?.clientCertPair?.key.toString()).toBe(KEY);
    expect(options.tls?.serverRootCACertificate).toBeUndefined();
  });

  it('sends an API key over TLS for Temporal Cloud, with the metadata', () => {
    expect(
      optionsOf({
        TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'shop.a1b2c',
        TEMPORAL_API_KEY: 'cloud-api-key',
        TEMPORAL_GRPC_METADATA: 'x-team=checkout, X-Region = eu',
      }),
    ).toEqual({
      address: 'shop.a1b2c.tmprl.cloud:7233',
      tls: {},
      apiKey: 'cloud-api-key',
      metadata: { 'x-team': 'checkout', 'x-region': 'eu' },
    });
  });
});

describe('temporalConnectionEnv checks', () => {
  it('names an unreadable file and a file that is not PEM', () => {
    const message = problems({
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem',
      TEMPORAL_TLS_CLIENT_CERT_PATH: KEY_PATH,
      TEMPORAL_TLS_CLIENT_KEY_PATH: KEY_PATH,
    });
    expect(message).toContain(
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read /nonexistent/ca.pem (ENOENT)',
    );
    expect(message).toContain('TEMPORAL_TLS_CLIENT_CERT_PATH: expected a PEM certificate');
  });

  it('never echoes key text that does not parse', () => {
    const message = problems({
      TEMPORAL_TLS_CLIENT_CERT_DATA: CERT,
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'not-a-key-secret',
    });
    expect(message).toContain('TEMPORAL_TLS_CLIENT_KEY_DATA: expected a PEM private key');
    expect(message).not.toContain('not-a-key-secret');
  });

  it('wants the client certificate and key together', () => {
    expect(problems({ TEMPORAL_TLS_CLIENT_CERT_PATH: CERT_PATH })).toBe(
      'Invalid configuration: TEMPORAL_TLS_CLIENT_CERT_PATH: needs the client key too ' +
        `(TEMPORAL_TLS_CLIENT_KEY_PATH or TEMPORAL_TLS_CLIENT_KEY_DATA), got "${CERT_PATH}"`,
    );
    expect(problems({ TEMPORAL_TLS_CLIENT_KEY_DATA: KEY })).toContain(
      'TEMPORAL_TLS_CLIENT_KEY_DATA: needs the client certificate too',
    );
  });

  it('refuses a file and text for the same item', () => {
    expect(
      problems({
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: CERT_PATH,
        TEMPORAL_TLS_SERVER_CA_CERT_DATA: CERT,
      }),
    ).toContain(
      'TEMPORAL_TLS_SERVER_CA_CERT_DATA: set either TEMPORAL_TLS_SERVER_CA_CERT_PATH or ' +
        'TEMPORAL_TLS_SERVER_CA_CERT_DATA, not both',
    );
  });

  it('refuses TLS settings or an API key with TEMPORAL_TLS=false', () => {
    expect(problems({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' })).toBe(
      'Invalid configuration: TEMPORAL_TLS: is false, but TEMPORAL_API_KEY need TLS, got "false"',
    );
  });

  it('refuses an Authorization header beside the API key', () => {
    expect(
      problems({ TEMPORAL_API_KEY: 'k', TEMPORAL_GRPC_METADATA: 'authorization=Bearer x' }),
    ).toContain(
      'TEMPORAL_GRPC_METADATA: must not set authorization together with TEMPORAL_API_KEY',
    );
  });

  it.each([
    ['TEMPORAL_ADDRESS', 'http://temporal:7233'],
    ['TEMPORAL_NAMESPACE', 'my namespace'],
    ['TEMPORAL_TLS', 'maybe'],
    ['TEMPORAL_GRPC_METADATA', 'grpc-timeout=1'],
    ['TEMPORAL_GRPC_METADATA', 'novalue'],
  ])('rejects %s=%j, naming it', (variable, value) => {
    expect(problems({ [variable]: value })).toContain(`${variable}: `);
  });
});
