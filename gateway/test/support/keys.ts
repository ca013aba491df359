import { JWT_AUDIENCE, JWT_ISSUER } from '@commerce/contracts';
import { type JWK, type KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';

/** An ES256 key pair and its JWKS entry, as the auth service publishes it. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly jwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateKey, jwk };
}

export interface TokenOptions {
  sub?: string;
  jti?: string;
  roles?: string[];
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

/** An access token as the auth service issues it. */
export async function signAccessToken(key: SigningKey, options: TokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: options.roles ?? ['CUSTOMER'], email: 'ada@example.com' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(options.sub ?? randomUUID())
    .setJti(options.jti ?? randomUUID())
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 900))
    .sign(key.privateKey);
}

/** The same claims with `alg: none` and no signature. */
export function unsignedToken(kid: string): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64({
    sub: randomUUID(),
    jti: randomUUID(),
    roles: ['CUSTOMER'],
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now,
    exp: now + 900,
  })}.`;
}
