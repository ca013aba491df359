import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits), base64url: 43 characters. */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A presented refresh token as found in the database (none when unknown). */
export type PresentedRefreshToken =
  | { readonly found: false }
  | {
      readonly found: true;
      readonly usedAt: Date | null;
      readonly expiresAt: Date;
      readonly familyRevokedAt: Date | null;
    };

export type RefreshDecision =
  /** Unused, unexpired, family alive: exchange it for a new pair. */
  | 'rotate'
  | 'unknown'
  | 'expired'
  /** Already exchanged: someone holds a copy; revoke the whole family. */
  | 'reused'
  /** The family ended (logout or an earlier reuse). */
  | 'revoked';

/**
 * The fate of a presented refresh token. A dead family wins over everything (there is nothing
 * left to revoke); reuse wins over expiry, because an old copy turning up is evidence of theft
 * whatever its age.
 */
export function decideRefresh(token: PresentedRefreshToken, now: Date): RefreshDecision {
  if (!token.found) return 'unknown';
  if (token.familyRevokedAt !== null) return 'revoked';
  if (token.usedAt !== null) return 'reused';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'rotate';
}

/** Milliseconds until an access token expires: the TTL of its revoked-jti key (0 = nothing to do). */
export function revocationTtlMs(accessExpiresAt: Date, now: Date): number {
  return Math.max(0, accessExpiresAt.getTime() - now.getTime());
}
