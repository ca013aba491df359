import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@commerce/nest-kit';
import { authConfigSchema } from '../src/config';
import { KeysService } from '../src/keys/keys.service';
import {
  AuthTestEnvironment,
  type RunningAuth,
  claimsOf,
  errorShape,
  headerOf,
} from './support/auth-app';
import { accessClaims, newEcKey, signEs256, signHs256, signNone } from '@commerce/testing';

async function ringKey(keysDir: string): Promise<{ kid: string; key: KeyObject }> {
  const ring = JSON.parse(await readFile(join(keysDir, 'keyring.json'), 'utf8')) as {
    current: { kid: string; privateJwk: JsonWebKey };
  };
  return {
    kid: ring.current.kid,
    key: createPrivateKey({ key: ring.current.privateJwk, format: 'jwk' }),
  };
}

describe('auth service: access tokens', () => {
  const env = new AuthTestEnvironment();
  let auth: RunningAuth;
  let userId: string;
  let signing: { kid: string; key: KeyObject };

  beforeAll(async () => {
    await env.setUp();
    auth = await env.start();
    userId = (await auth.newUser('tess@example.com')).id;
    signing = await ringKey(env.keysDir);
  });
  afterAll(() => env.tearDown());

  const me = (token?: string, authorization?: string) =>
    auth.request('GET', '/auth/me', {
      ...(token !== undefined ? { token } : {}),
      headers: authorization ? { authorization } : {},
    });

  it('accepts a token the test signs with the service key (the baseline for the cases below)', async () => {
    const res = await me(signEs256(signing.key, signing.kid, accessClaims(userId)));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(userId);
  });

  it.each<[string, () => string | Promise<string | { authorization: string }>, string]>([
    ['missing', () => Promise.resolve({ authorization: '' }), 'TOKEN_MISSING'],
    ['malformed', () => Promise.resolve('not.a.jwt'), 'TOKEN_INVALID'],
    ['not bearer', () => Promise.resolve({ authorization: 'Basic dGVzczpwdw==' }), 'TOKEN_INVALID'],
    [
      'expired',
      () =>
        signEs256(
          signing.key,
          signing.kid,
          accessClaims(userId, {
            iat: Math.floor(Date.now() / 1000) - 1000,
            exp: Math.floor(Date.now() / 1000) - 100,
          }),
        ),
      'TOKEN_EXPIRED',
    ],
    [
      'signed by another key under the real kid',
      () => signEs256(newEcKey(), signing.kid, accessClaims(userId)),
      'TOKEN_INVALID',
    ],
    [
      'signed by an unknown key',
      () => signEs256(newEcKey(), 'unknown-kid', accessClaims(userId)),
      'TOKEN_INVALID',
    ],
    [
      'alg none',
      () => Promise.resolve(signNone(accessClaims(userId), signing.kid)),
      'TOKEN_INVALID',
    ],
    [
      'HS256 with the public key as secret',
      async () => {
        const jwks = await auth.request<{ keys: object[] }>('GET', '/auth/.well-known/jwks.json');
        const { createPublicKey } = await import('node:crypto');
        const pem = createPublicKey({ key: jwks.body.keys[0] as JsonWebKey, format: 'jwk' })
          .export({ format: 'pem', type: 'spki' })
          .toString();
        return signHs256(pem, accessClaims(userId), signing.kid);
      },
      'TOKEN_INVALID',
    ],
    [
      'wrong issuer',
      () => signEs256(signing.key, signing.kid, accessClaims(userId, { iss: 'evil' })),
      'TOKEN_INVALID',
    ],
    [
      'wrong audience',
      () => signEs256(signing.key, signing.kid, accessClaims(userId, { aud: 'other' })),
      'TOKEN_INVALID',
    ],
  ])('answers a %s token with 401 and its code', async (_name, make, code) => {
    const made = await make();
    const res = typeof made === 'string' ? await me(made) : await me(undefined, made.authorization);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(errorShape(401, code));
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('answers a revoked token with 401 TOKEN_REVOKED', async () => {
    const pair = (await auth.login('tess@example.com')).body;
    await auth.request('POST', '/auth/logout', {
      token: pair.accessToken,
      body: { refreshToken: pair.refreshToken },
    });
    const res = await me(pair.accessToken);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(errorShape(401, 'TOKEN_REVOKED'));
  });

  it('keeps verifying tokens of the previous key after a rotation, while the new key signs', async () => {
    const before = (await auth.login('tess@example.com')).body.accessToken;
    const oldKid = headerOf(before).kid;

    const newKid = await auth.app.get(KeysService).rotate();
    expect(newKid).not.toBe(oldKid);

    const after = (await auth.login('tess@example.com')).body.accessToken;
    expect(headerOf(after).kid).toBe(newKid);
    expect((await me(before)).status).toBe(200);
    expect((await me(after)).status).toBe(200);
    const jwks = await auth.request<{ keys: { kid: string }[] }>(
      'GET',
      '/auth/.well-known/jwks.json',
    );
    expect(jwks.body.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // A later start on the same key directory signs with the new key and still accepts the old.
    const restarted = await env.start();
    const fresh = (await restarted.login('tess@example.com')).body.accessToken;
    expect(headerOf(fresh).kid).toBe(newKid);
    expect((await restarted.request('GET', '/auth/me', { token: before })).status).toBe(200);
    expect(claimsOf(fresh).sub).toBe(userId);
  });
});

describe('auth service: keys from the environment (production style)', () => {
  const env = new AuthTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('signs with AUTH_SIGNING_KEY and accepts tokens of AUTH_PREVIOUS_PUBLIC_KEYS', async () => {
    const previous = newEcKey();
    const current = newEcKey();
    const previousPublic = {
      ...createPublicKeyJwk(previous),
      kid: 'previous-key',
      retiredAt: new Date().toISOString(),
    };
    const auth = await env.start({
      NODE_ENV: 'production',
      AUTH_SIGNING_KEY: current.export({ format: 'pem', type: 'pkcs8' }).toString(),
      AUTH_SIGNING_KEY_ID: 'current-key',
      AUTH_PREVIOUS_PUBLIC_KEYS: JSON.stringify([previousPublic]),
    });
    const { id } = await auth.newUser('prod@example.com');
    const issued = (await auth.login('prod@example.com')).body.accessToken;
    expect(headerOf(issued).kid).toBe('current-key');

    const oldToken = signEs256(previous, 'previous-key', accessClaims(id));
    expect((await auth.request('GET', '/auth/me', { token: oldToken })).status).toBe(200);
    const jwks = await auth.request<{ keys: Record<string, unknown>[] }>(
      'GET',
      '/auth/.well-known/jwks.json',
    );
    expect(jwks.body.keys.map((k) => k.kid)).toEqual(['current-key', 'previous-key']);
    expect(jwks.body.keys[1]).not.toHaveProperty('retiredAt');
  });

  it('refuses a production config without a signing key, or with a bad one, naming no secret', () => {
    expect(() => loadConfig(authConfigSchema, { NODE_ENV: 'production' })).toThrow(
      'AUTH_SIGNING_KEY: is required but not set',
    );
    const secretLooking = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg-not-a-key';
    let message = '';
    try {
      loadConfig(authConfigSchema, { NODE_ENV: 'production', AUTH_SIGNING_KEY: secretLooking });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('AUTH_SIGNING_KEY: expected an EC P-256 private key');
    expect(message).not.toContain(secretLooking);
  });
});

function createPublicKeyJwk(key: KeyObject): JsonWebKey {
  const { kty, crv, x, y } = key.export({ format: 'jwk' });
  return { kty, crv, x, y };
}
