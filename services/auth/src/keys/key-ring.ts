import {
  type JsonWebKey,
  type KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
} from 'node:crypto';

/** The public half of an ES256 key as published in the JWKS. */
export interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

/** A key that no longer signs but whose tokens may still be alive. */
export interface RetiredKey {
  readonly kid: string;
  readonly jwk: EcPublicJwk;
  /** When it stopped signing (ISO 8601); absent = published until removed by hand. */
  readonly retiredAt?: string;
}

/** The development/test key ring as kept on disk (never in the repository). */
export interface KeyRingFile {
  readonly version: 1;
  readonly current: {
    readonly kid: string;
    readonly privateJwk: JsonWebKey;
    readonly createdAt: string;
  };
  readonly previous: readonly RetiredKey[];
}

/** Extra time a retired key stays published beyond the longest token lifetime (clock skew). */
export const RETIREMENT_MARGIN_SECONDS = 60;

/**
 * Retired keys still needed: a key retired at T signed its last token at T, which lives until
 * T + maxTokenLifetime; it stays published until then (plus a margin for clock skew).
 */
export function keysStillNeeded(
  retired: readonly RetiredKey[],
  now: Date,
  maxTokenLifetimeSeconds: number,
): RetiredKey[] {
  return retired.filter((key) => {
    if (key.retiredAt === undefined) return true;
    const retiredAt = Date.parse(key.retiredAt);
    if (Number.isNaN(retiredAt)) return true;
    const lastExpiry = retiredAt + (maxTokenLifetimeSeconds + RETIREMENT_MARGIN_SECONDS) * 1000;
    return lastExpiry > now.getTime();
  });
}

/** The ring after `next` takes over signing: the old key retires now, expired ones are dropped. */
export function rotateKeyRing(
  ring: KeyRingFile,
  next: KeyRingFile['current'],
  now: Date,
  maxTokenLifetimeSeconds: number,
): KeyRingFile {
  const retiring: RetiredKey = {
    kid: ring.current.kid,
    jwk: publicJwkOf(privateKeyFromJwk(ring.current.privateJwk)),
    retiredAt: now.toISOString(),
  };
  return {
    version: 1,
    current: next,
    previous: keysStillNeeded([retiring, ...ring.previous], now, maxTokenLifetimeSeconds),
  };
}

/** A fresh P-256 key with its thumbprint as `kid`. */
export function generateRingKey(now: Date): KeyRingFile['current'] {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' });
  return { kid: jwkThumbprint(publicJwkOf(privateKey)), privateJwk, createdAt: now.toISOString() };
}

/** Parses a P-256 private key given as PKCS#8/SEC1 PEM or as a JWK (JSON). */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('{')
    ? createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
    : createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  assertP256(key);
  return key;
}

export function privateKeyFromJwk(jwk: JsonWebKey): KeyObject {
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  assertP256(key);
  return key;
}

/** Parses `AUTH_PREVIOUS_PUBLIC_KEYS`: a JSON array of public JWKs with `kid` (and `retiredAt`). */
export function parseRetiredKeys(text: string): RetiredKey[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of public JWKs');
  return parsed.map((entry: unknown, index) => {
    const jwk = entry as JsonWebKey & { kid?: unknown; retiredAt?: unknown };
    if (typeof jwk.kid !== 'string' || jwk.kid === '') {
      throw new Error(`key ${index + 1} has no "kid"`);
    }
    const retiredAt = jwk.retiredAt;
    if (
      retiredAt !== undefined &&
      (typeof retiredAt !== 'string' || Number.isNaN(Date.parse(retiredAt)))
    ) {
      throw new Error(`key ${index + 1} ("${jwk.kid}") has an invalid "retiredAt"`);
    }
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    assertP256(key);
    return {
      kid: jwk.kid,
      jwk: publicJwkOf(key),
      ...(typeof retiredAt === 'string' ? { retiredAt } : {}),
    };
  });
}

export function publicJwkOf(key: KeyObject): EcPublicJwk {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const { x, y } = publicKey.export({ format: 'jwk' });
  if (!x || !y) throw new Error('not an EC key');
  return { kty: 'EC', crv: 'P-256', x, y };
}

/** RFC 7638 thumbprint (SHA-256, base64url) of an EC public key. */
export function jwkThumbprint(jwk: EcPublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function assertP256(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('expected an EC P-256 key (ES256)');
  }
}
