import { generateKeyPairSync } from 'node:crypto';
import {
  type KeyRingFile,
  type RetiredKey,
  RETIREMENT_MARGIN_SECONDS,
  generateRingKey,
  jwkThumbprint,
  keysStillNeeded,
  parsePrivateKey,
  parseRetiredKeys,
  publicJwkOf,
  rotateKeyRing,
} from './key-ring';

const jwk = publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
const retired = (kid: string, retiredAt?: string): RetiredKey => ({
  kid,
  jwk,
  ...(retiredAt ? { retiredAt } : {}),
});

describe('key rotation pruning', () => {
  const lifetime = 900;
  const now = new Date('2026-01-01T12:00:00Z');
  const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

  it('keeps a retired key until its last token has expired (plus the margin)', () => {
    const edge = lifetime + RETIREMENT_MARGIN_SECONDS;
    const kept = keysStillNeeded(
      [
        retired('fresh', secondsAgo(10)),
        retired('edge', secondsAgo(edge - 1)),
        retired('gone', secondsAgo(edge)),
      ],
      now,
      lifetime,
    );
    expect(kept.map((k) => k.kid)).toEqual(['fresh', 'edge']);
  });

  it('keeps keys without a retirement date (removed by hand)', () => {
    expect(keysStillNeeded([retired('manual')], now, lifetime).map((k) => k.kid)).toEqual([
      'manual',
    ]);
  });

  it('retires the current key on rotation and drops expired ones', () => {
    const first = generateRingKey(now);
    const ring: KeyRingFile = {
      version: 1,
      current: first,
      previous: [retired('ancient', secondsAgo(100_000)), retired('recent', secondsAgo(60))],
    };
    const next = generateRingKey(now);
    const rotated = rotateKeyRing(ring, next, now, lifetime);
    expect(rotated.current).toBe(next);
    expect(rotated.previous.map((k) => k.kid)).toEqual([first.kid, 'recent']);
    expect(rotated.previous[0]?.retiredAt).toBe(now.toISOString());
    expect(rotated.previous[0]?.jwk).not.toHaveProperty('d');
  });

  it('names generated keys by their RFC 7638 thumbprint', () => {
    const key = generateRingKey(now);
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.kid).toBe(
      jwkThumbprint(publicJwkOf(parsePrivateKey(JSON.stringify(key.privateJwk)))),
    );
  });
});

describe('key parsing', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('reads P-256 private keys as PEM (also with escaped newlines) or JWK', () => {
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const expected = publicJwkOf(privateKey);
    expect(publicJwkOf(parsePrivateKey(pem))).toEqual(expected);
    expect(publicJwkOf(parsePrivateKey(pem.replace(/\n/g, '\\n')))).toEqual(expected);
    expect(
      publicJwkOf(parsePrivateKey(JSON.stringify(privateKey.export({ format: 'jwk' })))),
    ).toEqual(expected);
  });

  it('refuses other curves and key types', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => parsePrivateKey(p384.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /P-256/,
    );
    expect(() => parsePrivateKey(rsa.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /P-256/,
    );
  });

  it('reads retired public keys and insists on a kid and a valid date', () => {
    expect(
      parseRetiredKeys(JSON.stringify([{ ...jwk, kid: 'a', retiredAt: '2026-01-01T00:00:00Z' }])),
    ).toEqual([{ kid: 'a', jwk, retiredAt: '2026-01-01T00:00:00Z' }]);
    expect(() => parseRetiredKeys(JSON.stringify([jwk]))).toThrow(/kid/);
    expect(() =>
      parseRetiredKeys(JSON.stringify([{ ...jwk, kid: 'a', retiredAt: 'soon' }])),
    ).toThrow(/retiredAt/);
    expect(() => parseRetiredKeys('{}')).toThrow(/array/);
  });
});
