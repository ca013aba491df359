import { type AuthUser, Role } from '@commerce/contracts';
import {
  AppError,
  AuthErrors,
  InjectConfig,
  JwtVerifier,
  Public,
  clientAddressKey,
} from '@commerce/nest-kit';
import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GatewayConfig } from '../config';
import { upstreamRequestHeaders } from '../proxy/headers';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { readJsonBody } from './console-body';
import {
  CSRF_HEADER,
  REFRESH_COOKIE,
  SESSION_PATH,
  clearedCookies,
  csrfMatches,
  newCsrfToken,
  readCookies,
  readSession,
  sessionCookies,
} from './console-cookies';
import { fromOwnOrigin } from './console-origin';

export const CONSOLE_ROLES: readonly Role[] = [Role.ADMIN, Role.SUPER_ADMIN];

const credentialsSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** What the console learns about its session: who, and until when the access token lasts. */
export interface ConsoleSessionView {
  user: { id: string; email?: string; roles: Role[] };
  expiresAt: string;
}

/**
 * The console's sign-in, kept by the gateway so tokens never reach a script:
 * - `POST /admin/session` {email, password}: the gateway signs in at the auth service on the
 *   operator's behalf (same per-address sign-in limit as /api/auth/login, the client's address
 *   forwarded as for any relayed call) and, for ADMIN or SUPER_ADMIN only, sets the session
 *   cookies (console-cookies.ts); a customer's account gets 403 and its new tokens are revoked;
 * - `GET /admin/session`: who is signed in (401 without a valid session);
 * - `POST /admin/session/refresh`: a new access token from the refresh cookie (CSRF checked);
 * - `DELETE /admin/session`: revokes both tokens at the auth service and clears the cookies.
 * Documented in the gateway's part of the OpenAPI document (console-document.ts).
 */
@ApiExcludeController()
@Controller(SESSION_PATH.slice(1))
export class ConsoleSessionController {
  constructor(
    private readonly verifier: JwtVerifier,
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly limiter: RateLimiter,
  ) {}

  @Public()
  @Post()
  async open(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOwnOrigin(request);
    const credentials = await readJsonBody(request, credentialsSchema);
    await this.countSignInAttempt(request, reply);
    const tokens = await this.callAuth<TokenPair>(request, '/auth/login', credentials, { reply });
    await this.openSession(request, reply, tokens, 200);
  }

