import {
  type PresentedRefreshToken,
  decideRefresh,
  generateRefreshToken,
  hashRefreshToken,
  revocationTtlMs,
} from './refresh-rotation';

describe('refresh rotation decisions', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const later = new Date('2026-01-02T12:00:00Z');
  const earlier = new Date('2026-01-01T11:00:00Z');
  const token = (overrides: Partial<Extract<PresentedRefreshToken, { found: true }>> = {}) =>
    ({ found: true, usedAt: null, expiresAt: later, familyRevokedAt: null, ...overrides }) as const;

  it('rotates an unused, unexpired token of a live family', () => {
    expect(decideRefresh(token(), now)).toBe('rotate');
  });

  it('reports an unknown token', () => {
    expect(decideRefresh({ found: false }, now)).toBe('unknown');
  });

  it('treats a used token as reuse, even once it has expired', () => {
    expect(decideRefresh(token({ usedAt: earlier }), now)).toBe('reused');
    expect(decideRefresh(token({ usedAt: earlier, expiresAt: earlier }), now)).toBe('reused');
  });

  it('reports expiry at the exact expiry instant', () => {
    expect(decideRefresh(token({ expiresAt: now }), now)).toBe('expired');
    expect(decideRefresh(token({ expiresAt: new Date(now.getTime() + 1) }), now)).toBe('rotate');
  });

  it('puts a revoked family before everything else', () => {
    expect(decideRefresh(token({ familyRevokedAt: earlier, usedAt: earlier }), now)).toBe(
      'revoked',
    );
    expect(decideRefresh(token({ familyRevokedAt: earlier, expiresAt: earlier }), now)).toBe(
      'revoked',
    );
  });

  it('generates 256-bit tokens and stores only their SHA-256', () => {
    const a = generateRefreshToken();
    const b = generateRefreshToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(hashRefreshToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(a)).toBe(hashRefreshToken(a));
    expect(hashRefreshToken(a)).not.toContain(a);
  });

  it('keeps a revoked jti exactly as long as its access token lives', () => {
    expect(revocationTtlMs(new Date(now.getTime() + 90_000), now)).toBe(90_000);
    expect(revocationTtlMs(earlier, now)).toBe(0);
  });
});
