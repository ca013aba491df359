import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import {
  type AccessTokenClaims,
  type AuthUser,
  JWT_AUDIENCE,
  JWT_ISSUER,
  Role,
  revokedJtiKey,
} from '@commerce/contracts';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import {
  type JWTVerifyGetKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error';
import { withTimeout } from '../health/with-timeout';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { KIT_AUTH_OPTIONS } from './auth.constants';
import { AuthErrors } from './auth.errors';
import { AUTH_DEFAULTS, type KitAuthOptions, type RevocationStore } from './auth.options';

/** Anything with HTTP headers: a Fastify request, a Node IncomingMessage. */
export interface RequestWithHeaders {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const ROLES = new Set<string>(Object.values(Role));
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Verifies access tokens with `jose`: ES256 only, `iss`/`aud` checked, the key from the auth
 * service's JWKS through jose's remote key set. That set fetches on a cold or stale cache and,
 * for a `kid` it does not know, at most once per cooldown (JWKS_COOLDOWN_MS) whatever the
 * traffic; concurrent requests share one fetch. So forged tokens with random `kid`s cost no
 * fetches beyond that bound, and a token signed by a cached key never waits on them. Then the
 * claims' shape and the revoked-jti key in Redis. Failures are AppErrors (401 TOKEN_*, or 503
 * AUTH_UNAVAILABLE).
 */
@Injectable()
export class JwtVerifier implements OnApplicationShutdown {
  private readonly revocation: RevocationStore;
  private readonly ownedRedis: Redis | undefined;
  private readonly revocationTimeoutMs: number;
  private readonly getKey: JWTVerifyGetKey;
  private readonly issuer: string;
  private readonly audience: string;
  private readonly clockTolerance: number;
  /** Tokens whose signature and claims verified (verifiedTokenCache), by their exact text. */
  private readonly verified: LRUCache<string, AuthUser> | undefined;
  private readonly verifiedMaxAgeMs: number;

  constructor(
    @Inject(KIT_AUTH_OPTIONS) options: KitAuthOptions,
    @Optional() @Inject(ROOT_LOGGER) logger?: Logger,
  ) {
    if (options.redis) {
      this.revocation = options.redis;
    } else if (options.redisUrl) {
      this.ownedRedis = createRevocationClient(options.redisUrl, logger);
      this.revocation = this.ownedRedis;
    } else {
      throw new Error('KitAuthModule: set `redis` or `redisUrl` (revoked tokens are kept there)');
    }
    this.revocationTimeoutMs = options.revocationTimeoutMs ?? AUTH_DEFAULTS.revocationTimeoutMs;
    this.getKey = createKeyResolver(options);
    this.issuer = options.issuer ?? JWT_ISSUER;
    this.audience = options.audience ?? JWT_AUDIENCE;
    this.clockTolerance = options.clockToleranceSeconds ?? AUTH_DEFAULTS.clockToleranceSeconds;
    const cache = options.verifiedTokenCache;
    this.verified = cache ? new LRUCache({ max: cache.maxEntries }) : undefined;
    this.verifiedMaxAgeMs = cache?.maxAgeMs ?? 0;
  }

  /** The caller of `request`, or an AppError (401 TOKEN_*, 503 AUTH_UNAVAILABLE). */
  async verifyRequest(request: RequestWithHeaders): Promise<AuthUser> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw AuthErrors.missing();
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw AuthErrors.invalid("Authorization header must be 'Bearer <token>'");
    return this.verifyToken(token);
  }

  /** Same as `verifyRequest` for a bare token. */
  async verifyToken(token: string): Promise<AuthUser> {
    const user = this.cachedUser(token) ?? (await this.verifySignedClaims(token));
    await this.checkRevocation(user.jti);
    return user;
  }

  /**
   * A cached verification of exactly this token. Entries leave the cache when the token expires,
   * but the cache keeps monotonic time: `exp` is checked against the clock here as well, and a
   * token past it goes through the full verification, which answers 401 TOKEN_EXPIRED.
   */
  private cachedUser(token: string): AuthUser | undefined {
    const user = this.verified?.get(token);
    if (user === undefined) return undefined;
    if ((user.exp + this.clockTolerance) * 1000 > Date.now()) return copyOf(user);
    this.verified?.delete(token);
    return undefined;
  }

  private async verifySignedClaims(token: string): Promise<AuthUser> {
    checkHeader(token);
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: ['ES256'],
        issuer: this.issuer,
        audience: this.audience,
        clockTolerance: this.clockTolerance,
      }));
    } catch (error) {
      throw joseToAuthError(error);
    }
    const user = userOf(payload);
    if (this.verified) {
      const untilExpiry = (user.exp + this.clockTolerance) * 1000 - Date.now();
      const ttl = Math.min(this.verifiedMaxAgeMs, untilExpiry);
      if (ttl > 0) this.verified.set(token, copyOf(user), { ttl });
    }
    return user;
  }

  private async checkRevocation(jti: string): Promise<void> {
    let revoked: number;
    try {
      revoked = await withTimeout(
        () => this.revocation.exists(revokedJtiKey(jti)),
        this.revocationTimeoutMs,
      );
    } catch (error) {
      throw AuthErrors.unavailable('revocation store', error);
    }
    if (revoked > 0) throw AuthErrors.revoked();
  }

  onApplicationShutdown(): void {
    this.ownedRedis?.disconnect();
  }
}

