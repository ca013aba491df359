import { JWT_AUDIENCE, JWT_ISSUER } from '@commerce/contracts';
import { SignJWT } from 'jose';
import { type KeyObject, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';

/** Claims of a well-formed access token for `sub`, with `overrides`. */
export function accessClaims(sub: string, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    jti: randomUUID(),
    roles: ['CUSTOMER'],
    email: 'someone@example.com',
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

/** Signs ES256 with any key (jose checks nothing about who the key belongs to). */
export function signEs256(
  key: KeyObject,
  kid: string,
  claims: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(key);
}

export function newEcKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signNone(claims: Record<string, unknown>, kid: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claims)}.`;
}

export function signHs256(secret: string, claims: Record<string, unknown>, kid: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