  @Public()
  @Get()
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOwnOrigin(request);
    const session = readSession(request.headers.cookie);
    if (!session) throw AuthErrors.missing();
    const user = await this.verifier.verifyToken(session.accessToken);
    requireConsoleRole(user);
    void reply.header('cache-control', 'no-store').code(200).send(view(user));
  }

  @Public()
  @Post('refresh')
  async refresh(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOwnOrigin(request);
    this.requireCsrf(request);
    const refreshToken = readCookies(request.headers.cookie)[REFRESH_COOKIE];
    if (!refreshToken) throw AuthErrors.missing();
    const tokens = await this.callAuth<TokenPair>(request, '/auth/refresh', { refreshToken });
    await this.openSession(request, reply, tokens, 200);
  }

  @Public()
  @Delete()
  async close(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOwnOrigin(request);
    const session = readSession(request.headers.cookie);
    const refreshToken = readCookies(request.headers.cookie)[REFRESH_COOKIE];
    if (session) {
      this.requireCsrf(request);
      if (refreshToken) {
        // Best effort: an expired access token cannot log out, and the cookies go either way.
        await this.callAuth(
          request,
          '/auth/logout',
          { refreshToken },
          {
            accessToken: session.accessToken,
          },
        ).catch(() => undefined);
      }
    }
    void reply
      .header('set-cookie', clearedCookies(request.protocol === 'https'))
      .header('cache-control', 'no-store')
      .code(204)
      .send();
  }

  private async openSession(
    request: FastifyRequest,
    reply: FastifyReply,
    tokens: TokenPair,
    status: number,
  ): Promise<void> {
    const user = await this.verifier.verifyToken(tokens.accessToken);
    if (!user.roles.some((role) => CONSOLE_ROLES.includes(role))) {
      // Not an operator: the tokens just issued are of no use here, so they are revoked at once.
      await this.callAuth(
        request,
        '/auth/logout',
        { refreshToken: tokens.refreshToken },
        { accessToken: tokens.accessToken },
      ).catch(() => undefined);
      requireConsoleRole(user);
    }
    const secure = request.protocol === 'https';
    void reply
      .header(
        'set-cookie',
        sessionCookies({
          session: { csrf: newCsrfToken(), accessToken: tokens.accessToken },
          refreshToken: tokens.refreshToken,
          secure,
        }),
      )
      .header('cache-control', 'no-store')
      .code(status)
      .send(view(user));
  }

  private requireOwnOrigin(request: FastifyRequest): void {
    if (!fromOwnOrigin(request)) {
      throw new AppError({
        status: 403,
        code: 'CSRF_REJECTED',
        message: 'Console sessions are only opened and used from the console’s own origin',
      });
    }
  }

  private requireCsrf(request: FastifyRequest): void {
    const session = readSession(request.headers.cookie);
    if (!session) throw AuthErrors.missing();
    if (!csrfMatches(session, request.headers[CSRF_HEADER])) {
      throw new AppError({
        status: 403,
        code: 'CSRF_REJECTED',
        message: `Missing or wrong ${CSRF_HEADER} for the console session`,
      });
    }
  }

  /**
   * Counts a sign-in attempt against the per-address `auth` limit, in the same counter as
   * POST /api/auth/login (the key the address throttler uses), so the console is no side door
   * for guessing.
   */
  private async countSignInAttempt(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // The limiter's own semantics: 429 with Retry-After over the limit; a counter store outage
    // lets the attempt through rather than locking operators out.
    await this.limiter.consume(
      this.limiter.policies.auth,
      `ip:${clientAddressKey(request.ip)}`,
      reply,
    );
  }

  /** POST to the auth service as the proxy would relay it; its error answers pass through. */
  private async callAuth<T>(
    request: FastifyRequest,
    path: string,
    body: unknown,
    options: { accessToken?: string; reply?: FastifyReply } = {},
  ): Promise<T> {
    const { accessToken, reply } = options;
    const headers = upstreamRequestHeaders(
      {
        'content-type': 'application/json',
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      {
        requestId: request.id,
        remoteAddress: request.raw.socket?.remoteAddress,
        protocol: request.protocol,
        host: request.host,
        trustForwarded: this.config.TRUST_PROXY !== false,
      },
    );
    let res: Response;
    try {
      res = await fetch(`${this.config.AUTH_URL.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: headers as Record<string, string>,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.AUTH_TIMEOUT_MS ?? this.config.UPSTREAM_TIMEOUT_MS),
      });
    } catch (error) {
      throw new AppError({
        status: 503,
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'The auth service cannot be reached; retry later',
        cause: error,
      });
    }
    const text = await res.text();
    const parsed = parseJson(text);
    if (res.ok) return parsed as T;
    const retryAfter = res.headers.get('retry-after');
    if (reply && retryAfter) void reply.header('retry-after', retryAfter);
    const error = (parsed ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
    throw new AppError({
      status: res.status >= 500 ? 503 : res.status,
      code: typeof error.code === 'string' ? error.code : 'UPSTREAM_ERROR',
      message: typeof error.message === 'string' ? error.message : `auth answered ${res.status}`,
      ...(Array.isArray(error.details) ? { details: error.details as unknown[] } : {}),
    });
  }
}

function requireConsoleRole(user: AuthUser): void {
  if (!user.roles.some((role) => CONSOLE_ROLES.includes(role))) {
    throw AuthErrors.forbidden(CONSOLE_ROLES);
  }
}

function view(user: AuthUser): ConsoleSessionView {
  return {
    user: { id: user.id, ...(user.email ? { email: user.email } : {}), roles: user.roles },
    expiresAt: new Date(user.exp * 1000).toISOString(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
