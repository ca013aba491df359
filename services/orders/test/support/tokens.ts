import { JWT_AUDIENCE, JWT_ISSUER, type Role } from '@commerce/contracts';
import { type KeyObject, generateKeyPairSync, randomUUID, sign } from 'node:crypto';

/** An ES256 key pair with its public JWK, as the auth service publishes it in its JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An access token as the auth service issues it (ES256, `kid` in the header). */
export function signAccessToken(
  key: SigningKey,
  sub: string,
  roles: Role[] = ['CUSTOMER'],
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub,
    jti: randomUUID(),
    roles,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now - 5,
    exp: now + 900,
  };
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid: key.kid })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}
