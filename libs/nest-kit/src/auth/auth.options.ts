import type { FastifyRequest } from 'fastify';

/** What the verifier needs from a Redis client: `EXISTS` on the revoked-jti keys. */
export interface RevocationStore {
  exists(...keys: string[]): Promise<number>;
}

/** A JWKS document as served by the auth service. */
export interface JwksDocument {
  readonly keys: readonly object[];
}

export interface KitAuthOptions {
  /** URL of the auth service's JWKS, e.g. `http://127.0.0.1:3001/auth/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  /**
   * The app's own keys instead of an HTTP GET of `jwksUrl`, read on every lookup (the auth
   * service hands over its key ring). Without it, jose's remote key set fetches and caches.
   */
  readonly fetchJwks?: (url: string) => Promise<JwksDocument>;
  /** Redis client the revoked-jti lookups use; the app owns (and closes) it. */
  readonly redis?: RevocationStore;
  /** Or: a URL, and the module opens (and at shutdown closes) a connection of its own. */
  readonly redisUrl?: string;
  /** Expected `iss`; default JWT_ISSUER. */
  readonly issuer?: string;
  /** Expected `aud`; default JWT_AUDIENCE. */
  readonly audience?: string;
  /** Allowed clock skew for `exp`/`nbf`, seconds (default 5). */
  readonly clockToleranceSeconds?: number;
  /** How long a key fetched from the JWKS is trusted before it is fetched again (default 10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  /**
   * Least time between two JWKS fetches caused by an unknown `kid` (default 30 s): forged tokens
   * with random `kid`s cost at most one fetch per this interval, and a newly published key is
   * accepted within it.
   */
  readonly jwksCooldownMs?: number;
  /** Timeout of one JWKS fetch (default 5000 ms). */
  readonly jwksTimeoutMs?: number;
  /** Timeout of one revocation lookup (default 1000 ms). */
  readonly revocationTimeoutMs?: number;
  /**
   * Keep tokens whose signature and claims verified, so a token presented again skips the
   * signature check (an ECDSA verification per request): off by default. The revoked-jti lookup
   * and the expiry check still run on every request; an entry lives at most `maxAgeMs` (so a key
   * withdrawn from the JWKS stops counting within that time, plus the JWKS cache's own age).
   * For the gateway, which verifies every request of the shop.
   */
  readonly verifiedTokenCache?: { readonly maxEntries: number; readonly maxAgeMs: number };
  /**
   * Requests that need no token although their handler is not marked `@Public()`. The gateway,
   * whose routes are one catch-all proxy, decides here from the method and path.
   */
  readonly isPublic?: (request: FastifyRequest) => boolean;
}

/** Module-level choices that shape the providers, so they cannot come from an async factory. */
export interface KitAuthModuleOptions {
  /**
   * Register the auth guard and RolesGuard as global guards (default true). With `false`, use
   * `@UseGuards(JwtAuthGuard, RolesGuard)` or register your own `APP_GUARD`s.
   */
  readonly globalGuards?: boolean;
  /** A JwtAuthGuard subclass (e.g. overriding `isPublic`) to register globally instead. */
  readonly guard?: new (...args: never[]) => import('./jwt-auth.guard').JwtAuthGuard;
}

export const AUTH_DEFAULTS = {
  clockToleranceSeconds: 5,
  jwksCacheMaxAgeMs: 10 * 60 * 1000,
  jwksCooldownMs: 30_000,
  jwksTimeoutMs: 5000,
  revocationTimeoutMs: 1000,
} as const;
