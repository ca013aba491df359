import { JWT_AUDIENCE, JWT_ISSUER } from '@commerce/contracts';
import {
  type KeyObject,
  createHmac,
  generateKeyPairSync,
  randomUUID,
  sign as cryptoSign,
} from 'node:crypto';

/** An ES256 key pair with its public JWK, as the auth service publishes it. */
export interface TestSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

export function generateSigningKey(kid: string = randomUUID()): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

export interface TestClaims {
  sub?: string;
  jti?: string;
  /** Usually Role[]; anything else makes an invalid token. */
  roles?: unknown;
  email?: string;
  iss?: string;
  aud?: string;
  iat?: number;
  exp?: number;
  [claim: string]: unknown;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a valid token (15 minutes left) with `overrides` applied; `undefined` removes one. */
export function claims(overrides: TestClaims = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const merged: Record<string, unknown> = {
    sub: randomUUID(),
    jti: randomUUID(),
    roles: ['CUSTOMER'],
    email: 'ada@example.com',
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now,
    exp: now + 900,
    ...overrides,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
}

/** A JWS signed with node:crypto, so tests control every byte (alg, kid, signature). */
export function signEs256(
  key: Pick<TestSigningKey, 'kid' | 'privateKey'>,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid: key.kid, ...header })}.${b64(payload)}`;
  const signature = cryptoSign('sha256', Buffer.from(input), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

/** `alg: none`, no signature. */
export function signNone(payload: Record<string, unknown>, kid?: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(payload)}.`;
}

/** HS256 with `secret` (the classic confusion: the public key's PEM used as an HMAC secret). */
export function signHs256(secret: string, payload: Record<string, unknown>, kid?: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A revocation store in memory (stands in for Redis `EXISTS`). */
export class MemoryRevocationStore {
  readonly keys = new Set<string>();
  failing = false;

  exists(...keys: string[]): Promise<number> {
    if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    return Promise.resolve(keys.filter((key) => this.keys.has(key)).length);
  }
}