/** The caller named by verified claims, or 401 when they lack what an access token carries. */
function userOf(payload: unknown): AuthUser {
  const claims = payload as Partial<Record<keyof AccessTokenClaims, unknown>>;
  const { sub, jti, exp, roles, email } = claims;
  if (
    typeof sub !== 'string' ||
    sub === '' ||
    typeof jti !== 'string' ||
    jti === '' ||
    typeof exp !== 'number' ||
    !Array.isArray(roles) ||
    !roles.every((role) => typeof role === 'string' && ROLES.has(role)) ||
    (email !== undefined && typeof email !== 'string')
  ) {
    throw AuthErrors.invalid('Access token claims are incomplete');
  }
  return {
    id: sub,
    ...(email !== undefined ? { email } : {}),
    roles: roles as Role[],
    jti,
    exp,
  };
}

/** A copy, so no caller can change what the cache hands to the next request. */
function copyOf(user: AuthUser): AuthUser {
  return { ...user, roles: [...user.roles] };
}

/** Refuses before any key lookup what could never verify: not ES256, or no `kid`. */
function checkHeader(token: string): void {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw AuthErrors.invalid('Access token is malformed');
  }
  if (token.split('.').length !== 3) throw AuthErrors.invalid('Access token is malformed');
  if (header.alg !== 'ES256') throw AuthErrors.invalid('Access token algorithm is not accepted');
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw AuthErrors.invalid('Access token has no key id');
  }
}

/**
 * jose's remote key set for the JWKS URL; or, when the app hands over its own keys (`fetchJwks`,
 * the auth service), a local set built from them on each lookup (no network involved).
 */
function createKeyResolver(options: KitAuthOptions): JWTVerifyGetKey {
  const { fetchJwks } = options;
  if (fetchJwks) {
    return async (header, token) => {
      let jwks: Awaited<ReturnType<typeof fetchJwks>>;
      try {
        jwks = await fetchJwks(options.jwksUrl);
      } catch (error) {
        throw AuthErrors.unavailable('JWKS', error);
      }
      return createLocalJWKSet({ keys: [...jwks.keys] as never[] })(header, token);
    };
  }
  return createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.jwksCooldownMs ?? AUTH_DEFAULTS.jwksCooldownMs,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? AUTH_DEFAULTS.jwksCacheMaxAgeMs,
    timeoutDuration: options.jwksTimeoutMs ?? AUTH_DEFAULTS.jwksTimeoutMs,
  });
}

/** Maps what jose reports to the client's error; anything about fetching keys is a 503. */
function joseToAuthError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTExpired) return AuthErrors.expired();
  if (error instanceof errors.JWKSNoMatchingKey) {
    return AuthErrors.invalid('Access token is signed by an unknown key');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return AuthErrors.invalid('Access token issuer is not accepted');
    if (error.claim === 'aud') return AuthErrors.invalid('Access token audience is not accepted');
    if (error.claim === 'nbf') return AuthErrors.invalid('Access token is not valid yet');
    return AuthErrors.invalid('Access token claims are invalid');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return AuthErrors.invalid('Access token signature is invalid');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return AuthErrors.invalid('Access token algorithm is not accepted');
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return AuthErrors.invalid('Access token is malformed');
  }
  // Timeouts, refused connections, a non-200 or unparsable JWKS: keys cannot be had right now.
  return AuthErrors.unavailable('JWKS', error);
}

function createRevocationClient(url: string, logger: Logger | undefined): Redis {
  const client = new Redis(url, {
    connectionName: 'kit-auth-revocation',
    // Connects on the first lookup: an app whose start fails leaves no socket behind.
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger?.warn({ err: error }, 'auth: revocation store (Redis) unreachable');
    reported = true;
  });
  client.on('ready', () => {
    reported = false;
  });
  return client;
}
