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
import { passportJwtSecret } from 'jwks-rsa';
import { Passport } from 'passport';
import { ExtractJwt, Strategy as JwtStrategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { Logger } from 'pino';
import { withTimeout } from '../health/with-timeout';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { KIT_AUTH_OPTIONS } from './auth.constants';
import { AuthErrors, toAuthError } from './auth.errors';
import { AUTH_DEFAULTS, type KitAuthOptions, type RevocationStore } from './auth.options';

/** Anything with HTTP headers: a Fastify request, a Node IncomingMessage. */
export interface RequestWithHeaders {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const STRATEGY = 'jwt';
const ROLES = new Set<string>(Object.values(Role));
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Verifies access tokens: a passport-jwt strategy whose key comes from jwks-rsa's
 * `passportJwtSecret` (ES256 only; `iss`/`aud` checked), then the claims' shape, then the
 * revoked-jti key in Redis. Failures are AppErrors (401 TOKEN_*, or 503 AUTH_UNAVAILABLE).
 *
 * The strategy lives in a passport instance of its own rather than passport's process-wide
 * singleton, so two apps in one process (tests, a gateway next to a service) never replace each
 * other's strategy.
 */
@Injectable()
export class JwtVerifier implements OnApplicationShutdown {
  private readonly passport = new Passport();
  private readonly revocation: RevocationStore;
  private readonly ownedRedis: Redis | undefined;
  private readonly revocationTimeoutMs: number;

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
    this.passport.use(
      STRATEGY,
      new JwtStrategy(
        {
          jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
          secretOrKeyProvider: createKeyProvider(options),
          algorithms: ['ES256'],
          issuer: options.issuer ?? JWT_ISSUER,
          audience: options.audience ?? JWT_AUDIENCE,
          jsonWebTokenOptions: {
            clockTolerance: options.clockToleranceSeconds ?? AUTH_DEFAULTS.clockToleranceSeconds,
          },
        },
        (payload: unknown, done: VerifiedCallback) => {
          this.checkClaims(payload).then(
            (user) => done(null, user),
            (error: unknown) => done(null, false, error),
          );
        },
      ),
    );
  }

  /** The caller of `request`, or an AppError (401 TOKEN_*, 503 AUTH_UNAVAILABLE). */
  async verifyRequest(request: RequestWithHeaders): Promise<AuthUser> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw AuthErrors.missing();
    if (typeof header !== 'string' || !BEARER.test(header)) {
      throw AuthErrors.invalid("Authorization header must be 'Bearer <token>'");
    }
    return new Promise<AuthUser>((resolve, reject) => {
      const middleware = this.passport.authenticate(
        STRATEGY,
        { session: false },
        (error: unknown, user: AuthUser | false, info: unknown) => {
          if (error) reject(toAuthError(error));
          else if (!user) reject(toAuthError(info));
          else resolve(user);
        },
      ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      // Passport adds its helpers (logIn, ...) to the request; give it a throwaway object so
      // the framework's request stays as it is.
      middleware({ headers: request.headers }, {}, (error?: unknown) => reject(toAuthError(error)));
    });
  }

  /** Same as `verifyRequest` for a bare token. */
  verifyToken(token: string): Promise<AuthUser> {
    return this.verifyRequest({ headers: { authorization: `Bearer ${token}` } });
  }

  private async checkClaims(payload: unknown): Promise<AuthUser> {
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
    return {
      id: sub,
      ...(email !== undefined ? { email } : {}),
      roles: roles as Role[],
      jti,
      exp,
    };
  }

  onApplicationShutdown(): void {
    this.ownedRedis?.disconnect();
  }
}

type VerifiedCallback = (error: unknown, user?: unknown, info?: unknown) => void;

/**
 * jwks-rsa's `passportJwtSecret` (cached keys, a refetch when a `kid` is unknown, rate limited),
 * behind a check that the header asks for ES256 with a `kid`, so garbage never reaches the JWKS
 * client. Its errors are classified: an unknown key is a 401, an unreachable JWKS a 503.
 */
function createKeyProvider(options: KitAuthOptions): SecretOrKeyProvider {
  const jwksSecret = passportJwtSecret({
    jwksUri: options.jwksUrl,
    cache: true,
    cacheMaxEntries: 20,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? AUTH_DEFAULTS.jwksCacheMaxAgeMs,
    rateLimit: true,
    jwksRequestsPerMinute: options.jwksRequestsPerMinute ?? AUTH_DEFAULTS.jwksRequestsPerMinute,
    timeout: options.jwksTimeoutMs ?? AUTH_DEFAULTS.jwksTimeoutMs,
    ...(options.fetchJwks ? { fetcher: options.fetchJwks } : {}),
    handleSigningKeyError: (error, cb) => {
      if (error?.name === 'SigningKeyNotFoundError' || error?.name === 'JwksRateLimitError') {
        // Rate limited means the kid was not in the cache and the JWKS was fetched often enough
        // lately: a key nobody published.
        cb(AuthErrors.invalid('Access token is signed by an unknown key'));
      } else {
        cb(AuthErrors.unavailable('JWKS', error));
      }
    },
  });
  return (request: unknown, rawJwtToken: unknown, done) => {
    const header = typeof rawJwtToken === 'string' ? decodeHeader(rawJwtToken) : undefined;
    if (!header) {
      done(AuthErrors.invalid('Access token is malformed'));
    } else if (header.alg !== 'ES256') {
      done(AuthErrors.invalid('Access token algorithm is not accepted'));
    } else if (typeof header.kid !== 'string' || header.kid === '') {
      done(AuthErrors.invalid('Access token has no key id'));
    } else {
      jwksSecret(request, rawJwtToken, (error: unknown, key?: string | Buffer) => {
        if (error) done(error);
        else if (!key) done(AuthErrors.invalid('Access token is signed by an unknown key'));
        else done(null, key);
      });
    }
  };
}

function decodeHeader(token: string): { alg?: unknown; kid?: unknown } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0]) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null ? header : undefined;
  } catch {
    return undefined;
  }
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
